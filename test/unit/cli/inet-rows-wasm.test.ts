// The WebAssembly writer of plain inet rows (src/cli/wasm/inet-rows.ts) must print exactly
// what the JavaScript path prints: both render the same generated dumps (random fields, random
// tcp_info bytes, the attributes and cases the writer leaves to JavaScript, enough rows for several
// renders) and the bytes are compared. Needs dist/inet-rows.wasm (npm test builds first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newDumpState, parseDatagram, type DumpState } from '../../../src/netlink/parse';
import { Socket, AF_INET, AF_INET6, type SockKind } from '../../../src/netlink/diag-socket';
import { NetlinkError } from '../../../src/netlink/errors';
import { TCPDIAG_GETSOCK, SOCK_DIAG_BY_FAMILY, NLMSG_DONE } from '../../../src/netlink/constants';
import { Output } from '../../../src/cli/output';
import { TextRenderer, type TextOptions } from '../../../src/cli/text';
import { loadInetRows } from '../../../src/cli/inet-rows';
import { NameResolver } from '../../../src/host/name-resolver';

const WASM = join(__dirname, '../../../dist/inet-rows.wasm');
const SEQ = 4242;

/** A small deterministic PRNG (xorshift32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}

interface Gen { r: () => number; pick<T>(xs: readonly T[]): T; u32(): number; small(): number }
function gen(seed: number): Gen {
  const r = rng(seed);
  return {
    r,
    pick: (xs) => xs[Math.floor(r() * xs.length)],
    u32: () => Math.floor(r() * 4294967296),
    // Mostly the small values real sockets have, sometimes anything.
    small: () => (r() < 0.15 ? Math.floor(r() * 4294967296) : r() < 0.4 ? 0 : Math.floor(r() * (r() < 0.5 ? 100 : 2000000))),
  };
}

function attr(type: number, payload: Buffer): Buffer {
  const len = 4 + payload.length;
  const out = Buffer.alloc((len + 3) & ~3);
  out.writeUInt16LE(len, 0);
  out.writeUInt16LE(type, 2);
  payload.copy(out, 4);
  return out;
}

/** A random struct tcp_info: small realistic values, sometimes huge ones, sometimes all ones. */
function tcpInfo(g: Gen, len: number): Buffer {
  const b = Buffer.alloc(len);
  for (let o = 0; o + 4 <= len; o += 4) b.writeUInt32LE(g.small(), o);
  for (let o = 0; o < 8 && o < len; o++) b[o] = Math.floor(g.r() * 256);
  if (len >= 120 && g.r() < 0.3) { b.writeUInt32LE(0xffffffff, 104); b.writeUInt32LE(0xffffffff, 108); }
  // Rates above 2^32 bytes/s and busy time are rare (the writer leaves both to JavaScript).
  for (const hi of [108, 116, 164]) if (len >= hi + 4 && g.r() < 0.97) b.writeUInt32LE(0, hi);
  if (len >= 176 && g.r() < 0.95) b.fill(0, 168, 176);
  if (len >= 92 && g.r() < 0.5) b.writeUInt32LE(3, 88); // reordering's default
  return b;
}

