import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixture, pop, byInode, manifest } from './fixtures';
import { AF_UNIX, AF_PACKET, AF_NETLINK } from '../../../src/netlink/diag-socket';

test('unix fixture: names, types, states, peers and queues', () => {
  const { sockets, state } = parseFixture('unix.bin');
  assert.equal(state.errno, 0);
  const labels = manifest.population.sockets.filter((p) => p.kind === 'unix');
  assert.equal(sockets.length, labels.length);
  for (const p of labels) {
    const s = byInode(sockets, p.inode);
    assert.equal(s.family, AF_UNIX);
    assert.equal(s.netid, p.type);
    assert.equal(s.stateName, p.state);
    assert.equal(s.localPort, p.inode);
    if (p.name) assert.equal(s.localAddress, p.name);
    if (p.recvq !== undefined) assert.equal(s.recvQ, p.recvq);
  }
  const client = byInode(sockets, pop('unix-stream-client').inode);
  const server = byInode(sockets, pop('unix-stream-server').inode);
  assert.equal(client.peerInode, server.inode);
  assert.equal(server.peerInode, client.inode);
  assert.equal(client.peerPort, server.inode);
  assert.equal(client.localAddress, null, 'a connecting client is unnamed');
  const listener = byInode(sockets, pop('unix-stream-listen').inode);
  assert.equal(listener.sendQ, 5, 'a listener reports its backlog');
  assert.deepEqual(listener.unixIcons, []);
  assert.ok(listener.unixVfs && listener.unixVfs.ino > 0);
  assert.ok(server.skmem && server.skmem.rcvbuf > 0);
  assert.ok(client.skmem!.wmemAlloc > 0, 'the sender holds the queued bytes');
  assert.equal(byInode(sockets, pop('unix-abstract-listen').inode).unixName, pop('unix-abstract-listen').name);
  assert.equal(client.uid, 0);
  const a = byInode(sockets, pop('unix-seqpacket-a').inode);
  assert.equal(a.peerInode, pop('unix-seqpacket-b').inode);
});

test('packet fixture: raw and dgram sockets, protocol and interface', () => {
  const { sockets } = parseFixture('packet.bin');
  assert.equal(sockets.length, 2);
  const raw = byInode(sockets, pop('packet-raw').inode);
  assert.equal(raw.family, AF_PACKET);
  assert.equal(raw.netid, 'p_raw');
  assert.equal(raw.protocol, 3);
  assert.equal(raw.stateName, 'UNCONN');
  assert.equal(raw.ifindex, 0);
  assert.ok(raw.packet);
  const dg = byInode(sockets, pop('packet-dgram').inode);
  assert.equal(dg.netid, 'p_dgr');
  assert.equal(dg.protocol, 0x0800);
  assert.equal(dg.ifindex, 1);
  assert.equal(dg.packet!.index, 1);
  assert.ok(dg.skmem);
});

test('netlink fixture: every socket is a netlink socket with protocol, port and inode', () => {
  const { sockets } = parseFixture('netlink.bin');
  assert.equal(sockets.length, manifest.fixtures['netlink.bin'].sockets);
  for (const s of sockets) {
    assert.equal(s.family, AF_NETLINK);
    assert.equal(s.netid, 'nl');
    assert.equal(s.stateName, 'UNCONN');
    assert.ok(s.inode > 0);
    assert.ok(s.netlinkGroups === undefined || Array.isArray(s.netlinkGroups));
    assert.ok(s.skmem && s.skmem.rcvbuf > 0);
  }
  // The capture tool's own sock_diag socket (protocol 4) is in the dump.
  assert.ok(sockets.some((s) => s.protocol === 4));
});
