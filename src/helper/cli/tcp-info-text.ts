// ss's tcp_info text (the -i line after the congestion name) written straight from the datagram's
// bytes into an output byte buffer: fields read at fixed offsets, labels copied from pre-encoded
// bytes, numbers printed digit by digit, no string or number boxing per field. This is the hot
// path of `-tani` (100,000 sockets x ~25 fields). It needs the whole struct up to snd_wnd (Linux
// 5.5+); for a shorter tcp_info it returns false and the caller uses the general writer.
import type { Socket } from '../../netlink/index';
import { fmtBw, fmtG, fmtMilli } from './format';
import type { ByteSink } from './output';

// struct tcp_info offsets (include/uapi/linux/tcp.h; the same as TCP_INFO_FIELDS).
const BACKOFF = 4, OPTIONS = 5, WSCALE = 6, APP_LIMITED = 7, RTO = 8, ATO = 12, SND_MSS = 16, RCV_MSS = 20;
const UNACKED = 24, SACKED = 28, LOST = 32, RETRANS = 36, FACKETS = 40, LAST_DATA_SENT = 44;
const LAST_DATA_RECV = 52, LAST_ACK_RECV = 56, PMTU = 60, RCV_SSTHRESH = 64, RTT = 68, RTTVAR = 72;
const SND_SSTHRESH = 76, SND_CWND = 80, ADVMSS = 84, REORDERING = 88, RCV_RTT = 92, RCV_SPACE = 96;
const TOTAL_RETRANS = 100, PACING_RATE = 104, MAX_PACING_RATE = 112, BYTES_ACKED = 120, BYTES_RECEIVED = 128;
const SEGS_OUT = 136, SEGS_IN = 140, NOTSENT = 144, MIN_RTT = 148, DATA_SEGS_IN = 152, DATA_SEGS_OUT = 156;
const DELIVERY_RATE = 160, BUSY_TIME = 168, RWND_LIMITED = 176, SNDBUF_LIMITED = 184, DELIVERED = 192;
const DELIVERED_CE = 196, BYTES_SENT = 200, BYTES_RETRANS = 208, DSACK_DUPS = 216, REORD_SEEN = 220;
const RCV_OOOPACK = 224, SND_WND = 228;
/** Bytes of tcp_info this writer reads (through snd_wnd). */
export const FAST_TCP_INFO_LEN = SND_WND + 4;

const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const L_TS = enc(' ts'), L_SACK = enc(' sack'), L_ECN = enc(' ecn'), L_ECNSEEN = enc(' ecnseen'), L_FASTOPEN = enc(' fastopen');
const L_WSCALE = enc(' wscale:'), L_RTO = enc(' rto:'), L_BACKOFF = enc(' backoff:'), L_RTT = enc(' rtt:');
const L_ATO = enc(' ato:'), L_MSS = enc(' mss:'), L_PMTU = enc(' pmtu:'), L_RCVMSS = enc(' rcvmss:');
const L_ADVMSS = enc(' advmss:'), L_CWND = enc(' cwnd:'), L_SSTHRESH = enc(' ssthresh:');
const L_BYTES_SENT = enc(' bytes_sent:'), L_BYTES_RETRANS = enc(' bytes_retrans:'), L_BYTES_ACKED = enc(' bytes_acked:');
const L_BYTES_RECEIVED = enc(' bytes_received:'), L_SEGS_OUT = enc(' segs_out:'), L_SEGS_IN = enc(' segs_in:');
const L_DATA_SEGS_OUT = enc(' data_segs_out:'), L_DATA_SEGS_IN = enc(' data_segs_in:');
const L_BBR = enc(' bbr:(bw:'), L_MRTT = enc('bps,mrtt:'), L_PACING_GAIN = enc(',pacing_gain:'), L_CWND_GAIN = enc(',cwnd_gain:');
const L_SEND = enc(' send '), L_BPS = enc('bps'), L_LASTSND = enc(' lastsnd:'), L_LASTRCV = enc(' lastrcv:');
const L_LASTACK = enc(' lastack:'), L_PACING_RATE = enc(' pacing_rate '), L_DELIVERY_RATE = enc(' delivery_rate ');
const L_DELIVERED = enc(' delivered:'), L_DELIVERED_CE = enc(' delivered_ce:'), L_APP_LIMITED = enc(' app_limited');
const L_UNACKED = enc(' unacked:'), L_RETRANS = enc(' retrans:'), L_LOST = enc(' lost:'), L_SACKED = enc(' sacked:');
const L_DSACK_DUPS = enc(' dsack_dups:'), L_FACKETS = enc(' fackets:'), L_REORDERING = enc(' reordering:');
const L_REORD_SEEN = enc(' reord_seen:'), L_RCV_RTT = enc(' rcv_rtt:'), L_RCV_SPACE = enc(' rcv_space:');
const L_RCV_SSTHRESH = enc(' rcv_ssthresh:'), L_NOTSENT = enc(' notsent:'), L_MINRTT = enc(' minrtt:');
const L_RCV_OOOPACK = enc(' rcv_ooopack:'), L_SND_WND = enc(' snd_wnd:');

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 16777216;
}
/** A u64 as a double (exact below 2^53). */
function u64(b: Uint8Array, o: number): number {
  return u32(b, o + 4) * 4294967296 + u32(b, o);
}

