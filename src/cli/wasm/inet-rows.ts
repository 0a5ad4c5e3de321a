// AssemblyScript (compiled to dist/inet-rows.wasm by esbuild.js): the common case of ss's inet
// rows, written straight from sock_diag messages into the text renderer's cell buffer.
//
// Why: `sockscope -tan[i]` prints 100,000 rows once, in a process that lives 150 ms. JavaScript
// spends most of that time cold (interpreted, then compiled on a second thread that competes with
// the kernel for the CPU); this code is compiled in about a millisecond and is fast from its first
// row. It does only the plain case of text.ts's addInet and tcp-info-text.ts's writeTcpInfoText,
// which stay the reference: any message it does not handle exactly as they would (IPv6, a bound
// device, another message type, a malformed attribute, the render schedule's slow path, a rare
// tcp_info field) stops it before writing anything, and the caller sends that one message through
// the JavaScript path, then resumes here. test/unit/helper/inet-rows-wasm.test.ts holds both to
// the same bytes.
//
// The tcp_info text runs the program of tcp-info-steps.ts, whose offsets, sizes and labels (from
// src/fields) esbuild.js generates into generated/tcp-info-program.ts before compiling this.
//
// Memory: fixed regions above the first 64 KiB, which hold the compiler's static data (the module
// never grows its memory, so the caller's views stay valid).

import {
  STEPS, STEP_OP, STEP_OFF, STEP_SIZE, STEP_OFF2, STEP_LABEL, STEP_HIDE_A, STEP_HIDE_B, STEP_BELOW, STEP_NOT_LISTENING,
  TEXT_BYTES, TEXT_START, TEXT_LEN, SS_TCP_INFO_LEN, WSCALE_BIT, RCV_WSCALE_SHIFT,
  OFF_OPTIONS, OFF_SND_MSS, OFF_SND_CWND, OFF_BUSY_TIME,
  OP_NUM, OP_MILLI, OP_CONG, OP_WSCALE, OP_RTTPAIR, OP_BBR, OP_SEND, OP_PACINGPAIR, OP_RATE, OP_FLAG, OP_RETRANSPAIR,
} from './generated/tcp-info-program';

const HDR: usize = 65536;         // i32 fields, see H_*
const MAXLEN: usize = HDR + 256;  // i32 per column (text.ts's Col order)
const NETID: usize = HDR + 512;   // the Netid cell's bytes
const IN: usize = HDR + 4096;     // messages to process
const IN_SIZE: usize = 65536;
const DATA: usize = IN + IN_SIZE; // cells
const DATA_SIZE: usize = 6 << 20;
const LENS: usize = DATA + DATA_SIZE; // i32 per cell
const LENS_CELLS: usize = 3 << 20;

// Header fields (i32 index), in: set by the caller; out: set here.
const H_IN_LEN = 0;       // in: bytes of messages at IN
const H_OFF = 1;          // in/out: offset of the next message
const H_SEQ = 2;          // in: expected nlmsg_seq
const H_MSG_TYPE = 3;     // in: the message type of socket replies
const H_DEFER_FAMILY = 4; // in: a family the caller keeps back (0: none)
const H_POS = 5;          // in/out: bytes used at DATA
const H_CELLS = 6;        // in/out: cells used at LENS
const H_ROWS = 7;         // in/out: rows buffered
const H_AVAIL = 8;        // in/out: the render schedule's room (0: no fast path)
const H_FLAGS = 9;        // in: F_*
const H_COUNT = 10;       // out: rows added by this call
const H_UNCOUNTED = 11;   // out: the Process column's width before the last row added
const H_NETID_LEN = 12;   // in
const H_INTERRUPTED = 13; // out: 1 when a message carried NLM_F_DUMP_INTR

const F_NETID = 1;   // the Netid column is shown
const F_STATE = 2;   // the State column is shown
const F_INFO = 4;    // plain -i: "\n\t" and the tcp_info text end the row
const F_TCP = 8;     // the dump's sockets are tcp (tcp_info is theirs)

// Columns (text.ts's Col): Netid, State, Recv-Q, Send-Q, Local, its Port, Peer, its Port, Process.
const COL_NETID = 0, COL_STATE = 1, COL_RECVQ = 2, COL_PROCESS = 8;

const NLMSG_HDRLEN: usize = 16;
const NLM_F_DUMP_INTR: u32 = 0x10;
const INET_DIAG_MSG_LEN: usize = 72;
const AF_INET: u32 = 2;
const TCP_LISTEN: u32 = 10;

