// The helper without root (an unprivileged user made for the test, through setpriv): sockets are
// listed, other users' processes are reported as not visible, kill is refused per socket; and the
// same user getting root through `sudo -n` (a NOPASSWD rule the test installs) and through
// `sudo -S` with a password handed over on stdin, using the client's real command lines.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { launchCommand } from '../../src/client/connection/privilege';
import type { Capabilities } from '../../src/protocol/helper-protocol';
import type { SocketRecord } from '../../src/protocol/socket-record';
import { buildHelper, HELPER_JS, HelperRpc } from './lib/helper-rpc';
import { createNetns, type Netns } from './lib/netns';

const USER = `sockscope-t${process.pid}`;
const PASSWORD = `pw-${process.pid}-${Date.now()}`;
const SUDOERS = `/etc/sudoers.d/sockscope-test-${process.pid}`;

function asUser(argv: string[]): [string, string[]] {
  return ['setpriv', ['--reuid', USER, '--regid', USER, '--clear-groups', '--inh-caps=-all', '--', ...argv]];
}

async function start(argv: [string, string[]], password?: string): Promise<{ h: HelperRpc; caps: Capabilities; helperPid: number }> {
  const h = new HelperRpc(argv[0], argv[1], { PATH: process.env.PATH, LANG: 'C' });
  if (password !== undefined) await h.writeRaw(password + '\n');
  const ready = await h.ready();
  const init = await h.result<{ capabilities: Capabilities; pid: number }>('initialize', { protocolVersion: 1 });
  assert.equal((ready.params as { pid: number }).pid, init.pid);
  return { h, caps: init.capabilities, helperPid: init.pid };
}

async function dump(h: HelperRpc, params: Record<string, unknown>): Promise<{ records: SocketRecord[]; invisibleProcesses: number }> {
  const records: SocketRecord[] = [];
  h.onMessage((m) => { if (m.method === 'dump/chunk') records.push(...(m.params as { records: SocketRecord[] }).records); });
  const r = await h.result<{ invisibleProcesses: number }>('dump', { stream: 'p', ...params });
  return { records, invisibleProcesses: r.invisibleProcesses };
}

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

describe('helper privileges', () => {
  let server: Server;
  let port = 0;
  let ns: Netns;

  before(async () => {
    buildHelper();
    spawnSync('userdel', [USER], { stdio: 'ignore' });
    execFileSync('useradd', ['-r', '-M', '-s', '/usr/sbin/nologin', USER]);
    execFileSync('chpasswd', [], { input: `${USER}:${PASSWORD}\n` });
    ns = createNetns('helperpriv');
    // A socket held by root (this test process): the unprivileged helper lists it without its process.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  after(() => {
    server?.close();
    ns?.remove();
    rmSync(SUDOERS, { force: true });
    spawnSync('userdel', [USER], { stdio: 'ignore' });
  });

  it('runs unprivileged: sockets listed, other processes reported not visible, kill refused', async () => {
    const { h, caps, helperPid } = await start(asUser([process.execPath, HELPER_JS]));
    try {
      assert.equal(caps.root, false);
      assert.equal(caps.netAdmin, false);
      assert.equal(caps.canKill, false);
      assert.ok(caps.invisibleProcesses > 0, 'root processes are not visible');
      const { records, invisibleProcesses } = await dump(h, { extensions: { processes: true } });
      assert.ok(invisibleProcesses > 0);
      const mine = records.find((r) => r.netid === 'tcp' && r.state === 'LISTEN' && r.localPort === port);
      assert.ok(mine, 'the root-owned listener is listed');
      assert.deepEqual(mine.processes, [], 'without its (invisible) process');
      assert.ok(records.some((r) => r.processes?.some((p) => p.pid === helperPid)), 'its own sockets carry its process');
      const kill = await h.result<{ killed: string[]; failed: Array<{ error: string }> }>('kill', { sockets: [mine] });
      assert.deepEqual(kill.killed, []);
      assert.match(kill.failed[0].error, /EPERM|EACCES/);
      const other = await h.call('dump', { stream: 'x', netns: { name: ns.name } });
      assert.ok(other.error, 'entering another namespace needs privileges: an error, not a crash');
      assert.ok((await h.call('capabilities')).result, 'still answering');
    } finally {
      assert.equal(await h.close(), 0);
    }
    assert.ok(await gone(helperPid));
  });

  it('runs as root through sudo -n (NOPASSWD rule) and exits with its stdin', async () => {
    writeFileSync(SUDOERS, `${USER} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
    chmodSync(SUDOERS, 0o440);
    assert.equal(spawnSync('visudo', ['-cf', SUDOERS]).status, 0);
    const cmd = launchCommand('sudo', process.execPath, HELPER_JS);
    const { h, caps, helperPid } = await start(asUser([cmd.command, ...cmd.args]));
    try {
      assert.equal(caps.root, true);
      assert.equal(caps.netAdmin, true);
      const { records } = await dump(h, { netns: { name: ns.name }, netids: ['tcp'] });
      assert.deepEqual(records, [], 'entered the (empty) test namespace');
    } finally {
      await h.close();
    }
    assert.ok(await gone(helperPid), 'no orphan root helper after stdin closed');
    rmSync(SUDOERS, { force: true });
  });

  it('runs as root through sudo -S with the password on stdin once; a wrong password fails cleanly', async () => {
    writeFileSync(SUDOERS, `${USER} ALL=(root) ALL\n`, { mode: 0o440 });
    chmodSync(SUDOERS, 0o440);
    const cmd = launchCommand('sudoPassword', process.execPath, HELPER_JS);
    assert.ok(!cmd.args.some((a) => a.includes(PASSWORD)), 'never on the command line');
    const { h, caps, helperPid } = await start(asUser([cmd.command, ...cmd.args]), PASSWORD);
    try {
      assert.equal(caps.root, true);
      assert.ok((await h.call('listNamespaces')).result);
    } finally {
      await h.close();
    }
    assert.ok(await gone(helperPid));

    const bad = new HelperRpc(...asUser([cmd.command, ...cmd.args]), { PATH: process.env.PATH, LANG: 'C' });
    await bad.writeRaw('not-the-password\n');
    // sudo asks again: the client ends stdin then (as HelperProcess does); sudo gives up.
    for (let i = 0; i < 100 && !/Sorry|incorrect/i.test(bad.stderr); i++) await new Promise((r) => setTimeout(r, 100));
    bad.child.stdin.end();
    const code = await bad.exited;
    assert.notEqual(code, 0);
    assert.equal(bad.messages.some((m) => m.method === 'ready'), false, 'the helper never started');
    rmSync(SUDOERS, { force: true });
  });
});