/** The pacing rates' "unlimited" (~0ULL). */
function allOnes64(b: Uint8Array, o: number): boolean {
  return u32(b, o) === 0xffffffff && u32(b, o + 4) === 0xffffffff;
}

function put(ob: Uint8Array, p: number, l: Uint8Array): number {
  const n = l.length;
  for (let k = 0; k < n; k++) ob[p + k] = l[k];
  return p + n;
}

/** ASCII text (numbers, labels). */
function putStr(ob: Uint8Array, p: number, s: string): number {
  const n = s.length;
  for (let k = 0; k < n; k++) ob[p + k] = s.charCodeAt(k);
  return p + n;
}

/** A non-negative integer below 2^53 in decimal. */
function putUint(ob: Uint8Array, p: number, v: number): number {
  if (v < 10) { ob[p] = 48 + v; return p + 1; }
  if (v < 2147483648) {
    const digits = v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6
      : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
    const end = p + digits;
    let q = end;
    let x = v | 0;
    while (x >= 10) {
      const d = (x / 10) | 0;
      ob[--q] = 48 + x - d * 10;
      x = d;
    }
    ob[--q] = 48 + x;
    return end;
  }
  let digits = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
  const end = p + digits;
  let q = end;
  while (v >= 10) {
    const d = Math.floor(v / 10);
    ob[--q] = 48 + (v - d * 10);
    v = d;
  }
  ob[--q] = 48 + v;
  return end;
}

