// The batched dump (recvmmsg on a pool thread, parsed while the next batch arrives) against the
// plain one, over a table large enough to span many batches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SockDiag, ALL_STATES, type Socket } from '../../src/netlink';
import { BATCH_DATAGRAMS } from '../../src/netlink/batch-receiver';
import { PopulationBuilder, startInNewNetns, type PopulatedNetns } from './lib/population';

let env: PopulatedNetns;
let diag: SockDiag;

before(async () => {
  // 1,500 loopback connections: 3,001 TCP sockets, with tcp_info some 50 datagrams.
  env = await startInNewNetns('batched', new PopulationBuilder()
    .tcpListener('127.0.0.1', 7000)
    .python('import resource\nresource.setrlimit(resource.RLIMIT_NOFILE, (4096, max(4096, resource.getrlimit(resource.RLIMIT_NOFILE)[1])))')
    .python("for _ in range(1500): connection(L['l_127.0.0.1_7000'], '127.0.0.1', 7000)")
    .tcpListener('::1', 7000)
    .tcpConnection('::1', 7000));
  diag = SockDiag.open({ netnsPath: env.ns.path });
});

after(async () => {
  diag?.close();
  await env?.stop();
});

/** What a transient socket says while it is valid: enough to tell sockets and their tcp_info apart. */
function fingerprint(s: Socket): string {
  const info = s.tcpInfo;
  return [s.netid, s.stateName, s.localAddress, s.localPort, s.peerAddress, s.peerPort, s.inode, s.cookie, info?.snd_mss, info?.rcv_space, s.congestion].join(' ');
}

test('a batched dump delivers the same sockets, with the same tcp_info, as a plain dump', async () => {
  const req = { kinds: ['tcp' as const, 'unix' as const], states: ALL_STATES, ext: { info: true, cong: true } };
  const plain: string[] = [];
  diag.dump(req, (s) => plain.push(fingerprint(s)));
  const batched: string[] = [];
  const notes = await diag.dumpBatched(req, (s) => batched.push(fingerprint(s)));
  assert.equal(notes.count, batched.length);
  assert.ok(batched.length > 3000, `only ${batched.length} sockets`);
  // Each dump walks the kernel's table in the same order.
  assert.deepEqual(batched, plain);
});

test('the dump spans several batches, and the socket stays usable for the next request', async () => {
  const notes = await diag.dumpBatched({ kinds: ['tcp'], states: ALL_STATES, ext: { info: true } }, () => {});
  // Over 300 bytes per socket with tcp_info, 32 KiB datagrams: more datagrams than one batch holds.
  assert.ok(notes.count * 300 > 2 * BATCH_DATAGRAMS * 32768, `${notes.count} sockets fit two batches`);
  const again: Socket[] = [];
  diag.dump({ kinds: ['tcp'], states: 1 << 10 }, (s) => again.push(s));
  assert.deepEqual(again.map((s) => `${s.localAddress}:${s.localPort}`), ['127.0.0.1:7000', '::1:7000']);
});

test('TCP of both families comes from one walk, in the order of two dumps by family (IPv4 first)', async () => {
  const fp = (s: Socket): string => [s.family, s.localAddress, s.localPort, s.peerAddress, s.peerPort, s.cookie].join(' ');
  const byFamily: string[] = [];
  for (const family of [4, 6] as const) diag.dump({ kinds: ['tcp'], families: [family], states: ALL_STATES }, (s) => byFamily.push(fp(s)));
  assert.ok(byFamily.some((l) => l.startsWith('10 ')), 'the population has IPv6 sockets');
  const both: string[] = [];
  diag.dump({ kinds: ['tcp'], states: ALL_STATES }, (s) => both.push(fp(s)));
  assert.deepEqual(both, byFamily);
  const batched: string[] = [];
  await diag.dumpBatched({ kinds: ['tcp'], states: ALL_STATES }, (s) => batched.push(fp(s)));
  assert.deepEqual(batched, byFamily);
  // With a filter in the kernel: the same sockets as the unfiltered walk's matching ones.
  const filtered: string[] = [];
  const bytecode = Uint8Array.from([0x07, 0x10, 0x14, 0x00, 0, 0, 0, 0, 0x58, 0x1b, 0, 0, 0, 0, 0, 0]); // sport = 7000
  diag.dump({ kinds: ['tcp'], states: ALL_STATES, bytecode }, (s) => filtered.push(fp(s)));
  assert.deepEqual(filtered, byFamily.filter((l) => l.split(' ')[2] === '7000'));
});

test('one batched dump at a time: a second concurrent one is refused, the first completes', async () => {
  const first = diag.dumpBatched({ kinds: ['tcp'], states: ALL_STATES }, () => {});
  const other = SockDiag.open({ netnsPath: env.ns.path });
  try {
    await assert.rejects(other.dumpBatched({ kinds: ['tcp'], states: ALL_STATES }, () => {}), /one batched dump at a time/);
  } finally {
    other.close();
  }
  assert.ok((await first).count > 3000);
});
