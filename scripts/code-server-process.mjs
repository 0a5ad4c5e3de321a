// Starts the private code-server (see setup-code-server.mjs) as the leader of its own process group, waits
// until it answers HTTP, and stops the whole group (code-server, its extension hosts, the helper) on request.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (the kernel picks it; there is a small race until code-server binds it). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolveStatus) => {
    const req = get(url, (res) => { res.resume(); resolveStatus(res.statusCode ?? 0); });
    req.on('error', () => resolveStatus(0));
    req.setTimeout(2000, () => { req.destroy(); resolveStatus(0); });
  });
}

/**
 * @param {object} o
 * @param {{ node: string, entry: string }} o.paths       from ensureCodeServer()
 * @param {number} o.port
 * @param {string} o.stateDir     everything code-server writes goes below: user-data/, extensions/, config.yaml, data/
 * @param {string} [o.folder]     folder opened by default
 * @param {string[]} [o.extraArgs]
 * @param {Record<string,string>} [o.env]   extra environment (e.g. HOME for tests)
 * @param {string} [o.logFile]    code-server's stdout+stderr go here (default: inherited)
 */
export async function startCodeServer({ paths, port, stateDir, folder, extraArgs = [], env = {}, logFile }) {
  const userDataDir = join(stateDir, 'user-data');
  const extensionsDir = join(stateDir, 'extensions');
  const configFile = join(stateDir, 'config.yaml');
  for (const d of [userDataDir, extensionsDir, join(stateDir, 'data'), join(stateDir, 'config')]) mkdirSync(d, { recursive: true });
  // An explicit config file, so code-server never writes ~/.config/code-server/config.yaml.
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    paths.entry,
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...extraArgs,
    ...(folder ? [folder] : []),
  ];
  const childEnv = {
    ...process.env,
    // code-server keeps its logs and default config below these; keep them inside stateDir.
    XDG_DATA_HOME: join(stateDir, 'data'),
    XDG_CONFIG_HOME: join(stateDir, 'config'),
    ...env,
  };
  delete childEnv.PORT; // code-server would prefer $PORT over --bind-addr
  let stdio = 'inherit';
  let log;
  if (logFile) {
    log = createWriteStream(logFile, { flags: 'a' });
    await new Promise((r) => log.once('open', r));
    stdio = ['ignore', log, log];
  }
  // If this process dies without cleaning up (even SIGKILL), the kernel sends the group leader SIGTERM
  // (setpriv --pdeathsig) and the leader, a tiny shell, SIGKILLs the whole group: no orphaned code-server.
  const guarded = existsSync('/usr/bin/setpriv');
  const child = guarded
    ? spawn('/usr/bin/setpriv', ['--pdeathsig', 'TERM', '--', '/bin/sh', '-c', 'trap "kill -KILL 0" TERM INT HUP; "$@" & wait $!', 'sh', paths.node, ...args], { detached: true, stdio, env: childEnv })
    : spawn(paths.node, args, { detached: true, stdio, env: childEnv });
  let exited = false;
  const exit = new Promise((r) => child.once('exit', (code, signal) => { exited = true; r(code ?? signal); }));

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  while (!exited) {
    if ((await httpStatus(`${url}healthz`)) === 200) break;
    if (Date.now() > deadline) { stop(); throw new Error(`code-server did not answer on ${url} within 60s`); }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (exited) throw new Error(`code-server exited early (${await exit})${logFile ? `; see ${logFile}` : ''}`);

  /** Stops the whole process group: SIGTERM, then SIGKILL after a grace period. Safe to call twice. */
  async function stop(graceMs = 3000) {
    const signalGroup = (sig) => { try { process.kill(-child.pid, sig); } catch { /* already gone */ } };
    signalGroup('SIGTERM');
    await Promise.race([exit, new Promise((r) => setTimeout(r, graceMs))]);
    // Extension hosts and helpers may outlive the leader: always sweep the group.
    signalGroup('SIGKILL');
    log?.end();
  }
  return { url, port, pid: child.pid, userDataDir, extensionsDir, exit, stop };
}

/** Installs a .vsix into `stateDir`'s extensions folder with code-server's own CLI (no server is started). */
export function installVsix({ paths, stateDir, vsix, env = {} }) {
  const extensionsDir = join(stateDir, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  const r = spawnSync(paths.node, [paths.entry, '--user-data-dir', join(stateDir, 'user-data'), '--extensions-dir', extensionsDir,
    '--config', join(stateDir, 'config.yaml'), '--force', '--install-extension', vsix], {
    encoding: 'utf8',
    env: { ...process.env, XDG_DATA_HOME: join(stateDir, 'data'), XDG_CONFIG_HOME: join(stateDir, 'config'), ...env },
  });
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}