/** Whether the static data stays below HDR and the regions fit the memory (the loader checks it). */
export function layoutOk(): bool {
  return __data_end <= HDR && LENS + (LENS_CELLS << 2) <= (<usize>memory.size() << 16);
}
export function hdrAddr(): usize { return HDR; }
export function maxLenAddr(): usize { return MAXLEN; }
export function netidAddr(): usize { return NETID; }
export function inAddr(): usize { return IN; }
export function inSize(): usize { return IN_SIZE; }
export function dataAddr(): usize { return DATA; }
export function dataSize(): usize { return DATA_SIZE; }
export function lensAddr(): usize { return LENS; }
export function lensCells(): usize { return LENS_CELLS; }

/** JavaScript's gain() text of a bbr gain (u32 / 256) written at p; returns the end. */
@external("env", "gainText")
declare function gainText(v: u32, p: usize): usize;
/** JavaScript's fmtMilli(n) ("%g" of n / 1000) written at p; returns the end. */
@external("env", "milliText")
declare function milliText(n: u32, p: usize): usize;

@inline function hget(i: i32): i32 { return load<i32>(HDR + (<usize>i << 2)); }
@inline function hset(i: i32, v: i32): void { store<i32>(HDR + (<usize>i << 2), v); }
@inline function u16at(o: usize): u32 { return <u32>load<u16>(o); }
@inline function u32at(o: usize): u32 { return load<u32>(o); }
@inline function u64at(o: usize): u64 { return load<u64>(o); }
/** A u64 as JavaScript reads it: high word * 2^32 + low word, in doubles. */
@inline function u64f(o: usize): f64 { return <f64>load<u32>(o + 4) * 4294967296.0 + <f64>load<u32>(o); }

const STATE_NAMES: string[] = [
  'UNKNOWN', 'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN',
  'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING', 'NEW-SYN-RECV', 'BOUND-INACTIVE',
];

/** ASCII text (a string literal) at p. */
@inline function lit(p: usize, s: string): usize {
  const n = <usize>s.length;
  const src = changetype<usize>(s);
  for (let k: usize = 0; k < n; k++) store<u8>(p + k, <u8>load<u16>(src + (k << 1)));
  return p + n;
}

function putU32(p: usize, v: u32): usize {
  const digits: usize = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5
    : v < 1000000 ? 6 : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
  let q = p + digits;
  let x = v;
  do { const d = x / 10; store<u8>(--q, <u8>(48 + x - d * 10)); x = d; } while (x != 0);
  return p + digits;
}

function putU64(p: usize, v: u64): usize {
  if (v <= 0xffffffff) return putU32(p, <u32>v);
  let digits: usize = 10;
  for (let t = v / 10000000000; t != 0; t /= 10) digits++;
  let q = p + digits;
  let x = v;
  do { const d = x / 10; store<u8>(--q, <u8>(48 + x - d * 10)); x = d; } while (x != 0);
  return p + digits;
}

/** put.ts putMilli: "%g" of n / 1000 (from 1e6 on, where %g rounds, JavaScript's text). */
function putMilli(p: usize, n: u32): usize {
  if (n >= 1000000) return milliText(n, p);
  const int = n / 1000;
  let frac = n - int * 1000;
  p = putU32(p, int);
  if (frac == 0) return p;
  store<u8>(p++, 46);
  const h = frac / 100;
  store<u8>(p++, <u8>(48 + h));
  frac -= h * 100;
  if (frac == 0) return p;
  const t = frac / 10;
  store<u8>(p++, <u8>(48 + t));
  frac -= t * 10;
  if (frac != 0) store<u8>(p++, <u8>(48 + frac));
  return p;
}

/** put.ts putBps with -n ("%.0f", halves to even) for x < 2^53; -1 otherwise. */
function putBps(p: usize, x: f64): isize {
  if (!(x < 9007199254740992.0)) return -1;
  const f = Math.floor(x);
  const r = x - f;
  const odd = (<u64>f & 1) == 1;
  return <isize>putU64(p, <u64>(r > 0.5 || (r == 0.5 && odd) ? f + 1 : f));
}

/** ipv4 dotted quad of the 4 bytes at src. */
function ipv4(p: usize, src: usize): usize {
  for (let k: usize = 0; k < 4; k++) {
    if (k != 0) store<u8>(p++, 46);
    const v = <u32>load<u8>(src + k);
    if (v >= 100) {
      const h = v / 100;
      const t = (v - h * 100) / 10;
      store<u8>(p, <u8>(48 + h)); store<u8>(p + 1, <u8>(48 + t)); store<u8>(p + 2, <u8>(48 + v - h * 100 - t * 10));
      p += 3;
    } else if (v >= 10) {
      const t = v / 10;
      store<u8>(p, <u8>(48 + t)); store<u8>(p + 1, <u8>(48 + v - t * 10));
      p += 2;
    } else store<u8>(p++, <u8>(48 + v));
  }
  return p;
}