/** One inet_diag message of `family` with random fields and attributes. */
function inetMessage(g: Gen, family: number, msgType: number, withInfo: boolean): Buffer {
  const body = Buffer.alloc(72);
  body[0] = family;
  body[1] = g.pick([1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 12, 13, 14]);
  body[2] = Math.floor(g.r() * 5);
  body[3] = Math.floor(g.r() * 3);
  body.writeUInt16BE(g.r() < 0.1 ? 0 : Math.floor(g.r() * 65536), 4);
  body.writeUInt16BE(g.r() < 0.2 ? 0 : Math.floor(g.r() * 65536), 6);
  for (let k = 0; k < 32; k++) body[8 + k] = g.r() < 0.3 ? 0 : Math.floor(g.r() * 256);
  if (family === AF_INET6 && g.r() < 0.5) { body.fill(0, 8, 18); body[18] = 0xff; body[19] = 0xff; }
  body.writeUInt32LE(g.r() < 0.03 ? 1 : 0, 40); // a bound device (lo) now and then
  for (let o = 44; o < 72; o += 4) body.writeUInt32LE(g.small(), o);
  const attrs: Buffer[] = [];
  if (g.r() < 0.7) { const m = Buffer.alloc(4); m.writeUInt32LE(g.u32(), 0); attrs.push(attr(15, m)); }
  if (withInfo) {
    const cong = g.pick(['bbr', 'cubic', 'reno', '', 'dctcp']);
    if (cong !== '' || g.r() < 0.5) attrs.push(attr(4, Buffer.from(cong + '\0', 'latin1')));
    const infoLen = g.r() < 0.05 ? g.pick([104, 160, 224]) : g.pick([232, 240, 248, 256]);
    if (g.r() < 0.95) attrs.push(attr(2, tcpInfo(g, infoLen)));
    if (cong === 'bbr' || g.r() < 0.1) {
      const bbr = Buffer.alloc(20);
      bbr.writeUInt32LE(g.small(), 0); bbr.writeUInt32LE(g.r() < 0.1 ? g.u32() : 0, 4);
      bbr.writeUInt32LE(g.small(), 8);
      bbr.writeUInt32LE(g.pick([0, 256, 512, 739, 88, 320, 192, 256 * 1000000, g.u32()]), 12);
      bbr.writeUInt32LE(g.pick([0, 256, 512, 739]), 16);
      attrs.push(attr(16, bbr));
    }
    if (g.r() < 0.1) {
      const v = Buffer.alloc(16);
      v.writeUInt32LE(g.pick([0, 1]), 0); v.writeUInt32LE(g.small(), 8);
      attrs.push(attr(3, v));
    }
    if (cong === 'dctcp' && g.r() < 0.5) attrs.push(attr(9, Buffer.alloc(16, 1)));
  }
  if (g.r() < 0.05) attrs.push(attr(21, Buffer.alloc(8, 7)));
  if (g.r() < 0.05) attrs.push(attr(8, Buffer.from([g.pick([0, 1, 2, 3])])));
  const payload = Buffer.concat([body, ...attrs]);
  const hdr = Buffer.alloc(16);
  hdr.writeUInt32LE(16 + payload.length, 0);
  hdr.writeUInt16LE(msgType, 4);
  hdr.writeUInt16LE(0x2, 6); // NLM_F_MULTI
  hdr.writeUInt32LE(SEQ, 8);
  return Buffer.concat([hdr, payload]);
}

function doneMessage(): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(20, 0);
  b.writeUInt16LE(NLMSG_DONE, 4);
  b.writeUInt32LE(SEQ, 8);
  return b;
}

/** Messages packed into datagrams of at most ~32 KiB, the last ending with NLMSG_DONE. */
function datagrams(messages: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  let cur: Buffer[] = [];
  let size = 0;
  for (const m of messages) {
    if (size + m.length > 32000) { out.push(Buffer.concat(cur)); cur = []; size = 0; }
    cur.push(m);
    size += m.length;
  }
  cur.push(doneMessage());
  out.push(Buffer.concat(cur));
  return out;
}

interface Case { kind: SockKind; opts: TextOptions; both: boolean }

