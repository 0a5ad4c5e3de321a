// Truncated and malformed replies: each is a NetlinkError with a clear message; none escapes as a
// RangeError/TypeError from a Buffer read, none loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datagrams, manifest } from './fixtures';
import { parseDatagram, newDumpState } from '../../../src/netlink/parse';
import { NetlinkError } from '../../../src/netlink/errors';
import { ALL_STATES, type Socket } from '../../../src/netlink/diag-socket';

const FILES = ['tcp4.bin', 'tcp6.bin', 'udp4.bin', 'mptcp4.bin', 'unix.bin', 'packet.bin', 'netlink.bin', 'raw4.bin'];

/** Parse and touch every lazy field, so lazy decoders are exercised on the damaged bytes too. */
function parseAndTouch(file: string, d: Buffer, len: number): void {
  const f = manifest.fixtures[file];
  const st = newDumpState(f.kind, f.seq, ALL_STATES);
  parseDatagram(d, len, st, (s: Socket) => {
    void s.localAddress; void s.peerAddress; void s.cookie; void s.timer; void s.congestion; void s.skmem; void s.meminfo;
    void s.bbr; void s.dctcp; void s.vegas; void s.unixName; void s.unixVfs; void s.unixIcons; void s.netlinkGroups;
    s.tcpInfo?.toObject(); void s.mptcpInfo; void s.cgroupId;
  });
}

function expectNetlinkErrorOrOk(fn: () => void, what: string): 'ok' | 'error' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof NetlinkError, `${what}: threw ${(e as Error).name}: ${(e as Error).message}`);
    assert.match(e.message, /malformed|sequence|expected/);
    return 'error';
  }
}

test('a datagram cut at every offset is parsed up to the cut or rejected as malformed', () => {
  for (const file of FILES) {
    for (const d of datagrams(file)) {
      for (let cut = 0; cut < d.length; cut++) {
        const copy = Buffer.from(d.subarray(0, cut));
        expectNetlinkErrorOrOk(() => parseAndTouch(file, copy, cut), `${file} cut at ${cut}`);
      }
    }
  }
});

test('a length larger than the buffer is rejected, not read past', () => {
  const d = datagrams('tcp4.bin')[0];
  const r = expectNetlinkErrorOrOk(() => parseAndTouch('tcp4.bin', Buffer.from(d.subarray(0, 100)), d.length), 'len');
  assert.equal(r, 'error');
});

test('every nlmsg_len value is handled: too small, too large, odd', () => {
  const d = datagrams('tcp4.bin')[0];
  for (const bad of [0, 1, 15, 16, 17, 71, 72, 88, d.length + 1, 0xffff, 0xffffffff]) {
    const copy = Buffer.from(d);
    copy.writeUInt32LE(bad >>> 0, 0);
    expectNetlinkErrorOrOk(() => parseAndTouch('tcp4.bin', copy, copy.length), `nlmsg_len ${bad}`);
  }
  const zero = Buffer.from(d);
  zero.writeUInt32LE(0, 0);
  assert.throws(() => parseAndTouch('tcp4.bin', zero, zero.length), /nlmsg_len 0 is smaller than the header/);
});

test('attribute lengths that overrun or undercut are malformed', () => {
  const d = datagrams('tcp4.bin')[0];
  const mlen = d.readUInt32LE(0);
  const firstAttr = 16 + 72;
  assert.ok(mlen > firstAttr + 4, 'fixture has attributes');
  for (const bad of [0, 1, 3, 0xffff, mlen]) {
    const copy = Buffer.from(d);
    copy.writeUInt16LE(bad, firstAttr);
    const r = expectNetlinkErrorOrOk(() => parseAndTouch('tcp4.bin', copy, copy.length), `nla_len ${bad}`);
    assert.equal(r, 'error', `nla_len ${bad} must be rejected`);
  }
  // Every attribute header in the first message, fuzzed with each small length.
  let off = firstAttr;
  while (off + 4 <= mlen) {
    const alen = d.readUInt16LE(off);
    for (let bad = 0; bad < 12; bad++) {
      const copy = Buffer.from(d);
      copy.writeUInt16LE(bad, off);
      expectNetlinkErrorOrOk(() => parseAndTouch('tcp4.bin', copy, copy.length), `attr at ${off} len ${bad}`);
    }
    off += (alen + 3) & ~3;
  }
});

test('random corruption never escapes as a non-NetlinkError', () => {
  let seed = 12345;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  for (const file of FILES) {
    for (const d of datagrams(file)) {
      for (let i = 0; i < 300; i++) {
        const copy = Buffer.from(d);
        for (let k = 0; k < 1 + rnd(4); k++) copy[rnd(copy.length)] = rnd(256);
        expectNetlinkErrorOrOk(() => parseAndTouch(file, copy, copy.length), `${file} corrupted`);
      }
    }
  }
});

test('a reply with the wrong sequence number is a sequence error', () => {
  const d = datagrams('tcp4.bin')[0];
  const st = newDumpState('tcp', manifest.fixtures['tcp4.bin'].seq + 1, ALL_STATES);
  assert.throws(() => parseDatagram(d, d.length, st, () => undefined), (e: unknown) =>
    e instanceof NetlinkError && e.code === 'sequence' && /expected/.test(e.message));
});

function nlmsg(type: number, seq: number, payload: Buffer): Buffer {
  const b = Buffer.alloc(16 + payload.length);
  b.writeUInt32LE(b.length, 0);
  b.writeUInt16LE(type, 4);
  b.writeUInt32LE(seq, 8);
  payload.copy(b, 16);
  return b;
}

test('NLMSG_ERROR and NLMSG_DONE carry the kernel errno', () => {
  const err = Buffer.alloc(20);
  err.writeInt32LE(-1, 0); // -EPERM, then the echoed header
  const st = newDumpState('tcp', 7, ALL_STATES);
  parseDatagram(nlmsg(2, 7, err), 36, st, () => undefined);
  assert.equal(st.done, true);
  assert.equal(st.errno, 1);
  const done = Buffer.alloc(4);
  done.writeInt32LE(-2, 0);
  const st2 = newDumpState('raw', 8, ALL_STATES);
  parseDatagram(nlmsg(3, 8, done), 20, st2, () => undefined);
  assert.equal(st2.errno, 2);
  const st3 = newDumpState('tcp', 9, ALL_STATES);
  assert.throws(() => parseDatagram(nlmsg(2, 9, Buffer.alloc(0)), 16, st3, () => undefined), /NLMSG_ERROR without an error code/);
  const st4 = newDumpState('tcp', 9, ALL_STATES);
  assert.throws(() => parseDatagram(nlmsg(77, 9, Buffer.alloc(4)), 20, st4, () => undefined), /unexpected message type 77/);
});

test('NLM_F_DUMP_INTR is recorded', () => {
  const d = Buffer.from(datagrams('tcp4.bin')[0]);
  d.writeUInt16LE(d.readUInt16LE(6) | 0x10, 6);
  const st = newDumpState('tcp', manifest.fixtures['tcp4.bin'].seq, ALL_STATES);
  parseDatagram(d, d.length, st, () => undefined);
  assert.equal(st.interrupted, true);
});