// Attribute offsets of the message being processed (0 when absent).
let aInfo: usize = 0, aInfoLen: usize = 0, aCong: usize = 0, aCongLen: usize = 0;
let aBbr: usize = 0, aVegas: usize = 0, aDctcp: usize = 0;

/** Walks and checks the attributes as parse.ts does; false when one is malformed. */
function attrs(off: usize, end: usize): bool {
  aInfo = 0; aInfoLen = 0; aCong = 0; aCongLen = 0; aBbr = 0; aVegas = 0; aDctcp = 0;
  while (off < end) {
    if (end - off < 4) return false;
    const alen = <usize>u16at(off);
    const t = u16at(off + 2) & 0x3fff;
    if (alen < 4 || alen > end - off) return false;
    const p = off + 4;
    const n = alen - 4;
    off += (alen + 3) & ~3;
    switch (t) {
      case 1: if (n < 16) return false; break;             // MEMINFO
      case 2: aInfo = p; aInfoLen = n; break;               // INFO
      case 3: if (n < 16) return false; aVegas = p; break;  // VEGASINFO
      case 4: aCong = p; aCongLen = n; break;               // CONG
      case 5: case 6: case 8: case 10: case 11: if (n < 1) return false; break; // TOS TCLASS SHUTDOWN PROTOCOL SKV6ONLY
      case 9: if (n < 16) return false; aDctcp = p; break;  // DCTCPINFO
      case 15: case 17: if (n < 4) return false; break;     // MARK CLASS_ID
      case 16: if (n < 20) return false; aBbr = p; break;   // BBRINFO
      case 21: if (n < 8) return false; break;              // CGROUP_ID
      default: break;
    }
  }
  return true;
}

@inline function text(p: usize, t: i32): usize {
  const start = <usize>unchecked(TEXT_START[t]);
  const n = <usize>unchecked(TEXT_LEN[t]);
  const src = changetype<usize>(TEXT_BYTES) + start;
  for (let k: usize = 0; k < n; k++) store<u8>(p + k, load<u8>(src + k));
  return p + n;
}

/**
 * writeTcpInfoText's text for the tcp_info at aInfo (numeric, without -o), at p: the same program
 * (generated/tcp-info-program.ts, from tcp-info-steps.ts and src/fields); -1 when this socket needs
 * the JavaScript writer (dctcp, busy time, rates from 2^53 on).
 */
