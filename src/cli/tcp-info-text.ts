// ss's tcp_info text (the -i line after the congestion name) written straight from the datagram's
// bytes into an output byte buffer: fields read at fixed offsets, labels copied from pre-encoded
// bytes, numbers printed digit by digit, no string or number boxing per field. This is the hot
// path of `-tani` (100,000 sockets x ~25 fields). It needs the whole struct up to snd_wnd (Linux
// 5.5+); for a shorter tcp_info it returns false and the caller uses the general writer.
import type { Socket } from '../netlink/index';
import { fmtBw, fmtG, fmtMilli } from './format';
import type { ByteSink } from './output';
import { PackedStrings, putStr, putUint, putWords, viewOf } from './put';

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

/** The labels, packed for word copies; L_* are their ids. */
const LABELS = new PackedStrings([
  ' ts', ' sack', ' ecn', ' ecnseen', ' fastopen', ' wscale:', ' rto:', ' backoff:', ' rtt:', ' ato:',
  ' mss:', ' pmtu:', ' rcvmss:', ' advmss:', ' cwnd:', ' ssthresh:', ' bytes_sent:', ' bytes_retrans:',
  ' bytes_acked:', ' bytes_received:', ' segs_out:', ' segs_in:', ' data_segs_out:', ' data_segs_in:',
  ' bbr:(bw:', 'bps,mrtt:', ',pacing_gain:', ',cwnd_gain:', ' send ', 'bps', ' lastsnd:', ' lastrcv:',
  ' lastack:', ' pacing_rate ', ' delivery_rate ', ' delivered:', ' delivered_ce:', ' app_limited',
  ' unacked:', ' retrans:', ' lost:', ' sacked:', ' dsack_dups:', ' fackets:', ' reordering:',
  ' reord_seen:', ' rcv_rtt:', ' rcv_space:', ' rcv_ssthresh:', ' notsent:', ' minrtt:', ' rcv_ooopack:',
  ' snd_wnd:',
]);
const L_TS = 0, L_SACK = 1, L_ECN = 2, L_ECNSEEN = 3, L_FASTOPEN = 4, L_WSCALE = 5, L_RTO = 6, L_BACKOFF = 7;
const L_RTT = 8, L_ATO = 9, L_MSS = 10, L_PMTU = 11, L_RCVMSS = 12, L_ADVMSS = 13, L_CWND = 14;
const L_SSTHRESH = 15, L_BYTES_SENT = 16, L_BYTES_RETRANS = 17, L_BYTES_ACKED = 18, L_BYTES_RECEIVED = 19;
const L_SEGS_OUT = 20, L_SEGS_IN = 21, L_DATA_SEGS_OUT = 22, L_DATA_SEGS_IN = 23, L_BBR = 24, L_MRTT = 25;
const L_PACING_GAIN = 26, L_CWND_GAIN = 27, L_SEND = 28, L_BPS = 29, L_LASTSND = 30, L_LASTRCV = 31;
const L_LASTACK = 32, L_PACING_RATE = 33, L_DELIVERY_RATE = 34, L_DELIVERED = 35, L_DELIVERED_CE = 36;
const L_APP_LIMITED = 37, L_UNACKED = 38, L_RETRANS = 39, L_LOST = 40, L_SACKED = 41, L_DSACK_DUPS = 42;
const L_FACKETS = 43, L_REORDERING = 44, L_REORD_SEEN = 45, L_RCV_RTT = 46, L_RCV_SPACE = 47;
const L_RCV_SSTHRESH = 48, L_NOTSENT = 49, L_MINRTT = 50, L_RCV_OOOPACK = 51, L_SND_WND = 52;

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

/**
 * Writes ss's tcp_info text of `s` (from the congestion name on) into `d`. Returns false, writing
 * nothing, when the socket's tcp_info is shorter than FAST_TCP_INFO_LEN.
 */
