// Entry point of the `sockscope` command (bundled to dist/cli.js): runs dist/cli-main.js with a
// compile cache (see compile-cache.ts).
import { join } from 'node:path';
import { runCached } from './compile-cache';

runCached(join(__dirname, 'cli-main.js'));