function tcpInfo(p: usize): isize {
  const i = aInfo;
  if (aDctcp != 0 || u64at(i + OFF_BUSY_TIME) != 0) return -1; // dctcp:(...) and busy:...ms: JavaScript's
  let r: isize;
  let rttUs: u32 = 0;
  const listening = state == TCP_LISTEN;
  for (let k = 0; k < STEPS; k++) {
    const o = i + <usize>unchecked(STEP_OFF[k]);
    const l = unchecked(STEP_LABEL[k]);
    const op = unchecked(STEP_OP[k]);
    if (op == OP_NUM) {
      const size = unchecked(STEP_SIZE[k]);
      const wide = size == 8;
      const v: u64 = wide ? u64at(o) : size == 4 ? <u64>u32at(o) : size == 1 ? <u64>load<u8>(o) : <u64>load<u16>(o);
      const x = wide ? u64f(o) : <f64>v;
      if (x == unchecked(STEP_HIDE_A[k]) || x == unchecked(STEP_HIDE_B[k]) || x >= unchecked(STEP_BELOW[k])) continue;
      if (listening && unchecked(STEP_NOT_LISTENING[k]) != 0) continue;
      p = text(p, l); p = putU64(p, v);
    } else if (op == OP_MILLI) {
      const w = u32at(o);
      const x = <f64>w;
      if (x == unchecked(STEP_HIDE_A[k]) || x == unchecked(STEP_HIDE_B[k])) continue;
      p = text(p, l); p = putMilli(p, w);
    } else if (op == OP_CONG) {
      if (aCong != 0) {
        const stop = aCong + aCongLen;
        let q = aCong;
        while (q < stop && load<u8>(q) != 0) q++;
        if (q > aCong) {
          store<u8>(p++, 32);
          for (let c = aCong; c < q; c++) store<u8>(p++, load<u8>(c));
        }
      }
    } else if (op == OP_WSCALE) {
      if (<u32>load<u8>(i + OFF_OPTIONS) & WSCALE_BIT) {
        const ws = <u32>load<u8>(o);
        p = text(p, l); p = putU32(p, ws & ((1 << RCV_WSCALE_SHIFT) - 1)); store<u8>(p++, 44); p = putU32(p, ws >> RCV_WSCALE_SHIFT);
      }
    } else if (op == OP_RTTPAIR) {
      rttUs = u32at(o);
      if (rttUs != 0) {
        p = text(p, l); p = putMilli(p, rttUs);
        store<u8>(p++, 47); p = putMilli(p, u32at(i + <usize>unchecked(STEP_OFF2[k])));
      }
    } else if (op == OP_BBR) {
      if (aBbr != 0) {
        const b = aBbr;
        p = lit(p, ' bbr:(bw:'); r = putBps(p, u64f(b) * 8); if (r < 0) return -1; p = <usize>r;
        p = lit(p, 'bps,mrtt:'); p = putMilli(p, u32at(b + 8));
        const pacingGain = u32at(b + 12);
        const cwndGain = u32at(b + 16);
        if (pacingGain != 0) { p = lit(p, ',pacing_gain:'); p = gainText(pacingGain, p); }
        if (cwndGain != 0) { p = lit(p, ',cwnd_gain:'); p = gainText(cwndGain, p); }
        store<u8>(p++, 41);
      }
    } else if (op == OP_SEND) {
      let rtt = rttUs;
      if (aVegas != 0) {
        const vrtt = u32at(aVegas + 8);
        if (u32at(aVegas) != 0 && vrtt != 0 && vrtt != 0x7fffffff) rtt = vrtt;
      }
      const mss = u32at(i + OFF_SND_MSS);
      const cwnd = u32at(i + OFF_SND_CWND);
      if (rtt > 0 && mss != 0 && cwnd != 0) {
        p = lit(p, ' send '); r = putBps(p, (<f64>cwnd * <f64>mss * 8000000.0) / <f64>rtt); if (r < 0) return -1; p = <usize>r;
        p = lit(p, 'bps');
      }
    } else if (op == OP_PACINGPAIR) {
      const pacing = u64f(o);
      if (pacing != 0 && u64at(o) != 0xffffffffffffffff) {
        p = text(p, l); r = putBps(p, pacing * 8); if (r < 0) return -1; p = <usize>r; p = lit(p, 'bps');
        const o2 = i + <usize>unchecked(STEP_OFF2[k]);
        const max = u64f(o2);
        if (max != 0 && u64at(o2) != 0xffffffffffffffff) {
          store<u8>(p++, 47); r = putBps(p, max * 8); if (r < 0) return -1; p = <usize>r; p = lit(p, 'bps');
        }
      }
    } else if (op == OP_RATE) {
      const x = u64f(o);
      if (x != 0) { p = text(p, l); r = putBps(p, x * 8); if (r < 0) return -1; p = <usize>r; p = lit(p, 'bps'); }
    } else if (op == OP_FLAG) {
      if (load<u8>(o) & 1) p = text(p, l);
    } else if (op == OP_RETRANSPAIR) {
      const retrans = u32at(o);
      const total = u32at(i + <usize>unchecked(STEP_OFF2[k]));
      if (retrans != 0 || total != 0) { p = text(p, l); p = putU32(p, retrans); store<u8>(p++, 47); p = putU32(p, total); }
    }
    // OP_OPTIONS: only with -o, which this writer never serves; OP_DCTCP and OP_BUSY: left to JavaScript above.
  }
  return <isize>p;
}

let state: u32 = 0;

/** One end's address cell (`a.b.c.d:`) and port cell (`*` for 0) at p, their lengths at c; returns the end. */
function endpoint(p: usize, c: usize, addr: usize, port: usize): usize {
  const st = p;
  p = ipv4(p, addr);
  store<u8>(p++, 58);
  cellLen(c, st, p);
  const pt = p;
  const v = (<u32>load<u8>(port) << 8) | load<u8>(port + 1);
  if (v != 0) p = putU32(p, v); else store<u8>(p++, 42);
  cellLen(c + 4, pt, p);
  return p;
}

/** The cell that ends at p: its length into LENS (cell c of the row), returned. */
@inline function cellLen(c: usize, start: usize, p: usize): i32 {
  const n = <i32>(p - start);
  store<i32>(c, n);
  return n;
}

/**
 * Adds rows for the messages at IN from H_OFF on, until the end of H_IN_LEN or a message it
 * leaves to the caller (H_OFF then points at it). Returns the rows added (also in H_COUNT).
 */
