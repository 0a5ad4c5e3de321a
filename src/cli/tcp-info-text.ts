// ss's tcp_info text (the -i line after the congestion name) written straight from the datagram's
// bytes into an output byte buffer: fields read at their offsets, labels copied from pre-encoded
// bytes, numbers printed digit by digit, no string or number boxing per field. It runs the program
// of tcp-info-steps.ts (ss's order, src/fields' offsets and labels), as the WebAssembly row writer
// does. A kernel's shorter tcp_info is read as ss reads it: copied into a zeroed full-size struct.
import { TCP_STATE } from '../fields/socket-states';
import { TCPI } from '../fields/index';
import { fullTcpInfo, type Socket } from '../netlink/index';
import { fmtBw, fmtG, fmtMilli } from './format';
import type { ByteSink } from './output';
import { PackedStrings, putStr, putUint, putWords, viewOf } from './put';
import { BUSY_LABELS, Op, SNDBUF_LIMITED_OFFSET, TCP_INFO_PROGRAM as P } from './tcp-info-steps';

/** The program's labels, then the texts of the structs beside tcp_info (bbr, ss's send estimate). */
const TEXTS = [...P.labels, ' bbr:(bw:', 'bps,mrtt:', ',pacing_gain:', ',cwnd_gain:', ' send ', 'bps'];
const L_BBR = P.labels.length, L_MRTT = L_BBR + 1, L_PACING_GAIN = L_BBR + 2, L_CWND_GAIN = L_BBR + 3, L_SEND = L_BBR + 4, L_BPS = L_BBR + 5;
const LABELS = new PackedStrings(TEXTS);
const N_STEPS = P.op.length;
const { LISTEN: TCP_LISTEN } = TCP_STATE;
const OPTIONS = TCPI.options.offset, SND_MSS = TCPI.snd_mss.offset, SND_CWND = TCPI.snd_cwnd.offset;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function u32(v: DataView, o: number): number {
  return v.getUint32(o, true);
}
/** A u64 as a double (exact below 2^53). */
function u64(v: DataView, o: number): number {
  return v.getUint32(o + 4, true) * 4294967296 + v.getUint32(o, true);
}

/** The pacing rates' "unlimited" (~0ULL). */
function allOnes64(v: DataView, o: number): boolean {
  return v.getUint32(o, true) === 0xffffffff && v.getUint32(o + 4, true) === 0xffffffff;
}

/** "%g" of n / 1000 for a u32 n (ss's microseconds as milliseconds). */
export function putMilli(ob: Uint8Array, p: number, n: number): number {
  if (n >= 1e6) return putStr(ob, p, fmtMilli(n));
  const int = (n / 1000) | 0;
  let frac = n - int * 1000;
  p = putUint(ob, p, int);
  if (frac === 0) return p;
  ob[p++] = 46;
  const h = (frac / 100) | 0;
  ob[p++] = 48 + h;
  frac -= h * 100;
  if (frac === 0) return p;
  const t = (frac / 10) | 0;
  ob[p++] = 48 + t;
  frac -= t * 10;
  if (frac) ob[p++] = 48 + frac;
  return p;
}

/** ss's sprint_bw: with -n "%.0f" (exact halves to even), else k/M/G/T suffixes. */
export function putBps(ob: Uint8Array, p: number, x: number, numeric: boolean): number {
  if (numeric && x < 9007199254740992) {
    const f = Math.floor(x);
    const r = x - f;
    return putUint(ob, p, r > 0.5 || (r === 0.5 && f % 2 === 1) ? f + 1 : f);
  }
  return putStr(ob, p, fmtBw(x, numeric));
}

const gains = new Map<number, string>();
/** bbr's gains are u32 / 256 and take few values: format each once. */
export function gain(v: number): string {
  let t = gains.get(v);
  if (t === undefined) { t = fmtG(v / 256); gains.set(v, t); }
  return t;
}

