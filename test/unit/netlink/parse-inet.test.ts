import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixture, pop, byInode, manifest } from './fixtures';
import { AF_INET, AF_INET6, TCP_LISTEN, TCP_ESTABLISHED, TCP_CLOSE } from '../../../src/netlink/diag-socket';
import { TCP_INFO_SIZE as TCP_INFO_SIZE_6_18, TCP_INFO_FIELDS } from '../../../src/fields/index';

test('tcp4 fixture: every population socket with the right tuple, state and queues', () => {
  const { sockets, state } = parseFixture('tcp4.bin');
  assert.equal(state.done, true);
  assert.equal(state.errno, 0);
  // The population's 5 plus the TCP subflows of its MPTCP sockets (which tcp_diag lists too).
  assert.equal(sockets.length, manifest.fixtures['tcp4.bin'].sockets);
  assert.equal(sockets.length, 8);
  for (const label of ['tcp4-listen', 'tcp4-client', 'tcp4-server', 'tcp4-bound-lo']) {
    const p = pop(label);
    const s = byInode(sockets, p.inode);
    assert.equal(s.netid, 'tcp');
    assert.equal(s.family, AF_INET);
    assert.equal(s.stateName, p.state);
    assert.equal(s.localAddress, p.local);
    assert.equal(s.localPort, p.lport);
    if (p.peer) { assert.equal(s.peerAddress, p.peer); assert.equal(s.peerPort, p.pport); }
    else { assert.equal(s.peerAddress, '0.0.0.0'); assert.equal(s.peerPort, 0); }
    if (p.recvq !== undefined) assert.equal(s.recvQ, p.recvq);
    assert.equal(s.source, 'netlink');
    assert.ok(s.cookie > 0n);
  }
  const l = byInode(sockets, pop('tcp4-listen').inode);
  assert.equal(l.state, TCP_LISTEN);
  assert.equal(l.sendQ, 16, 'a listener reports its backlog as Send-Q');
  assert.equal(l.mark, 42);
  assert.equal(byInode(sockets, pop('tcp4-bound-lo').inode).ifindex, 1);
  assert.deepEqual(Array.from(l.localAddressBytes!), [127, 0, 0, 1]);
});

test('tcp4 fixture: tcp_info is the full 6.18 struct, with extensions', () => {
  const { sockets } = parseFixture('tcp4.bin');
  const c = byInode(sockets, pop('tcp4-client').inode);
  const ti = c.tcpInfo!;
  assert.ok(ti);
  assert.equal(ti.length, TCP_INFO_SIZE_6_18);
  assert.equal(ti.state, TCP_ESTABLISHED);
  assert.ok(ti.snd_mss! > 0);
  assert.ok(ti.rtt! > 0);
  assert.equal(typeof ti.bytes_acked, 'bigint');
  assert.equal(ti.bytes_sent, 100n);
  assert.equal(ti.bytes_acked, 101n);
  assert.ok(ti.pacing_rate === 'unlimited' || typeof ti.pacing_rate === 'bigint');
  assert.equal(ti.has('options2'), true);
  const obj = ti.toObject();
  assert.equal(Object.keys(obj).length, TCP_INFO_FIELDS.length);
  assert.equal(c.congestion, 'bbr');
  assert.ok(c.bbr && c.bbr.bw >= 0n);
  assert.ok(c.skmem && c.skmem.rcvbuf > 0 && c.skmem.raw.length >= 9);
  assert.ok(c.meminfo);
  assert.equal(typeof c.tos, 'number');
  assert.equal(c.shutdown, 0);
  assert.equal(typeof c.cgroupId, 'bigint');
  assert.equal(typeof c.classId, 'number');
  const srv = byInode(sockets, pop('tcp4-server').inode);
  assert.equal(srv.tcpInfo!.bytes_received, 100n);
});

