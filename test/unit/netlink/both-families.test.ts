// TCP dumps of both families in one walk: the TCPDIAG_GETSOCK request, and IPv6 replies kept back
// so IPv4 sockets are delivered first (ss's order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datagrams, manifest } from './fixtures';
import { parseDatagram, newDumpState } from '../../../src/netlink/parse';
import { tcpBothFamiliesRequest } from '../../../src/netlink/requests';
import { TCPDIAG_GETSOCK, NLM_F_REQUEST, NLM_F_DUMP, NLMSG_DONE, nlmsgAlign } from '../../../src/netlink/constants';
import { ALL_STATES, AF_INET, AF_INET6, type Socket } from '../../../src/netlink/diag-socket';

/** The socket messages of a fixture, retyped as TCPDIAG_GETSOCK replies with sequence `seq`. */
function messages(file: string, seq: number): Buffer[] {
  const out: Buffer[] = [];
  for (const d of datagrams(file)) {
    for (let off = 0; off + 16 <= d.length;) {
      const len = d.readUInt32LE(off);
      if (d.readUInt16LE(off + 4) === 20) {
        const m = Buffer.alloc(nlmsgAlign(len));
        d.copy(m, 0, off, off + len);
        m.writeUInt16LE(TCPDIAG_GETSOCK, 4);
        m.writeUInt32LE(seq, 8);
        out.push(m);
      }
      off += nlmsgAlign(len);
    }
  }
  return out;
}

function done(seq: number): Buffer {
  const m = Buffer.alloc(20);
  m.writeUInt32LE(20, 0);
  m.writeUInt16LE(NLMSG_DONE, 4);
  m.writeUInt32LE(seq, 8);
  return m;
}

test('the request: TCPDIAG_GETSOCK dump, any cookie, states (with request sockets for SYN-RECV), bytecode', () => {
  const bc = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const r = tcpBothFamiliesRequest({ states: 1 << 3, ext: 0x12, seq: 77, bytecode: bc });
  assert.equal(r.readUInt32LE(0), r.length);
  assert.equal(r.length, 16 + 60 + 12);
  assert.equal(r.readUInt16LE(4), TCPDIAG_GETSOCK);
  assert.equal(r.readUInt16LE(6), NLM_F_REQUEST | NLM_F_DUMP);
  assert.equal(r.readUInt32LE(8), 77);
  assert.equal(r[16], 0, 'the family is not the request\'s to choose');
  assert.equal(r[16 + 3], 0x12);
  assert.equal(r.readUInt32LE(16 + 44), 0xffffffff);
  assert.equal(r.readUInt32LE(16 + 48), 0xffffffff);
  assert.equal(r.readUInt32LE(16 + 52), (1 << 3) | (1 << 12));
  assert.equal(r.readUInt16LE(76), 12);
  assert.equal(r.readUInt16LE(78), 1, 'INET_DIAG_REQ_BYTECODE');
  assert.deepEqual([...r.subarray(80, 88)], [...bc]);
});

test('IPv6 replies are kept back in order and delivered after the IPv4 ones', () => {
  const seq = manifest.fixtures['tcp4.bin'].seq;
  const v4 = messages('tcp4.bin', seq);
  const v6 = messages('tcp6.bin', seq);
  assert.ok(v4.length >= 2 && v6.length >= 2);
  // Interleaved as one walk of the kernel's tables would mix them.
  const mixed: Buffer[] = [];
  for (let i = 0; i < Math.max(v4.length, v6.length); i++) {
    if (v6[i]) mixed.push(v6[i]);
    if (v4[i]) mixed.push(v4[i]);
  }
  const datagram = Buffer.concat([...mixed, done(seq)]);
  const st = newDumpState('tcp', seq, ALL_STATES, null, TCPDIAG_GETSOCK, AF_INET6);
  const first: Socket[] = [];
  parseDatagram(datagram, datagram.length, st, (s) => first.push(s));
  assert.equal(st.done, true);
  assert.deepEqual(first.map((s) => s.family), v4.map(() => AF_INET));
  assert.equal(st.count, v4.length);
  const later: Socket[] = [];
  const again = newDumpState('tcp', seq, ALL_STATES, null, TCPDIAG_GETSOCK);
  parseDatagram(st.deferred!, st.deferredLen, again, (s) => later.push(s));
  assert.deepEqual(later.map((s) => s.family), v6.map(() => AF_INET6));
  // The same sockets, in their order, as parsing the IPv6 messages directly.
  const direct: Socket[] = [];
  const d6 = Buffer.concat(v6);
  parseDatagram(d6, d6.length, newDumpState('tcp', seq, ALL_STATES, null, TCPDIAG_GETSOCK), (s) => direct.push(s));
  assert.deepEqual(later.map((s) => `${s.localAddress}:${s.localPort} ${s.cookie}`), direct.map((s) => `${s.localAddress}:${s.localPort} ${s.cookie}`));
});
