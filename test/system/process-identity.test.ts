// Process identity on real processes: a Node program, a Python one and one launched through a
// shell are labelled by what they are; a process moved into cgroups shaped like Docker's, Podman's
// and a systemd unit's is placed there; the helper's `processes` request reports trees and, run
// unprivileged, says which processes' sockets it cannot see (another user's) and which it can (its own).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { createServer } from 'node:net';
import { pinnedGroupOf } from '../../src/client/follow/follow-service';
import type { FollowTarget } from '../../src/client/follow/follow-targets';
import { ProcessIdentities } from '../../src/host/process-identity';
import type { ProcessesResult } from '../../src/protocol/helper-protocol';
import type { ProcessIdentity } from '../../src/protocol/process-identity';
import { pinnedGroupKey, type ViewChangedNotification } from '../../src/protocol/view-protocol';
import { buildHelper, HELPER_JS, HelperRpc, startHelper } from './lib/helper-rpc';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => T | undefined, ms = 10_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) {
    const v = f();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The mount point of the unified (v2) cgroup hierarchy. */
function cgroup2Root(): string | undefined {
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[2] === 'cgroup2') return f[1];
  }
  return undefined;
}

describe('process identity', { timeout: 180_000 }, () => {
  const children: ChildProcess[] = [];
  const cgroups: string[] = [];
  let dir = '';
  let script = '';
  const run = (cmd: string, args: string[], uid?: number): ChildProcess => {
    // Its own process group, killed whole afterwards (the shell's child too).
    const c = spawn(cmd, args, { cwd: dir, stdio: 'ignore', detached: true, ...(uid !== undefined ? { uid, gid: 65534 } : {}) });
    children.push(c);
    return c;
  };
  const ids = new ProcessIdentities();

  before(() => {
    buildHelper();
    dir = mkdtempSync(`${tmpdir()}/sockscope-ident-`);
    chmodSync(dir, 0o755); // `nobody` runs the script too
    script = `${dir}/server.js`;
    writeFileSync(script, `require('node:net').createServer().listen(0, '127.0.0.1', () => console.log('up')); setInterval(() => {}, 1000);\n`);
  });

  after(() => {
    for (const c of children) try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* gone */ }
    for (const cg of cgroups.reverse()) {
      // A cgroup can be removed once its processes are gone.
      for (let i = 0; i < 50; i++) { try { rmdirSync(cg); break; } catch { /* busy a moment */ } }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('labels a Node, a Python and a shell-launched program by what they are', async () => {
    const node = run(process.execPath, [script]);
    // Debian's python3 (a pyenv shim on PATH would be a shell script for a moment).
    const py = run('/usr/bin/python3', ['-m', 'http.server', '0', '--bind', '127.0.0.1']);
    const sh = run('sh', ['-c', `${process.execPath} ${script}; echo done`]);
    // Until the child has exec'd (before that it is a copy of this process).
    const n = await until('node', () => { const i = ids.get(node.pid!); return i?.cmdline[1] === script ? i : undefined; });
    assert.equal(n.label, 'node server.js');
    assert.equal(n.cwd, dir);
    assert.equal(n.user, 'root');
    assert.equal(n.ppid, process.pid);
    assert.ok(Math.abs(n.startedAt - Date.now()) < 60_000, `start time ${new Date(n.startedAt).toISOString()}`);
    assert.equal(n.exe, process.execPath);
    assert.equal(n.socketsVisible, true);
    const p = await until('python', () => { const i = ids.get(py.pid!); return i?.cmdline[0] === '/usr/bin/python3' ? i : undefined; });
    assert.equal(p.label, 'python3 -m http.server 0');
    const s = await until('sh', () => { const i = ids.get(sh.pid!); return i?.cmdline[0] === 'sh' ? i : undefined; });
    assert.match(s.label, /^sh -c /);

    // The helper's tree of the shell holds the node it started, labelled.
    const h = await startHelper();
    try {
      let r: ProcessesResult | undefined;
      for (let i = 0; i < 100; i++) {
        r = await h.result<ProcessesResult>('processes', { pids: [sh.pid!], children: true });
        if (r.processes.some((x) => x.ppid === sh.pid && x.cmdline.length > 1)) break;
        await sleep(50);
      }
      assert.equal(r!.processes[0].pid, sh.pid);
      const child = r!.processes.find((x) => x.ppid === sh.pid);
      assert.equal(child?.label, 'node server.js');
      const missing = await h.result<ProcessesResult>('processes', { pids: [4_194_000] });
      assert.deepEqual(missing, { processes: [], missing: [4_194_000] });
      const bad = await h.call('processes', { pids: [0] });
      assert.equal(bad.error?.code, -32602);
    } finally {
      await h.close();
    }
  });

  it('places a process in a Docker, a Podman and a systemd-unit cgroup', async (t) => {
    const root = cgroup2Root();
    if (!root || !existsSync(`${root}/cgroup.procs`)) { t.skip('no writable cgroup v2 hierarchy'); return; }
    const id = (c: string): string => c.repeat(64);
    const shapes: Array<[string, (i: ProcessIdentity) => void]> = [
      [`system.slice/docker-${id('d')}.scope`, (i) => assert.deepEqual(i.container, { runtime: 'docker', id: id('d') })],
      [`machine.slice/libpod-${id('e')}.scope`, (i) => assert.deepEqual(i.container, { runtime: 'podman', id: id('e') })],
      [`system.slice/sockscope-test-${process.pid}.service`, (i) => { assert.equal(i.container, undefined); assert.equal(i.unit, `sockscope-test-${process.pid}.service`); }],
    ];
    for (const [path, check] of shapes) {
      const parts = path.split('/');
      for (let k = 1; k <= parts.length; k++) {
        const cg = `${root}/${parts.slice(0, k).join('/')}`;
        if (!existsSync(cg)) { mkdirSync(cg); cgroups.push(cg); }
      }
      const c = run('sleep', ['30']);
      writeFileSync(`${root}/${path}/cgroup.procs`, String(c.pid));
      const identity = await until(path, () => { const i = new ProcessIdentities().get(c.pid!); return i?.container || i?.unit ? i : undefined; });
      check(identity);
      assert.equal(identity.label, 'sleep 30');
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }
    // A Docker container's name from the runtime's state (here a folder of the test's).
    const state = mkdtempSync(`${tmpdir()}/sockscope-docker-`);
    try {
      mkdirSync(`${state}/${id('d')}`);
      writeFileSync(`${state}/${id('d')}/config.v2.json`, JSON.stringify({ Name: '/orders-api' }));
      const c = run('sleep', ['30']);
      writeFileSync(`${root}/system.slice/docker-${id('d')}.scope/cgroup.procs`, String(c.pid));
      const named = new ProcessIdentities({ roots: { docker: state, podman: [], containerd: state, crio: state } }).get(c.pid!);
      assert.equal(named?.container?.name, 'orders-api');
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  it('unprivileged: its own user\'s processes are followed, another user\'s need root', async () => {
    // A listener of root's (this process), which the unprivileged helper must not attribute.
    const rootServer = createServer();
    await new Promise<void>((resolve) => rootServer.listen(0, '127.0.0.1', resolve));
    // A server of `nobody`, and the helper as `nobody` too.
    const mine = run(process.execPath, [script], 65534);
    await until('the server', () => (ids.get(mine.pid!)?.cmdline[1] === script ? true : undefined));
    const h = new HelperRpc('setpriv', ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', '--inh-caps=-all', '--', process.execPath, HELPER_JS], { PATH: process.env.PATH, LANG: 'C' });
    try {
      await h.ready();
      await h.result('initialize', { protocolVersion: 1 });
      const r = await h.result<ProcessesResult>('processes', { pids: [mine.pid!, process.pid] });
      const own = r.processes.find((p) => p.pid === mine.pid);
      const other = r.processes.find((p) => p.pid === process.pid);
      assert.equal(own?.socketsVisible, true);
      assert.equal(own?.user, 'nobody');
      assert.equal(own?.label, 'node server.js');
      assert.equal(other?.socketsVisible, false, 'a root process: its sockets need root');
      assert.equal(other?.user, 'root');

      // Followed in a view (pinned groups, as the extension's follow service sends them): its own
      // user's process shows its listener; the root process (this test, listening) shows none, and
      // its group says why: root is needed.
      const mineTarget: FollowTarget = { id: 'process:mine', kind: 'process', label: own!.label, roots: [mine.pid!], since: 1 };
      const rootTarget: FollowTarget = { id: 'process:root', kind: 'process', label: other!.label, roots: [process.pid], since: 2 };
      const groups = [mineTarget, rootTarget].map((t) => pinnedGroupOf(t, r.processes.filter((p) => t.roots.includes(p.pid))));
      await h.result('view/open', {
        viewId: 'follow', intervalMs: 500, query: { netids: ['tcp'] }, groupBy: 'state',
        pinned: groups.map((g) => g.group), expanded: [{ group: pinnedGroupKey(mineTarget.id), offset: 0, limit: 50 }],
      });
      const changed = await h.wait((m) => {
        if (m.method !== 'view/changed') return false;
        const n = m.params as ViewChangedNotification;
        return (n.pages.find((pg) => pg.group === pinnedGroupKey(mineTarget.id))?.rows.length ?? 0) > 0;
      }, 20_000, 'the followed group\'s rows');
      const n = changed.params as ViewChangedNotification;
      // Groups are sent when they change: the last ones sent are current.
      const sent = h.messages.map((m) => (m.method === 'view/changed' ? (m.params as ViewChangedNotification).groups : undefined)).filter((g) => g !== undefined);
      const count = (id: string): number | undefined => sent[sent.length - 1]?.find((g) => g.key === pinnedGroupKey(id))?.count;
      const rows = n.pages.find((pg) => pg.group === pinnedGroupKey(mineTarget.id))!.rows;
      assert.ok(rows.some((x) => x.record.state === 'LISTEN' && x.record.processes?.some((p) => p.pid === mine.pid)), 'its own user\'s listener');
      assert.ok(rows.every((x) => x.record.processes?.some((p) => p.pid === mine.pid)), 'only its sockets');
      assert.equal(count(mineTarget.id), rows.length);
      assert.equal(count(rootTarget.id), 0, 'another user\'s sockets are not shown');
      assert.match(groups[1].note, new RegExp(`pid ${process.pid} runs as root: its sockets need root`));
      assert.doesNotMatch(groups[0].note, /root/);
    } finally {
      await h.close();
      rootServer.close();
    }
  });
});