test('tcp4 plain fixture: no extensions requested, none decoded', () => {
  const { sockets } = parseFixture('tcp4-plain.bin');
  const c = byInode(sockets, pop('tcp4-client').inode);
  assert.equal(c.tcpInfo, undefined);
  assert.equal(c.congestion, undefined);
  assert.equal(c.skmem, undefined);
  assert.equal(c.timer?.name, 'off');
});

test('tcp6 fixture: IPv6, v4-mapped and link-local scope', () => {
  const { sockets } = parseFixture('tcp6.bin');
  assert.equal(sockets.length, 4);
  for (const label of ['tcp6-listen', 'tcp6-dual-listen', 'tcp6-mapped-server', 'tcp6-linklocal']) {
    const p = pop(label);
    const s = byInode(sockets, p.inode);
    assert.equal(s.family, AF_INET6);
    assert.equal(s.localAddress, p.local);
    assert.equal(s.localPort, p.lport);
    if (p.peer) assert.equal(s.peerAddress, p.peer);
    else assert.equal(s.peerAddress, '::');
    if (p.ifindex) assert.equal(s.ifindex, p.ifindex);
  }
  assert.equal(byInode(sockets, pop('tcp6-listen').inode).ifindex, 0);
  assert.equal(byInode(sockets, pop('tcp6-listen').inode).v6only, 1);
  assert.equal(byInode(sockets, pop('tcp6-dual-listen').inode).v6only, 0);
});

test('udp fixtures: bound and connected, v4 and v6', () => {
  const u4 = parseFixture('udp4.bin').sockets;
  assert.equal(u4.length, 2);
  const b = byInode(u4, pop('udp4-bound').inode);
  assert.equal(b.netid, 'udp');
  assert.equal(b.state, TCP_CLOSE);
  assert.equal(b.stateName, 'UNCONN');
  assert.equal(b.localPort, 5353);
  assert.ok(b.recvQ > 0, 'the queued datagram shows in Recv-Q');
  const c = byInode(u4, pop('udp4-connected').inode);
  assert.equal(c.stateName, 'ESTAB');
  assert.equal(c.peerAddress, '127.0.0.1');
  assert.equal(c.peerPort, 5353);
  assert.equal(c.tcpInfo, undefined);
  const u6 = parseFixture('udp6.bin').sockets;
  assert.equal(byInode(u6, pop('udp6-bound').inode).localAddress, '::1');
});

test('raw4 fixture: the missing raw_diag module ends the dump with ENOENT', () => {
  const { sockets, state } = parseFixture('raw4.bin');
  assert.equal(sockets.length, 0);
  assert.equal(state.done, true);
  assert.equal(state.errno, 2);
});

test('inet replies are not filtered again (the kernel did); packet and netlink ones are', () => {
  assert.equal(parseFixture('tcp4.bin', 1 << TCP_LISTEN).sockets.length, 8);
  assert.equal(parseFixture('netlink.bin', 1 << TCP_LISTEN).sockets.length, 0);
  assert.equal(parseFixture('packet.bin', 1 << TCP_LISTEN).sockets.length, 0);
  assert.equal(parseFixture('packet.bin', 1 << TCP_CLOSE).sockets.length, 2);
});

test('mptcp fixture: mptcp_info instead of tcp_info', () => {
  const { sockets, state } = parseFixture('mptcp4.bin');
  assert.equal(state.errno, 0);
  assert.equal(sockets.length, 3);
  const c = byInode(sockets, pop('mptcp-client').inode);
  assert.equal(c.netid, 'mptcp');
  assert.equal(c.stateName, 'ESTAB');
  assert.equal(c.peerPort, 8000);
  assert.equal(c.tcpInfo, undefined);
  const mi = c.mptcpInfo!;
  assert.ok(mi);
  assert.equal(typeof mi.write_seq, 'bigint');
  assert.equal(mi.bytes_sent, 50n);
  assert.ok(mi.subflows_total !== undefined && mi.subflows_total >= 1);
  assert.equal(byInode(sockets, pop('mptcp-listen').inode).stateName, 'LISTEN');
});
