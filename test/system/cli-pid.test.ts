// `sockscope --pid PID[,PID…] [--children]`: exactly the lines ss prints for those processes'
// sockets (-p text unchanged), the process tree with --children, clear errors for a pid that does
// not exist and for another user's process without root.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { createNetns, type Netns } from './lib/netns';
import { buildCli, CLI, runCli, runSs } from './lib/ss';

const PROGRAM = `
const net = require('node:net');
const { fork } = require('node:child_process');
if (process.argv[2] === 'child') {
  const c = net.connect(Number(process.argv[3]), '127.0.0.1', () => process.send('connected'));
  setInterval(() => c.write('x'), 1000);
} else {
  const server = net.createServer((s) => s.on('data', () => {})).listen(0, '127.0.0.1', () => {
    const child = fork(__filename, ['child', String(server.address().port)]);
    child.on('message', () => console.log('ready ' + child.pid));
  });
}
`;

/** ss's socket lines (header dropped), trailing blanks trimmed: ss pads the last column. */
const lines = (text: string): string[] => text.split('\n').slice(1).map((l) => l.trimEnd()).filter(Boolean).sort();

describe('sockscope --pid', { timeout: 120_000 }, () => {
  let ns: Netns;
  let dir = '';
  let app: ChildProcess;
  let other: ChildProcess;
  let childPid = 0;

  before(async () => {
    buildCli();
    ns = createNetns('clipid');
    dir = mkdtempSync(`${tmpdir()}/sockscope-clipid-`);
    chmodSync(dir, 0o755);
    writeFileSync(`${dir}/app.js`, PROGRAM);
    app = spawn('ip', ['netns', 'exec', ns.name, process.execPath, `${dir}/app.js`], { stdio: ['ignore', 'pipe', 'inherit'] });
    // Another listener in the namespace, not part of the tree.
    other = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', "require('net').createServer().listen(0, '127.0.0.1'); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
    childPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      app.stdout!.on('data', (b: Buffer) => { out += String(b); const m = /ready (\d+)/.exec(out); if (m) resolve(Number(m[1])); });
      app.once('exit', (c) => reject(new Error(`app exited ${c}`)));
    });
    for (let i = 0; i < 100 && !runSs(ns.name, ['-tlnp']).stdout.includes(`pid=${other.pid},`); i++) await new Promise((r) => setTimeout(r, 50));
  });

  after(() => {
    app?.kill('SIGKILL');
    if (childPid) try { process.kill(childPid, 'SIGKILL'); } catch { /* gone */ }
    other?.kill('SIGKILL');
    ns?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const ssLinesOf = (pids: number[]): string[] => lines(runSs(ns.name, ['-tanp']).stdout).filter((l) => pids.some((p) => l.includes(`pid=${p},`)));

  it('shows exactly the lines ss shows for the process, -p text unchanged', () => {
    const r = runCli(['-N', ns.name, '-tanp', '--pid', String(app.pid)]);
    assert.equal(r.status, 0, r.stderr);
    const want = ssLinesOf([app.pid!]);
    assert.equal(want.length, 2, 'the listener and its accepted connection');
    assert.deepEqual(lines(r.stdout), want);
  });

  it('--children adds the forked child\'s connection; a list of pids is their union', () => {
    const tree = runCli(['-N', ns.name, '-tanp', '--pid', String(app.pid), '--children']);
    assert.equal(tree.status, 0, tree.stderr);
    assert.deepEqual(lines(tree.stdout), ssLinesOf([app.pid!, childPid]));
    const list = runCli(['-N', ns.name, '-tan', `--pid=${app.pid},${childPid}`]);
    assert.equal(lines(list.stdout).length, 3);
    assert.ok(!lines(list.stdout).join('\n').includes(String(other.pid)));
  });

  it('refuses a pid that does not exist, a bad pid, --children alone', () => {
    for (const [args, re] of [
      [['--pid', '4194000'], /^sockscope: --pid: no process with pid 4194000$/],
      [['--pid', '12,abc'], /`abc` is not a process id/],
      [['--children'], /--children needs --pid/],
    ] as const) {
      const r = runCli(['-N', ns.name, '-tan', ...args]);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr.trim(), re);
    }
  });

  it('unprivileged: another user\'s process needs root, its own works', async () => {
    const nobody = ['setpriv', '--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', '--inh-caps=-all', '--'];
    const asNobody = (args: string[]) => spawnSync(nobody[0], [...nobody.slice(1), process.execPath, CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, SOCKSCOPE_COMPILE_CACHE: '0' } });
    const denied = asNobody(['-tan', '--pid', String(app.pid)]);
    assert.equal(denied.status, 2);
    assert.match(denied.stderr, /the sockets of pid \d+ \(node app\.js, user root\) are only visible with root/);
    // A listener of nobody's own, on loopback in the host namespace.
    const mine = spawn(nobody[0], [...nobody.slice(1), process.execPath, '-e', "require('net').createServer().listen(0, '127.0.0.1', () => console.log('up')); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((r) => mine.stdout!.once('data', r));
      const r = asNobody(['-tln', '--pid', String(mine.pid)]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(lines(r.stdout).length, 1, r.stdout);
      assert.match(lines(r.stdout)[0], /^LISTEN .*127\.0\.0\.1:\d+/);
    } finally {
      mine.kill('SIGKILL');
    }
  });
});
