// The netlink engine against the real kernel, in its own network namespace, with ss as the oracle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { startPopulation, type NetnsEnv } from '../fixtures/netlink/population';
import { SockDiag, subscribeDestroyEvents, NetlinkError, ALL_STATES, TCP_LISTEN, type Socket } from '../../src/netlink';
import { Transport, openDiagSocket } from '../../src/netlink/transport';

let env: NetnsEnv;
let diag: SockDiag;
const children: ChildProcess[] = [];

before(async () => {
  env = await startPopulation('nleng');
  diag = SockDiag.open({ netnsPath: env.path });
});

after(() => {
  diag?.close();
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  env?.stop();
});

function dumpAll(kinds: Parameters<SockDiag['dump']>[0]['kinds'], states = ALL_STATES): { sockets: Socket[]; notes: string[] } {
  const sockets: Socket[] = [];
  const r = diag.dump({ kinds, states, ext: { info: true, mem: true } }, (s) => sockets.push(s));
  return { sockets, notes: r.notes };
}

/** "addr:port" as ss prints it to [address, port], with any-address forms folded to "*". */
function splitEndpoint(text: string): [string, number] {
  const i = text.lastIndexOf(':');
  let addr = text.slice(0, i);
  const port = text.slice(i + 1);
  addr = addr.replace(/%[^\]:]*$/, '').replace(/^\[/, '').replace(/\]$/, '');
  return [anyFold(addr), port === '*' ? 0 : Number(port)];
}
const anyFold = (a: string | null): string => (a === '0.0.0.0' || a === '::' || a === '*' || a === null ? '*' : a);

test('tcp and udp: same sockets, states, queues, addresses, ports and inodes as ss', () => {
  const out = execFileSync('ss', ['-N', env.ns, '-tuanHe'], { encoding: 'utf8' });
  const expected = out.trim().split('\n').map((line) => {
    const f = line.trim().split(/\s+/);
    const [la, lp] = splitEndpoint(f[4]);
    const [pa, pp] = splitEndpoint(f[5]);
    const ino = /ino:(\d+)/.exec(line);
    return [f[0], f[1], f[2], f[3], la, lp, pa, pp, ino ? ino[1] : '0'].join(' ');
  }).sort();
  const { sockets } = dumpAll(['tcp', 'udp']);
  const got = sockets.map((s) => [s.netid, s.stateName, s.recvQ, s.sendQ, anyFold(s.localAddress), s.localPort,
    anyFold(s.peerAddress), s.peerPort, s.inode].join(' ')).sort();
  assert.deepEqual(got, expected);
  assert.ok(got.length >= 12);
});

test('mptcp: same sockets as ss -M, with mptcp_info', () => {
  const out = execFileSync('ss', ['-N', env.ns, '-ManH'], { encoding: 'utf8' }).trim();
  const expected = out ? out.split('\n').map((line) => {
    const f = line.trim().split(/\s+/);
    return [f[0], f[1], f[2], ...splitEndpoint(f[3]), ...splitEndpoint(f[4])].join(' ');
  }).sort() : [];
  const sockets: Socket[] = [];
  diag.dump({ kinds: ['mptcp'], states: ALL_STATES, ext: { info: true } }, (s) => sockets.push(s));
  const got = sockets.map((s) => [s.stateName, s.recvQ, s.sendQ, anyFold(s.localAddress), s.localPort, anyFold(s.peerAddress), s.peerPort].join(' ')).sort();
  assert.deepEqual(got, expected);
  if (env.population.sockets.some((p) => p.kind === 'mptcp')) {
    assert.equal(got.length, 3);
    assert.ok(sockets.filter((s) => s.stateName === 'ESTAB').every((s) => s.mptcpInfo && s.tcpInfo === undefined));
  }
});

test('unix: same sockets, names, inodes, peers and queues as ss', () => {
  const out = execFileSync('ss', ['-N', env.ns, '-xanH'], { encoding: 'utf8' });
  const expected = out.trim().split('\n').map((line) => {
    const f = line.trim().split(/\s+/);
    return [f[0], f[1], f[2], f[3], f[4], f[5], f[7]].join(' ');
  }).sort();
  const { sockets } = dumpAll(['unix']);
  const got = sockets.map((s) => [s.netid, s.stateName, s.recvQ, s.sendQ, s.localAddress ?? '*', s.inode, s.peerInode].join(' ')).sort();
  assert.deepEqual(got, expected);
});

