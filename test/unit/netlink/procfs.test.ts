// The /proc/net fallback parsers on tables captured at the same moment as the netlink fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProcInet, parseProcUnix, parseProcPacket, parseProcNetlink } from '../../../src/netlink/procfs';
import { ALL_STATES, TCP_LISTEN, AF_INET6, type Socket } from '../../../src/netlink/diag-socket';
import { manifest, pop, parseFixture } from './fixtures';

const text = (name: string): string => readFileSync(join(__dirname, '..', '..', 'fixtures', 'netlink', `proc-${name}.txt`), 'latin1');
const collect = (fn: (cb: (s: Socket) => void) => number): Socket[] => { const out: Socket[] = []; fn((s) => out.push(s)); return out; };
const find = (list: Socket[], label: string): Socket => {
  const s = list.find((x) => x.inode === pop(label).inode);
  assert.ok(s, label);
  return s;
};

test('tcp and tcp6 tables give the same tuples, states and queues as netlink', () => {
  const v4 = collect((cb) => parseProcInet(text('tcp'), 'tcp', 4, ALL_STATES, cb));
  const v6 = collect((cb) => parseProcInet(text('tcp6'), 'tcp', 6, ALL_STATES, cb));
  const nl = [...parseFixture('tcp4.bin').sockets, ...parseFixture('tcp6.bin').sockets];
  for (const p of manifest.population.sockets.filter((x) => x.kind === 'tcp')) {
    const s = find([...v4, ...v6], p.label);
    const n = nl.find((x) => x.inode === p.inode)!;
    assert.equal(s.source, 'procfs');
    assert.equal(s.stateName, p.state, p.label);
    assert.equal(s.localAddress, n.localAddress, p.label);
    assert.equal(s.localPort, n.localPort);
    assert.equal(s.peerAddress, n.peerAddress);
    assert.equal(s.peerPort, n.peerPort);
    if (p.state !== 'LISTEN') assert.equal(s.recvQ, n.recvQ, p.label);
    assert.equal(s.uid, n.uid);
  }
  assert.equal(find(v6, 'tcp6-mapped-server').family, AF_INET6);
  assert.equal(find(v6, 'tcp6-mapped-server').localAddress, '::ffff:127.0.0.1');
  const listeners = collect((cb) => parseProcInet(text('tcp'), 'tcp', 4, 1 << TCP_LISTEN, cb));
  assert.ok(listeners.length >= 2 && listeners.every((s) => s.state === TCP_LISTEN));
});

test('udp, raw and raw6 tables', () => {
  const u = collect((cb) => parseProcInet(text('udp'), 'udp', 4, ALL_STATES, cb));
  assert.equal(find(u, 'udp4-connected').stateName, 'ESTAB');
  assert.equal(find(u, 'udp4-bound').localPort, 5353);
  assert.ok(find(u, 'udp4-bound').recvQ > 0);
  const r4 = collect((cb) => parseProcInet(text('raw'), 'raw', 4, ALL_STATES, cb));
  const r6 = collect((cb) => parseProcInet(text('raw6'), 'raw', 6, ALL_STATES, cb));
  assert.equal(find(r4, 'raw4-icmp').localPort, 1);
  assert.equal(find(r4, 'raw4-icmp').protocol, 1);
  assert.equal(find(r6, 'raw6-icmp').localPort, 58);
  assert.equal(find(r6, 'raw6-icmp').localAddress, '::');
  assert.equal(find(r6, 'raw6-icmp').netid, 'raw');
});

test('unix table: names (with abstract), types and states as ss maps them', () => {
  const u = collect((cb) => parseProcUnix(text('unix'), ALL_STATES, cb));
  for (const p of manifest.population.sockets.filter((x) => x.kind === 'unix')) {
    const s = find(u, p.label);
    assert.equal(s.netid, p.type, p.label);
    assert.equal(s.stateName, p.state, p.label);
    if (p.name) assert.equal(s.localAddress, p.name, p.label);
    assert.equal(s.localPort, p.inode);
  }
  assert.equal(find(u, 'unix-stream-client').localAddress, null);
});

test('packet and netlink tables', () => {
  const pk = collect((cb) => parseProcPacket(text('packet'), ALL_STATES, cb));
  assert.equal(find(pk, 'packet-raw').netid, 'p_raw');
  assert.equal(find(pk, 'packet-raw').protocol, 3);
  assert.equal(find(pk, 'packet-dgram').protocol, 0x0800);
  assert.equal(find(pk, 'packet-dgram').ifindex, 1);
  const nl = collect((cb) => parseProcNetlink(text('netlink'), ALL_STATES, cb));
  const fromDiag = parseFixture('netlink.bin').sockets;
  assert.ok(nl.length >= fromDiag.length - 1);
  assert.ok(nl.every((s) => s.netid === 'nl' && s.inode > 0 && Array.isArray(s.netlinkGroups)));
  assert.equal(collect((cb) => parseProcNetlink(text('netlink'), 1 << TCP_LISTEN, cb)).length, 0);
});

test('garbage lines are skipped, not thrown', () => {
  assert.equal(collect((cb) => parseProcInet('header\nnot a socket line\n\n  0: zz:zz', 'tcp', 4, ALL_STATES, cb)).length, 0);
  assert.equal(collect((cb) => parseProcUnix('header\n\u0000\u0001', ALL_STATES, cb)).length, 0);
});
