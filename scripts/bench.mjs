#!/usr/bin/env node
// `npm run bench`: build, then compare sockscope with ss over 100,000 TCP sockets (bench/cli-vs-ss.ts), and
// measure the filter language, the helper process and the language server (one bench file each).
// Environment: BENCH_SOCKETS (default 100000), BENCH_PROCESSES (10), BENCH_ROUNDS (7), BENCH_CASES (names of
// cli-vs-ss.ts cases to run, comma-separated; default all).
import { spawnSync } from 'node:child_process';

const build = spawnSync(process.execPath, ['esbuild.js', '--production'], { stdio: 'inherit' });
if (build.status !== 0) { console.error('bench: build failed'); process.exit(0); }
spawnSync(process.execPath, ['--import', 'tsx', 'bench/cli-vs-ss.ts'], { stdio: 'inherit' });
// The filter language's figures (issue 3): .ssq parse, evaluator, kernel-filtered query vs ss.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/ssq-issue3.ts'], { stdio: 'inherit' });
// The helper process (issue 4): watch CPU at 100,000 sockets, client work per refresh, 10 Hz single-socket watch.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/helper.ts'], { stdio: 'inherit' });
// Following a process tree (issue 13): the helper's extra CPU and the client's work per refresh.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/follow.ts'], { stdio: 'inherit' });
// The .ssq language server (issue 6): diagnostics after an edit and completion latency over stdio, 10,000-line file.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/lsp.ts'], { stdio: 'inherit' });