/** An unsigned 64-bit counter, exact at any size. */
function putU64(ob: Uint8Array, p: number, b: DataView, o: number): number {
  const v = u64(b, o);
  if (v <= MAX_SAFE) return putUint(ob, p, v);
  return putStr(ob, p, ((BigInt(u32(b, o + 4)) << 32n) | BigInt(u32(b, o))).toString());
}

/** Writes ss's tcp_info text of `s` (from the congestion name on) into `d`; nothing when it has no tcp_info. */
export function writeTcpInfoText(d: ByteSink, s: Socket, timers: boolean, numeric: boolean): void {
  const a = s.attrs;
  if (a.info < 0) return;
  // The socket's own bytes (congestion name, bbr, dctcp, vegas) and its tcp_info, full-size.
  const sb = s.buf;
  const sv = viewOf(sb);
  const full = fullTcpInfo(sb, a.info, a.infoLen);
  const b = full.buf;
  const i = full.base;
  const v = b === sb ? sv : new DataView(b.buffer, b.byteOffset, b.byteLength);
  // Bounded: ~600 bytes of labels, <= 21 per number, the congestion name, bbr/dctcp/busy texts.
  d.reserve(4096 + (a.cong >= 0 ? a.congLen : 0));
  const ob = d.buf;
  const dv = d.view;
  const lv = LABELS.view;
  const ls = LABELS.start;
  const ll = LABELS.len;
  const listening = s.state === TCP_LISTEN;
  let p = d.pos;
  let rttUs = 0;
  for (let k = 0; k < N_STEPS; k++) {
    const o = i + P.off[k];
    const l = P.label[k];
    switch (P.op[k]) {
      case Op.Num: {
        const size = P.size[k];
        const x = size === 4 ? u32(v, o) : size === 1 ? b[o] : size === 8 ? u64(v, o) : v.getUint16(o, true);
        if (x === P.hideA[k] || x === P.hideB[k] || x >= P.below[k] || (listening && P.notListening[k])) break;
        p = putWords(dv, p, lv, ls[l], ll[l]);
        p = size === 8 ? putU64(ob, p, v, o) : putUint(ob, p, x);
        break;
      }
      case Op.Milli: {
        const x = u32(v, o);
        if (x === P.hideA[k] || x === P.hideB[k]) break;
        p = putWords(dv, p, lv, ls[l], ll[l]);
        p = putMilli(ob, p, x);
        break;
      }
      case Op.Options:
        // ss 6.1 shows the negotiated options only together with -o.
        if (timers) {
          const options = b[o];
          for (const [bit, w] of P.optionBits) if (options & bit) p = putWords(dv, p, lv, ls[w], ll[w]);
        }
        break;
      case Op.Cong:
        if (a.cong >= 0) {
          // The name as a C string, bytes as they are (what ss's %s prints).
          const stop = a.cong + a.congLen;
          let q = a.cong;
          while (q < stop && sb[q] !== 0) q++;
          if (q > a.cong) {
            ob[p++] = 32;
            for (let c = a.cong; c < q; c++) ob[p++] = sb[c];
          }
        }
        break;
      case Op.Wscale:
        if (b[i + OPTIONS] & P.wscaleBit) {
          const ws = b[o];
          p = putWords(dv, p, lv, ls[l], ll[l]);
          p = putUint(ob, p, ws & ((1 << P.rcvWscaleShift) - 1));
          ob[p++] = 44;
          p = putUint(ob, p, ws >> P.rcvWscaleShift);
        }
        break;
      case Op.RttPair:
        rttUs = u32(v, o);
        if (rttUs) { p = putWords(dv, p, lv, ls[l], ll[l]); p = putMilli(ob, p, rttUs); ob[p++] = 47; p = putMilli(ob, p, u32(v, i + P.off2[k])); }
        break;
      case Op.Dctcp:
        if (a.dctcp >= 0) {
          const c = a.dctcp;
          if (sb[c] | (sb[c + 1] << 8)) {
            p = putStr(ob, p, ` dctcp:(ce_state:${sb[c + 2] | (sb[c + 3] << 8)},alpha:${u32(sv, c + 4)},ab_ecn:${u32(sv, c + 8)},ab_tot:${u32(sv, c + 12)})`);
          } else p = putStr(ob, p, ' dctcp:fallback_mode');
        }
        break;
      case Op.Bbr:
        if (a.bbr >= 0) {
          const c = a.bbr;
          p = putWords(dv, p, lv, ls[L_BBR], ll[L_BBR]);
          p = putBps(ob, p, u64(sv, c) * 8, numeric);
          p = putWords(dv, p, lv, ls[L_MRTT], ll[L_MRTT]);
          p = putMilli(ob, p, u32(sv, c + 8));
          const pacingGain = u32(sv, c + 12);
          const cwndGain = u32(sv, c + 16);
          if (pacingGain) { p = putWords(dv, p, lv, ls[L_PACING_GAIN], ll[L_PACING_GAIN]); p = putStr(ob, p, gain(pacingGain)); }
          if (cwndGain) { p = putWords(dv, p, lv, ls[L_CWND_GAIN], ll[L_CWND_GAIN]); p = putStr(ob, p, gain(cwndGain)); }
          ob[p++] = 41;
        }
        break;
      case Op.Send: {
        let rtt = rttUs;
        if (a.vegas >= 0) {
          const vrtt = u32(sv, a.vegas + 8);
          if (u32(sv, a.vegas) && vrtt && vrtt !== 0x7fffffff) rtt = vrtt;
        }
        const mss = u32(v, i + SND_MSS);
        const cwnd = u32(v, i + SND_CWND);
        if (rtt > 0 && mss && cwnd) { p = putWords(dv, p, lv, ls[L_SEND], ll[L_SEND]); p = putBps(ob, p, (cwnd * mss * 8000000) / rtt, numeric); p = putWords(dv, p, lv, ls[L_BPS], ll[L_BPS]); }
        break;
      }
      case Op.PacingPair: {
        const pacing = u64(v, o);
        if (pacing && !allOnes64(v, o)) {
          p = putWords(dv, p, lv, ls[l], ll[l]); p = putBps(ob, p, pacing * 8, numeric); p = putWords(dv, p, lv, ls[L_BPS], ll[L_BPS]);
          const o2 = i + P.off2[k];
          const max = u64(v, o2);
          if (max && !allOnes64(v, o2)) { ob[p++] = 47; p = putBps(ob, p, max * 8, numeric); p = putWords(dv, p, lv, ls[L_BPS], ll[L_BPS]); }
        }
        break;
      }
      case Op.Rate: {
        const x = u64(v, o);
        if (x) { p = putWords(dv, p, lv, ls[l], ll[l]); p = putBps(ob, p, x * 8, numeric); p = putWords(dv, p, lv, ls[L_BPS], ll[L_BPS]); }
        break;
      }
      case Op.Flag:
        if (b[o] & 1) p = putWords(dv, p, lv, ls[l], ll[l]);
        break;
      case Op.Busy: {
        const busy = u64(v, o);
        if (busy) {
          p = putWords(dv, p, lv, ls[l], ll[l]);
          p = putStr(ob, p, `${Math.floor(busy / 1000)}ms`);
          const rw = u64(v, i + P.off2[k]);
          if (rw) p = putStr(ob, p, `${BUSY_LABELS[0]}${Math.floor(rw / 1000)}ms(${((100 * rw) / busy).toFixed(1)}%)`);
          const sl = u64(v, i + SNDBUF_LIMITED_OFFSET);
          if (sl) p = putStr(ob, p, `${BUSY_LABELS[1]}${Math.floor(sl / 1000)}ms(${((100 * sl) / busy).toFixed(1)}%)`);
        }
        break;
      }
      case Op.RetransPair: {
        const retrans = u32(v, o);
        const total = u32(v, i + P.off2[k]);
        if (retrans || total) { p = putWords(dv, p, lv, ls[l], ll[l]); p = putUint(ob, p, retrans); ob[p++] = 47; p = putUint(ob, p, total); }
        break;
      }
    }
  }
  d.pos = p;
}