/** "%g" of n / 1000 for a u32 n (ss's microseconds as milliseconds). */
function putMilli(ob: Uint8Array, p: number, n: number): number {
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
function putBps(ob: Uint8Array, p: number, x: number, numeric: boolean): number {
  if (numeric && x < 9007199254740992) {
    const f = Math.floor(x);
    const r = x - f;
    return putUint(ob, p, r > 0.5 || (r === 0.5 && f % 2 === 1) ? f + 1 : f);
  }
  return putStr(ob, p, fmtBw(x, numeric));
}

const gains = new Map<number, string>();
/** bbr's gains are u32 / 256 and take few values: format each once. */
function gain(v: number): string {
  let t = gains.get(v);
  if (t === undefined) { t = fmtG(v / 256); gains.set(v, t); }
  return t;
}

/** An unsigned 64-bit counter, exact at any size. */
function putU64(ob: Uint8Array, p: number, b: Uint8Array, o: number): number {
  const v = u64(b, o);
  if (v <= MAX_SAFE) return putUint(ob, p, v);
  return putStr(ob, p, ((BigInt(u32(b, o + 4)) << 32n) | BigInt(u32(b, o))).toString());
}

/**
 * Writes ss's tcp_info text of `s` (from the congestion name on) into `d`. Returns false, writing
 * nothing, when the socket's tcp_info is shorter than FAST_TCP_INFO_LEN.
 */
export function writeTcpInfoText(d: ByteSink, s: Socket, timers: boolean, numeric: boolean): boolean {
  const a = s.attrs;
  if (a.info < 0 || a.infoLen < FAST_TCP_INFO_LEN) return false;
  const b = s.buf;
  const i = a.info;
  // Bounded: ~600 bytes of labels, <= 21 per number, the congestion name, bbr/dctcp/busy texts.
  d.reserve(4096 + (a.cong >= 0 ? a.congLen : 0));
  const ob = d.buf;
  let p = d.pos;

  const options = b[i + OPTIONS];
  // ss 6.1 shows the negotiated options only together with -o.
  if (timers) {
    if (options & 1) p = put(ob, p, L_TS);
    if (options & 2) p = put(ob, p, L_SACK);
    if (options & 8) p = put(ob, p, L_ECN);
    if (options & 16) p = put(ob, p, L_ECNSEEN);
    if (options & 32) p = put(ob, p, L_FASTOPEN);
  }
  if (a.cong >= 0) {
    // The name as a C string, bytes as they are (what ss's %s prints).
    const stop = a.cong + a.congLen;
    let q = a.cong;
    while (q < stop && b[q] !== 0) q++;
    if (q > a.cong) {
      ob[p++] = 32;
      for (let k = a.cong; k < q; k++) ob[p++] = b[k];
    }
  }
  if (options & 4) {
    const ws = b[i + WSCALE];
    p = put(ob, p, L_WSCALE);
    p = putUint(ob, p, ws & 15);
    ob[p++] = 44;
    p = putUint(ob, p, ws >> 4);
  }
  const rto = u32(b, i + RTO);
  if (rto && rto !== 3000000) { p = put(ob, p, L_RTO); p = putMilli(ob, p, rto); }
  const backoff = b[i + BACKOFF];
  if (backoff) { p = put(ob, p, L_BACKOFF); p = putUint(ob, p, backoff); }
  const rttUs = u32(b, i + RTT);
  if (rttUs) { p = put(ob, p, L_RTT); p = putMilli(ob, p, rttUs); ob[p++] = 47; p = putMilli(ob, p, u32(b, i + RTTVAR)); }
  const ato = u32(b, i + ATO);
  if (ato) { p = put(ob, p, L_ATO); p = putMilli(ob, p, ato); }
  const mss = u32(b, i + SND_MSS);
  const cwnd = u32(b, i + SND_CWND);
  if (mss) { p = put(ob, p, L_MSS); p = putUint(ob, p, mss); }
  const pmtu = u32(b, i + PMTU);
  if (pmtu) { p = put(ob, p, L_PMTU); p = putUint(ob, p, pmtu); }
  const rcvMss = u32(b, i + RCV_MSS);
  if (rcvMss) { p = put(ob, p, L_RCVMSS); p = putUint(ob, p, rcvMss); }
  const advmss = u32(b, i + ADVMSS);
  if (advmss) { p = put(ob, p, L_ADVMSS); p = putUint(ob, p, advmss); }
  if (cwnd) { p = put(ob, p, L_CWND); p = putUint(ob, p, cwnd); }
  const ssthresh = u32(b, i + SND_SSTHRESH);
  if (ssthresh && ssthresh < 0xffff) { p = put(ob, p, L_SSTHRESH); p = putUint(ob, p, ssthresh); }
  if (u64(b, i + BYTES_SENT)) { p = put(ob, p, L_BYTES_SENT); p = putU64(ob, p, b, i + BYTES_SENT); }
  if (u64(b, i + BYTES_RETRANS)) { p = put(ob, p, L_BYTES_RETRANS); p = putU64(ob, p, b, i + BYTES_RETRANS); }
  if (u64(b, i + BYTES_ACKED)) { p = put(ob, p, L_BYTES_ACKED); p = putU64(ob, p, b, i + BYTES_ACKED); }
  if (u64(b, i + BYTES_RECEIVED)) { p = put(ob, p, L_BYTES_RECEIVED); p = putU64(ob, p, b, i + BYTES_RECEIVED); }
  const segsOut = u32(b, i + SEGS_OUT);
  if (segsOut) { p = put(ob, p, L_SEGS_OUT); p = putUint(ob, p, segsOut); }
  const segsIn = u32(b, i + SEGS_IN);
  if (segsIn) { p = put(ob, p, L_SEGS_IN); p = putUint(ob, p, segsIn); }
  const dataSegsOut = u32(b, i + DATA_SEGS_OUT);
  if (dataSegsOut) { p = put(ob, p, L_DATA_SEGS_OUT); p = putUint(ob, p, dataSegsOut); }
  const dataSegsIn = u32(b, i + DATA_SEGS_IN);
  if (dataSegsIn) { p = put(ob, p, L_DATA_SEGS_IN); p = putUint(ob, p, dataSegsIn); }
  if (a.dctcp >= 0) {
    const o = a.dctcp;
    if (b[o] | (b[o + 1] << 8)) {
      p = putStr(ob, p, ` dctcp:(ce_state:${b[o + 2] | (b[o + 3] << 8)},alpha:${u32(b, o + 4)},ab_ecn:${u32(b, o + 8)},ab_tot:${u32(b, o + 12)})`);
    } else p = putStr(ob, p, ' dctcp:fallback_mode');
  }
  if (a.bbr >= 0) {
    const o = a.bbr;
    p = put(ob, p, L_BBR);
    p = putBps(ob, p, u64(b, o) * 8, numeric);
    p = put(ob, p, L_MRTT);
    p = putMilli(ob, p, u32(b, o + 8));
    const pacingGain = u32(b, o + 12);
    const cwndGain = u32(b, o + 16);
    if (pacingGain) { p = put(ob, p, L_PACING_GAIN); p = putStr(ob, p, gain(pacingGain)); }
    if (cwndGain) { p = put(ob, p, L_CWND_GAIN); p = putStr(ob, p, gain(cwndGain)); }
    ob[p++] = 41;
  }
  let rtt = rttUs;
  if (a.vegas >= 0) {
    const o = a.vegas;
    const vrtt = u32(b, o + 8);
    if (u32(b, o) && vrtt && vrtt !== 0x7fffffff) rtt = vrtt;
  }
  if (rtt > 0 && mss && cwnd) { p = put(ob, p, L_SEND); p = putBps(ob, p, (cwnd * mss * 8000000) / rtt, numeric); p = put(ob, p, L_BPS); }
  const lastsnd = u32(b, i + LAST_DATA_SENT);
  if (lastsnd) { p = put(ob, p, L_LASTSND); p = putUint(ob, p, lastsnd); }
  const lastrcv = u32(b, i + LAST_DATA_RECV);
  if (lastrcv) { p = put(ob, p, L_LASTRCV); p = putUint(ob, p, lastrcv); }
  const lastack = u32(b, i + LAST_ACK_RECV);
  if (lastack) { p = put(ob, p, L_LASTACK); p = putUint(ob, p, lastack); }
  const pacing = u64(b, i + PACING_RATE);
  if (pacing && !allOnes64(b, i + PACING_RATE)) {
    p = put(ob, p, L_PACING_RATE); p = putBps(ob, p, pacing * 8, numeric); p = put(ob, p, L_BPS);
    const max = u64(b, i + MAX_PACING_RATE);
    if (max && !allOnes64(b, i + MAX_PACING_RATE)) { ob[p++] = 47; p = putBps(ob, p, max * 8, numeric); p = put(ob, p, L_BPS); }
  }
  const delivery = u64(b, i + DELIVERY_RATE);
  if (delivery) { p = put(ob, p, L_DELIVERY_RATE); p = putBps(ob, p, delivery * 8, numeric); p = put(ob, p, L_BPS); }
  const delivered = u32(b, i + DELIVERED);
  if (delivered) { p = put(ob, p, L_DELIVERED); p = putUint(ob, p, delivered); }
  const deliveredCe = u32(b, i + DELIVERED_CE);
  if (deliveredCe) { p = put(ob, p, L_DELIVERED_CE); p = putUint(ob, p, deliveredCe); }
  if (b[i + APP_LIMITED] & 1) p = put(ob, p, L_APP_LIMITED);
  const busy = u64(b, i + BUSY_TIME);
  if (busy) {
    p = putStr(ob, p, ` busy:${Math.floor(busy / 1000)}ms`);
    const rw = u64(b, i + RWND_LIMITED);
    if (rw) p = putStr(ob, p, ` rwnd_limited:${Math.floor(rw / 1000)}ms(${((100 * rw) / busy).toFixed(1)}%)`);
    const sb = u64(b, i + SNDBUF_LIMITED);
    if (sb) p = putStr(ob, p, ` sndbuf_limited:${Math.floor(sb / 1000)}ms(${((100 * sb) / busy).toFixed(1)}%)`);
  }
  const unacked = u32(b, i + UNACKED);
  if (unacked) { p = put(ob, p, L_UNACKED); p = putUint(ob, p, unacked); }
  const retrans = u32(b, i + RETRANS);
  const totalRetrans = u32(b, i + TOTAL_RETRANS);
  if (retrans || totalRetrans) { p = put(ob, p, L_RETRANS); p = putUint(ob, p, retrans); ob[p++] = 47; p = putUint(ob, p, totalRetrans); }
  const lost = u32(b, i + LOST);
  if (lost) { p = put(ob, p, L_LOST); p = putUint(ob, p, lost); }
  const sacked = u32(b, i + SACKED);
  if (sacked && s.state !== 10) { p = put(ob, p, L_SACKED); p = putUint(ob, p, sacked); }
  const dsack = u32(b, i + DSACK_DUPS);
  if (dsack) { p = put(ob, p, L_DSACK_DUPS); p = putUint(ob, p, dsack); }
  const fackets = u32(b, i + FACKETS);
  if (fackets) { p = put(ob, p, L_FACKETS); p = putUint(ob, p, fackets); }
  const reordering = u32(b, i + REORDERING);
  if (reordering !== 3) { p = put(ob, p, L_REORDERING); p = putUint(ob, p, reordering); }
  const reordSeen = u32(b, i + REORD_SEEN);
  if (reordSeen) { p = put(ob, p, L_REORD_SEEN); p = putUint(ob, p, reordSeen); }
  const rcvRtt = u32(b, i + RCV_RTT);
  if (rcvRtt) { p = put(ob, p, L_RCV_RTT); p = putMilli(ob, p, rcvRtt); }
  const rcvSpace = u32(b, i + RCV_SPACE);
  if (rcvSpace) { p = put(ob, p, L_RCV_SPACE); p = putUint(ob, p, rcvSpace); }
  const rcvSsthresh = u32(b, i + RCV_SSTHRESH);
  if (rcvSsthresh) { p = put(ob, p, L_RCV_SSTHRESH); p = putUint(ob, p, rcvSsthresh); }
  const notsent = u32(b, i + NOTSENT);
  if (notsent) { p = put(ob, p, L_NOTSENT); p = putUint(ob, p, notsent); }
  const minRtt = u32(b, i + MIN_RTT);
  if (minRtt && minRtt !== 0xffffffff) { p = put(ob, p, L_MINRTT); p = putMilli(ob, p, minRtt); }
  const ooo = u32(b, i + RCV_OOOPACK);
  if (ooo) { p = put(ob, p, L_RCV_OOOPACK); p = putUint(ob, p, ooo); }
  const sndWnd = u32(b, i + SND_WND);
  if (sndWnd) { p = put(ob, p, L_SND_WND); p = putUint(ob, p, sndWnd); }
  d.pos = p;
  return true;
}