test('packet sockets match the population', () => {
  const { sockets } = dumpAll(['packet']);
  for (const p of env.population.sockets.filter((x) => x.kind === 'packet')) {
    const s = sockets.find((x) => x.inode === p.inode);
    assert.ok(s, p.label);
    assert.equal(s.netid, p.type);
    assert.equal(s.protocol, p.protocol);
    if (p.ifindex) assert.equal(s.ifindex, p.ifindex);
  }
});

test('kernel-side state mask: only listeners', () => {
  const { sockets } = dumpAll(['tcp'], 1 << TCP_LISTEN);
  assert.ok(sockets.length >= 5);
  assert.ok(sockets.every((s) => s.stateName === 'LISTEN'));
});

/** inet_diag_bc_op program: sport >= port && sport <= port (codes S_GE = 2, S_LE = 3). */
function sportEquals(port: number): Uint8Array {
  const b = Buffer.alloc(16);
  b[0] = 2; b[1] = 8; b.writeUInt16LE(20, 2); b.writeUInt16LE(port, 6);
  b[8] = 3; b[9] = 8; b.writeUInt16LE(12, 10); b.writeUInt16LE(port, 14);
  return b;
}

test('bytecode runs in the kernel; a rejected program is reported and the dump runs unfiltered', () => {
  const filtered: Socket[] = [];
  const r = diag.dump({ kinds: ['tcp'], families: [4], states: ALL_STATES, bytecode: sportEquals(5000) }, (s) => filtered.push(s));
  assert.equal(r.bytecodeRejected, undefined);
  assert.deepEqual(filtered.map((s) => s.localPort), [5000, 5000]);
  const bad = Buffer.from([99, 4, 8, 0]);
  const all: Socket[] = [];
  const r2 = diag.dump({ kinds: ['tcp'], families: [4], states: ALL_STATES, bytecode: bad }, (s) => all.push(s));
  assert.match(r2.bytecodeRejected ?? '', /refused the filter bytecode \(EINVAL\)/);
  assert.ok(all.length > 2);
});

test('raw: the missing raw_diag is noted once and /proc/net gives the raw sockets', () => {
  const { sockets, notes } = dumpAll(['raw']);
  const raw = notes.filter((n) => n.startsWith('raw:'));
  assert.equal(raw.length, 1, notes.join('\n'));
  assert.match(raw[0], /no raw_diag.*\/proc\/net\/raw.*no tcp_info/);
  for (const label of ['raw4-icmp', 'raw6-icmp']) {
    const p = env.population.sockets.find((x) => x.label === label)!;
    const s = sockets.find((x) => x.inode === p.inode);
    assert.ok(s, `${label} found through /proc`);
    assert.equal(s.source, 'procfs');
    assert.equal(s.localPort, p.lport);
    assert.equal(s.localAddress, p.local);
    assert.equal(s.stateName, 'UNCONN');
  }
});

test('lookup by cookie returns the same socket; a wrong cookie returns null', () => {
  const { sockets } = dumpAll(['tcp', 'unix']);
  const p = env.population.sockets.find((x) => x.label === 'tcp4-server')!;
  const s = sockets.find((x) => x.inode === p.inode)!;
  const again = diag.lookup(s, { info: true });
  assert.ok(again);
  assert.equal(again.cookie, s.cookie);
  assert.equal(again.inode, s.inode);
  assert.equal(again.recvQ, 100);
  assert.ok(again.tcpInfo && again.tcpInfo.bytes_received === 100n);
  assert.equal(diag.lookup({ kind: 'tcp', family: 4, cookie: s.cookie + 1000n, src: s.localAddress!, sport: s.localPort, dst: s.peerAddress!, dport: s.peerPort }), null);
  const mapped = sockets.find((x) => x.inode === env.population.sockets.find((y) => y.label === 'tcp6-mapped-server')!.inode)!;
  assert.equal(diag.lookup(mapped)?.inode, mapped.inode);
  const u = sockets.find((x) => x.inode === env.population.sockets.find((y) => y.label === 'unix-stream-server')!.inode)!;
  assert.equal(diag.lookup(u)?.peerInode, u.peerInode);
});