export function writeTcpInfoText(d: ByteSink, s: Socket, timers: boolean, numeric: boolean): boolean {
  const a = s.attrs;
  if (a.info < 0 || a.infoLen < FAST_TCP_INFO_LEN) return false;
  const b = s.buf;
  const v = viewOf(b);
  const i = a.info;
  // Bounded: ~600 bytes of labels, <= 21 per number, the congestion name, bbr/dctcp/busy texts.
  d.reserve(4096 + (a.cong >= 0 ? a.congLen : 0));
  const ob = d.buf;
  const dv = d.view;
  const lv = LABELS.view;
  const ls = LABELS.start;
  const ll = LABELS.len;
  let p = d.pos;

  const options = b[i + OPTIONS];
  // ss 6.1 shows the negotiated options only together with -o.
  if (timers) {
    if (options & 1) p = putWords(dv, p, lv, ls[L_TS], ll[L_TS]);
    if (options & 2) p = putWords(dv, p, lv, ls[L_SACK], ll[L_SACK]);
    if (options & 8) p = putWords(dv, p, lv, ls[L_ECN], ll[L_ECN]);
    if (options & 16) p = putWords(dv, p, lv, ls[L_ECNSEEN], ll[L_ECNSEEN]);
    if (options & 32) p = putWords(dv, p, lv, ls[L_FASTOPEN], ll[L_FASTOPEN]);
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
    p = putWords(dv, p, lv, ls[L_WSCALE], ll[L_WSCALE]);
    p = putUint(ob, p, ws & 15);
    ob[p++] = 44;
    p = putUint(ob, p, ws >> 4);
  }
  const rto = u32(v, i + RTO);
  if (rto && rto !== 3000000) { p = putWords(dv, p, lv, ls[L_RTO], ll[L_RTO]); p = putMilli(ob, p, rto); }
  const backoff = b[i + BACKOFF];
  if (backoff) { p = putWords(dv, p, lv, ls[L_BACKOFF], ll[L_BACKOFF]); p = putUint(ob, p, backoff); }
  const rttUs = u32(v, i + RTT);
  if (rttUs) { p = putWords(dv, p, lv, ls[L_RTT], ll[L_RTT]); p = putMilli(ob, p, rttUs); ob[p++] = 47; p = putMilli(ob, p, u32(v, i + RTTVAR)); }
  const ato = u32(v, i + ATO);
  if (ato) { p = putWords(dv, p, lv, ls[L_ATO], ll[L_ATO]); p = putMilli(ob, p, ato); }
  const mss = u32(v, i + SND_MSS);
  const cwnd = u32(v, i + SND_CWND);
  if (mss) { p = putWords(dv, p, lv, ls[L_MSS], ll[L_MSS]); p = putUint(ob, p, mss); }
  const pmtu = u32(v, i + PMTU);
  if (pmtu) { p = putWords(dv, p, lv, ls[L_PMTU], ll[L_PMTU]); p = putUint(ob, p, pmtu); }
  const rcvMss = u32(v, i + RCV_MSS);
  if (rcvMss) { p = putWords(dv, p, lv, ls[L_RCVMSS], ll[L_RCVMSS]); p = putUint(ob, p, rcvMss); }
  const advmss = u32(v, i + ADVMSS);
  if (advmss) { p = putWords(dv, p, lv, ls[L_ADVMSS], ll[L_ADVMSS]); p = putUint(ob, p, advmss); }
  if (cwnd) { p = putWords(dv, p, lv, ls[L_CWND], ll[L_CWND]); p = putUint(ob, p, cwnd); }
  const ssthresh = u32(v, i + SND_SSTHRESH);
  if (ssthresh && ssthresh < 0xffff) { p = putWords(dv, p, lv, ls[L_SSTHRESH], ll[L_SSTHRESH]); p = putUint(ob, p, ssthresh); }
  if (u64(v, i + BYTES_SENT)) { p = putWords(dv, p, lv, ls[L_BYTES_SENT], ll[L_BYTES_SENT]); p = putU64(ob, p, v, i + BYTES_SENT); }
  if (u64(v, i + BYTES_RETRANS)) { p = putWords(dv, p, lv, ls[L_BYTES_RETRANS], ll[L_BYTES_RETRANS]); p = putU64(ob, p, v, i + BYTES_RETRANS); }
  if (u64(v, i + BYTES_ACKED)) { p = putWords(dv, p, lv, ls[L_BYTES_ACKED], ll[L_BYTES_ACKED]); p = putU64(ob, p, v, i + BYTES_ACKED); }
  if (u64(v, i + BYTES_RECEIVED)) { p = putWords(dv, p, lv, ls[L_BYTES_RECEIVED], ll[L_BYTES_RECEIVED]); p = putU64(ob, p, v, i + BYTES_RECEIVED); }
  const segsOut = u32(v, i + SEGS_OUT);
  if (segsOut) { p = putWords(dv, p, lv, ls[L_SEGS_OUT], ll[L_SEGS_OUT]); p = putUint(ob, p, segsOut); }
  const segsIn = u32(v, i + SEGS_IN);
  if (segsIn) { p = putWords(dv, p, lv, ls[L_SEGS_IN], ll[L_SEGS_IN]); p = putUint(ob, p, segsIn); }
  const dataSegsOut = u32(v, i + DATA_SEGS_OUT);
  if (dataSegsOut) { p = putWords(dv, p, lv, ls[L_DATA_SEGS_OUT], ll[L_DATA_SEGS_OUT]); p = putUint(ob, p, dataSegsOut); }
  const dataSegsIn = u32(v, i + DATA_SEGS_IN);
  if (dataSegsIn) { p = putWords(dv, p, lv, ls[L_DATA_SEGS_IN], ll[L_DATA_SEGS_IN]); p = putUint(ob, p, dataSegsIn); }
  if (a.dctcp >= 0) {
    const o = a.dctcp;
    if (b[o] | (b[o + 1] << 8)) {
      p = putStr(ob, p, ` dctcp:(ce_state:${b[o + 2] | (b[o + 3] << 8)},alpha:${u32(v, o + 4)},ab_ecn:${u32(v, o + 8)},ab_tot:${u32(v, o + 12)})`);
    } else p = putStr(ob, p, ' dctcp:fallback_mode');
  }
  if (a.bbr >= 0) {
    const o = a.bbr;
    p = putWords(dv, p, lv, ls[L_BBR], ll[L_BBR]);
    p = putBps(ob, p, u64(v, o) * 8, numeric);
    p = putWords(dv, p, lv, ls[L_MRTT], ll[L_MRTT]);
    p = putMilli(ob, p, u32(v, o + 8));
    const pacingGain = u32(v, o + 12);
    const cwndGain = u32(v, o + 16);
    if (pacingGain) { p = putWords(dv, p, lv, ls[L_PACING_GAIN], ll[L_PACING_GAIN]); p = putStr(ob, p, gain(pacingGain)); }
    if (cwndGain) { p = putWords(dv, p, lv, ls[L_CWND_GAIN], ll[L_CWND_GAIN]); p = putStr(ob, p, gain(cwndGain)); }
    ob[p++] = 41;
  }
  let rtt = rttUs;
  if (a.vegas >= 0) {
    const o = a.vegas;
    const vrtt = u32(v, o + 8);
    if (u32(v, o) && vrtt && vrtt !== 0x7fffffff) rtt = vrtt;
  }
  if (rtt > 0 && mss && cwnd) { p = putWords(dv, p, lv, ls[L_SEND], ll[L_SEND]); p = putBps(ob, p, (cwnd * mss * 8000000) / rtt, numeric); p = putWords(dv, p, lv, ls[L_BPS], ll[L_BPS]); }
  const lastsnd = u32(v, i + LAST_DATA_SENT);
  if (lastsnd) { p = putWords(dv, p, lv, ls[L_LASTSND], ll[L_LASTSND]); p = putUint(ob, p, lastsnd); }
  const lastrcv = u32(v, i + LAST_DATA_RECV);
  if (lastrcv) { p = putWords(dv, p, lv, ls[L_LASTRCV], ll[L_LASTRCV]); p = putUint(ob, p, lastrcv); }
  const lastack = u32(v, i + LAST_ACK_RECV);
  if (lastack) { p = putWords(dv, p, lv, ls[L_LASTACK], ll[L_LASTACK]); p = putUint(ob, p, lastack); }
  const pacing = u64(v, i + PACING_RATE);
  if (pacing && !allOnes64(v, i + PACING_RATE)) {
    p = putWords(dv, p, lv, ls[L_PACING_RATE], ll[L_PACING_RATE]); p = putBps(ob, p, pacing * 8, numeric); p = putWords(dv, p, lv, ls[L_BPS], ll[L_BPS]);
    const max = u64(v, i + MAX_PACING_RATE);
    if (max && !allOnes64(v, i + MAX_PACING_RATE)) { ob[p++] = 47; p = putBps(ob, p, max * 8, numeric); p = putWords(dv, p, lv, ls[L_BPS], ll[L_BPS]); }
  }
  const delivery = u64(v, i + DELIVERY_RATE);
  if (delivery) { p = putWords(dv, p, lv, ls[L_DELIVERY_RATE], ll[L_DELIVERY_RATE]); p = putBps(ob, p, delivery * 8, numeric); p = putWords(dv, p, lv, ls[L_BPS], ll[L_BPS]); }
  const delivered = u32(v, i + DELIVERED);
  if (delivered) { p = putWords(dv, p, lv, ls[L_DELIVERED], ll[L_DELIVERED]); p = putUint(ob, p, delivered); }
  const deliveredCe = u32(v, i + DELIVERED_CE);
  if (deliveredCe) { p = putWords(dv, p, lv, ls[L_DELIVERED_CE], ll[L_DELIVERED_CE]); p = putUint(ob, p, deliveredCe); }
  if (b[i + APP_LIMITED] & 1) p = putWords(dv, p, lv, ls[L_APP_LIMITED], ll[L_APP_LIMITED]);
  const busy = u64(v, i + BUSY_TIME);
  if (busy) {
    p = putStr(ob, p, ` busy:${Math.floor(busy / 1000)}ms`);
    const rw = u64(v, i + RWND_LIMITED);
    if (rw) p = putStr(ob, p, ` rwnd_limited:${Math.floor(rw / 1000)}ms(${((100 * rw) / busy).toFixed(1)}%)`);
    const sb = u64(v, i + SNDBUF_LIMITED);
    if (sb) p = putStr(ob, p, ` sndbuf_limited:${Math.floor(sb / 1000)}ms(${((100 * sb) / busy).toFixed(1)}%)`);
  }
  const unacked = u32(v, i + UNACKED);
  if (unacked) { p = putWords(dv, p, lv, ls[L_UNACKED], ll[L_UNACKED]); p = putUint(ob, p, unacked); }
  const retrans = u32(v, i + RETRANS);
  const totalRetrans = u32(v, i + TOTAL_RETRANS);
  if (retrans || totalRetrans) { p = putWords(dv, p, lv, ls[L_RETRANS], ll[L_RETRANS]); p = putUint(ob, p, retrans); ob[p++] = 47; p = putUint(ob, p, totalRetrans); }
  const lost = u32(v, i + LOST);
  if (lost) { p = putWords(dv, p, lv, ls[L_LOST], ll[L_LOST]); p = putUint(ob, p, lost); }
  const sacked = u32(v, i + SACKED);
  if (sacked && s.state !== 10) { p = putWords(dv, p, lv, ls[L_SACKED], ll[L_SACKED]); p = putUint(ob, p, sacked); }
  const dsack = u32(v, i + DSACK_DUPS);
  if (dsack) { p = putWords(dv, p, lv, ls[L_DSACK_DUPS], ll[L_DSACK_DUPS]); p = putUint(ob, p, dsack); }
  const fackets = u32(v, i + FACKETS);
  if (fackets) { p = putWords(dv, p, lv, ls[L_FACKETS], ll[L_FACKETS]); p = putUint(ob, p, fackets); }
  const reordering = u32(v, i + REORDERING);
  if (reordering !== 3) { p = putWords(dv, p, lv, ls[L_REORDERING], ll[L_REORDERING]); p = putUint(ob, p, reordering); }
  const reordSeen = u32(v, i + REORD_SEEN);
  if (reordSeen) { p = putWords(dv, p, lv, ls[L_REORD_SEEN], ll[L_REORD_SEEN]); p = putUint(ob, p, reordSeen); }
  const rcvRtt = u32(v, i + RCV_RTT);
  if (rcvRtt) { p = putWords(dv, p, lv, ls[L_RCV_RTT], ll[L_RCV_RTT]); p = putMilli(ob, p, rcvRtt); }
  const rcvSpace = u32(v, i + RCV_SPACE);
  if (rcvSpace) { p = putWords(dv, p, lv, ls[L_RCV_SPACE], ll[L_RCV_SPACE]); p = putUint(ob, p, rcvSpace); }
  const rcvSsthresh = u32(v, i + RCV_SSTHRESH);
  if (rcvSsthresh) { p = putWords(dv, p, lv, ls[L_RCV_SSTHRESH], ll[L_RCV_SSTHRESH]); p = putUint(ob, p, rcvSsthresh); }
  const notsent = u32(v, i + NOTSENT);
  if (notsent) { p = putWords(dv, p, lv, ls[L_NOTSENT], ll[L_NOTSENT]); p = putUint(ob, p, notsent); }
  const minRtt = u32(v, i + MIN_RTT);
  if (minRtt && minRtt !== 0xffffffff) { p = putWords(dv, p, lv, ls[L_MINRTT], ll[L_MINRTT]); p = putMilli(ob, p, minRtt); }
  const ooo = u32(v, i + RCV_OOOPACK);
  if (ooo) { p = putWords(dv, p, lv, ls[L_RCV_OOOPACK], ll[L_RCV_OOOPACK]); p = putUint(ob, p, ooo); }
  const sndWnd = u32(v, i + SND_WND);
  if (sndWnd) { p = putWords(dv, p, lv, ls[L_SND_WND], ll[L_SND_WND]); p = putUint(ob, p, sndWnd); }
  d.pos = p;
  return true;
}
