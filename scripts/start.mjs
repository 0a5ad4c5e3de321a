#!/usr/bin/env node
// `npm start [-- --port N]`: builds the extension and opens sample-workspace/ in a private code-server on
// 127.0.0.1:8080 (or $SOCKSCOPE_PORT / --port). Everything it writes lives in .cache/ (code-server itself,
// .cache/start/ for user data, extensions and logs) and is reused by the next run. Ctrl-C stops it.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer } from './code-server-process.mjs';
import { linkExtension } from './link-extension.mjs';
import { cacheDir, ensureCodeServer } from './setup-code-server.mjs';
import { mergeUserSettings } from './vscode-settings.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const portArg = args.find((a) => a.startsWith('--port='))?.slice(7) ?? (args.includes('--port') ? args[args.indexOf('--port') + 1] : undefined);
const port = Number(portArg ?? process.env.SOCKSCOPE_PORT ?? 8080);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`[start] invalid port "${portArg ?? process.env.SOCKSCOPE_PORT}"`);
  process.exit(2);
}

function portIsFree(p) {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(p, '127.0.0.1', () => s.close(() => res(true)));
  });
}

async function main() {
  if (!(await portIsFree(port))) {
    throw new Error(`127.0.0.1:${port} is in use; pick another port with SOCKSCOPE_PORT=N npm start or npm start -- --port N`);
  }
  const paths = ensureCodeServer();
  console.log('[start] building the extension');
  if (spawnSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('build failed');

  const stateDir = join(cacheDir, 'start');
  mergeUserSettings(join(stateDir, 'user-data'));
  linkExtension(join(stateDir, 'extensions'), root);
  const folder = join(root, 'sample-workspace');
  // A private HOME too, so nothing (VS Code's device id, terminal history) lands in the real home directory.
  const home = join(stateDir, 'home');
  mkdirSync(home, { recursive: true });
  const server = await startCodeServer({ paths, port, stateDir, folder, env: { HOME: home }, logFile: join(stateDir, 'code-server.log') });

  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[start] ${why}: stopping code-server`);
    await server.stop();
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { void stop(sig); });
  console.log(`[start] Sockscope in code-server: ${server.url}?folder=${encodeURIComponent(folder)}`);
  console.log(`[start] user data, extensions, HOME and logs: ${stateDir} (log: code-server.log). Ctrl-C stops.`);
  const status = await server.exit;
  if (!stopping) {
    console.error(`[start] code-server exited (${status}); see ${join(stateDir, 'code-server.log')}`);
    await server.stop(0);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(`[start] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