test('destroy aborts a TCP connection and the destroy event arrives', async () => {
  const script = `
import socket, sys
l = socket.socket(); l.bind(("127.0.0.1", 6000)); l.listen()
c = socket.create_connection(("127.0.0.1", 6000)); a, _ = l.accept()
print("ready", c.getsockname()[1], flush=True)
try:
    c.recv(1); print("returned", flush=True)
except OSError as e:
    print(type(e).__name__, e.errno, flush=True)
c.close(); a.close(); l.close()
print("closed", flush=True)
sys.stdin.read()
`;
  const child = spawn('ip', ['netns', 'exec', env.ns, 'python3', '-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const lines = readline.createInterface({ input: child.stdout! });
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  lines.on('line', (l) => { queue.push(l); wake?.(); });
  const nextLine = async (): Promise<string> => {
    const deadline = Date.now() + 10000;
    while (!queue.length) {
      if (Date.now() > deadline) throw new Error('child said nothing');
      await new Promise<void>((r) => { wake = r; setTimeout(r, 200); });
    }
    return queue.shift()!;
  };
  const ready = await nextLine();
  const port = Number(ready.split(' ')[1]);
  const events: Socket[] = [];
  const sub = subscribeDestroyEvents({ netnsPath: env.path, groups: ['tcp4'] }, (s) => events.push(s));
  try {
    const { sockets } = dumpAll(['tcp']);
    const victim = sockets.find((s) => s.localPort === port && s.peerPort === 6000);
    assert.ok(victim, 'the client socket is in the dump');
    diag.destroy(victim);
    assert.equal(await nextLine(), 'ConnectionAbortedError 103');
    assert.equal(await nextLine(), 'closed');
    const deadline = Date.now() + 5000;
    while (!events.some((e) => e.localPort === port) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const ev = events.find((e) => e.localPort === port);
    assert.ok(ev, `destroy event for port ${port} (got ${events.map((e) => e.localPort).join(',')})`);
    assert.equal(ev.netid, 'tcp');
    assert.equal(ev.peerPort, 6000);
    assert.equal(diag.lookup(victim), null, 'gone after destroy');
    assert.throws(() => diag.destroy(victim), (e: unknown) => e instanceof NetlinkError && e.errno === 2);
  } finally {
    sub.close();
    child.stdin!.end();
  }
});

test('destroy refuses unix sockets with EOPNOTSUPP; a bad namespace is a clear NetlinkError', () => {
  const { sockets } = dumpAll(['unix']);
  assert.throws(() => diag.destroy(sockets[0]), (e: unknown) => e instanceof NetlinkError && e.errno === 95);
  assert.throws(() => SockDiag.open({ netnsPath: '/run/netns/sockscope-no-such-namespace' }),
    (e: unknown) => e instanceof NetlinkError && /cannot open network namespace .*ENOENT/.test(e.message));
});

test('procfs-only mode (what a kernel without sock_diag gets) agrees with netlink on tuples and states', () => {
  const proc = SockDiag.open({ netnsPath: env.path, procfsOnly: true });
  try {
    assert.equal(proc.usesNetlink, false);
    const got: Socket[] = [];
    const notes = proc.dump({ kinds: ['tcp', 'udp', 'unix', 'raw'], states: ALL_STATES }, (s) => got.push(s));
    assert.equal(notes.notes.length, 1, notes.notes.join('\n'));
    assert.match(notes.notes[0], /\/proc\/net.*no tcp_info/);
    assert.deepEqual(notes.procfs, ['tcp', 'udp', 'unix', 'raw']);
    assert.ok(got.every((s) => s.source === 'procfs'));
    const key = (s: Socket): string => [s.netid, s.stateName, s.localAddress, s.localPort, s.peerAddress, s.peerPort, s.inode].join(' ');
    const viaNetlink = dumpAll(['tcp', 'udp', 'unix']).sockets.map(key).sort();
    const viaProc = got.filter((s) => s.kind !== 'raw').map((s) => (s.kind === 'unix' ? [s.netid, s.stateName, s.localAddress, s.localPort, null, 0, s.inode].join(' ') : key(s))).sort();
    const viaNetlinkNoPeers = dumpAll(['tcp', 'udp', 'unix']).sockets
      .map((s) => (s.kind === 'unix' ? [s.netid, s.stateName, s.localAddress, s.localPort, null, 0, s.inode].join(' ') : key(s))).sort();
    assert.equal(viaProc.length, viaNetlink.length);
    assert.deepEqual(viaProc, viaNetlinkNoPeers);
    assert.equal(got.filter((s) => s.kind === 'raw').length, 2);
  } finally {
    proc.close();
  }
});

test('a receive with nothing to read ends with a timeout error, not a hang; the socket stays usable', () => {
  const t = new Transport(openDiagSocket(), 200);
  try {
    assert.throws(() => t.recv(), (e: unknown) => e instanceof NetlinkError && e.code === 'timeout' && e.errno === 110);
    assert.equal(t.recv(true), null);
  } finally {
    t.close();
  }
  assert.throws(() => t.recv(), (e: unknown) => e instanceof NetlinkError && e.errno === 9);
});