export function rows(): i32 {
  const inLen = <usize>hget(H_IN_LEN);
  let off = <usize>hget(H_OFF);
  const seq = <u32>hget(H_SEQ);
  const msgType = <u32>hget(H_MSG_TYPE);
  const deferFamily = <u32>hget(H_DEFER_FAMILY);
  const flags = hget(H_FLAGS);
  const netidLen = <usize>hget(H_NETID_LEN);
  let pos = DATA + <usize>hget(H_POS);
  let cells = <usize>hget(H_CELLS);
  let nrows = hget(H_ROWS);
  let avail = hget(H_AVAIL);
  let count = 0;
  let uncounted = 0;
  let interrupted = 0;
  while (off < inLen) {
    const m = IN + off;
    if (inLen - off < NLMSG_HDRLEN) break;
    const mlen = <usize>u32at(m);
    if (mlen < NLMSG_HDRLEN || mlen > inLen - off) break;
    if (u32at(m + 8) != seq || u16at(m + 4) != msgType) break;
    const body = m + NLMSG_HDRLEN;
    const end = m + mlen;
    if (end - body < INET_DIAG_MSG_LEN) break;
    const family = <u32>load<u8>(body);
    if (family != AF_INET || family == deferFamily) break;
    if (u32at(body + 40) != 0) break; // a bound device: "%name"
    if (!attrs(body + INET_DIAG_MSG_LEN, end)) break;
    state = <u32>load<u8>(body + 1);
    // The cells, at pos; their lengths from LENS[cells] on.
    let p = pos;
    let st = p;
    let c = LENS + (cells << 2);
    const first = c;
    if (flags & F_NETID) {
      memory.copy(p, NETID, netidLen);
      p += netidLen;
      cellLen(c, st, p); c += 4; st = p;
    }
    if (flags & F_STATE) {
      p = lit(p, state < 14 ? STATE_NAMES[state] : 'UNKNOWN');
      cellLen(c, st, p); c += 4; st = p;
    }
    p = putU32(p, u32at(body + 56));
    while (p - st < 6) store<u8>(p++, 32);
    cellLen(c, st, p); c += 4; st = p;
    p = putU32(p, u32at(body + 60));
    while (p - st < 6) store<u8>(p++, 32);
    cellLen(c, st, p); c += 4; st = p;
    p = endpoint(p, c, body + 8, body + 4); c += 8;   // local: address at 8, port at 4
    p = endpoint(p, c, body + 24, body + 6); c += 8;  // peer: address at 24, port at 6
    st = p;
    if (flags & F_INFO) {
      store<u8>(p++, 10);
      store<u8>(p++, 9);
      if ((flags & F_TCP) && aInfo != 0) {
        if (aInfoLen < SS_TCP_INFO_LEN) break; // a shorter struct: JavaScript reads it zero-filled
        const r = tcpInfo(p);
        if (r < 0) break;
        p = <usize>r;
      }
    }
    cellLen(c, st, p); c += 4;
    const n = <usize>((c - first) >> 2);
    // SsRenderSchedule.row's fast path: the row's tokens fit the current chunk.
    let bytes = 2;
    for (let k: usize = 0; k < n; k++) {
      const len = load<i32>(first + (k << 2));
      bytes += len + (len & 1) + 2;
    }
    if (bytes >= avail) break;
    avail -= bytes;
    // Committed: widths, positions, counts.
    uncounted = load<i32>(MAXLEN + (COL_PROCESS << 2));
    let col = (flags & F_NETID) ? COL_NETID : (flags & F_STATE) ? COL_STATE : COL_RECVQ;
    for (let k: usize = 0; k < n; k++, col++) {
      if (col == COL_STATE && !(flags & F_STATE)) col++;
      const len = load<i32>(first + (k << 2));
      const at = MAXLEN + (<usize>col << 2);
      if (len > load<i32>(at)) store<i32>(at, len);
    }
    if (u16at(m + 6) & NLM_F_DUMP_INTR) interrupted = 1;
    pos = p;
    cells += n;
    nrows++;
    count++;
    off += (mlen + 3) & ~3;
    if (pos > DATA + DATA_SIZE - 65536) break; // leave room for the caller's rows
  }
  hset(H_OFF, <i32>off);
  hset(H_POS, <i32>(pos - DATA));
  hset(H_CELLS, <i32>cells);
  hset(H_ROWS, nrows);
  hset(H_AVAIL, avail);
  hset(H_COUNT, count);
  hset(H_UNCOUNTED, uncounted);
  hset(H_INTERRUPTED, interrupted);
  return count;
}