/** The text of a dump of `grams`, as the CLI prints it: through the WebAssembly writer or not. */
function render(c: Case, grams: Buffer[], wasm: boolean): { text: string; taken: number } {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-rows-'));
  try {
    const file = join(dir, 'out');
    const fd = openSync(file, 'w');
    const fast = wasm ? loadInetRows(WASM) : null;
    if (wasm) assert.ok(fast, 'dist/inet-rows.wasm loads');
    const text = new TextRenderer(new Output(fd), c.opts, new NameResolver(), undefined, fast);
    const reader = text.inetRowsReader();
    assert.equal(reader !== undefined, wasm);
    const slot = Buffer.alloc(65536);
    const reuse = new Socket(c.kind, 'tcp', AF_INET, 0, slot);
    const st: DumpState = c.both
      ? newDumpState(c.kind, SEQ, 0x3fff, reuse, TCPDIAG_GETSOCK, AF_INET6)
      : newDumpState(c.kind, SEQ, 0x3fff, reuse, SOCK_DIAG_BY_FAMILY);
    const add = (s: Socket): void => text.add(s);
    let taken = 0;
    for (const g of grams) {
      g.copy(slot);
      if (reader) taken += reader(slot, g.length, st, add);
      else parseDatagram(slot, g.length, st, add);
      if (st.done) break;
    }
    if (st.deferred && st.deferredLen > 0) {
      parseDatagram(st.deferred, st.deferredLen, newDumpState(st.kind, st.seq, st.states, st.reuse, st.msgType), add);
    }
    text.finish();
    closeSync(fd);
    return { text: readFileSync(file, 'latin1'), taken };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BASE: TextOptions = {
  numeric: true, resolveHosts: false, processes: false, info: false, mem: false, extended: false,
  timers: false, header: true, showNetid: false, showState: true,
};

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split('\n').length;
  return `first difference at byte ${i} (line ${line}): ${JSON.stringify(a.slice(i, i + 80))} vs ${JSON.stringify(b.slice(i, i + 80))}`;
}

test('dist/inet-rows.wasm is built and loads', () => {
  assert.ok(existsSync(WASM), `${WASM} exists (npm run build makes it)`);
  assert.ok(loadInetRows(WASM));
});

const CASES: { name: string; c: Case; rows: number; v6: number }[] = [
  { name: '-tan', c: { kind: 'tcp', opts: BASE, both: true }, rows: 60000, v6: 0.05 },
  { name: '-tani', c: { kind: 'tcp', opts: { ...BASE, info: true }, both: true }, rows: 25000, v6: 0.05 },
  { name: '-ani (netid shown)', c: { kind: 'tcp', opts: { ...BASE, info: true, showNetid: true }, both: false }, rows: 3000, v6: 0.1 },
  { name: '-tn state established (no State column)', c: { kind: 'tcp', opts: { ...BASE, showState: false }, both: true }, rows: 3000, v6: 0.1 },
  { name: '-uani', c: { kind: 'udp', opts: { ...BASE, info: true, showNetid: true }, both: false }, rows: 3000, v6: 0.1 },
  { name: '-taniH', c: { kind: 'tcp', opts: { ...BASE, info: true, header: false }, both: true }, rows: 3000, v6: 0 },
];

for (const { name, c, rows, v6 } of CASES) {
  test(`${name}: the WebAssembly writer prints what the JavaScript path prints`, () => {
    for (const seed of [1, 2, 3]) {
      const g = gen(seed * 7919 + rows);
      const msgType = c.both ? TCPDIAG_GETSOCK : SOCK_DIAG_BY_FAMILY;
      const messages: Buffer[] = [];
      for (let i = 0; i < rows; i++) messages.push(inetMessage(g, g.r() < v6 ? AF_INET6 : AF_INET, msgType, c.opts.info));
      const grams = datagrams(messages);
      const js = render(c, grams, false);
      const wasm = render(c, grams, true);
      assert.ok(wasm.taken > rows / 2, `the writer took most rows (${wasm.taken} of ${rows})`);
      if (wasm.text !== js.text) assert.fail(`seed ${seed}: ${firstDifference(wasm.text, js.text)}`);
    }
  });
}

test('a malformed message stops the WebAssembly writer; the parser reports it as without it', () => {
  const g = gen(99);
  const c: Case = { kind: 'tcp', opts: { ...BASE, info: true }, both: true };
  for (const cut of ['attribute', 'length', 'sequence']) {
    const messages: Buffer[] = [];
    for (let i = 0; i < 50; i++) messages.push(inetMessage(g, AF_INET, TCPDIAG_GETSOCK, true));
    const bad = Buffer.from(messages[30]);
    if (cut === 'attribute') bad.writeUInt16LE(2, 16 + 72); // an attribute shorter than its header
    if (cut === 'length') bad.writeUInt32LE(bad.length + 4096, 0);
    if (cut === 'sequence') bad.writeUInt32LE(SEQ + 1, 8);
    messages[30] = bad;
    const grams = datagrams(messages);
    const errorOf = (wasm: boolean): string => {
      try {
        render(c, grams, wasm);
      } catch (e) {
        assert.ok(e instanceof NetlinkError, String(e));
        return e.message;
      }
      return 'no error';
    };
    assert.equal(errorOf(true), errorOf(false), cut);
    assert.notEqual(errorOf(true), 'no error', cut);
  }
});
