// The helper's socket store: every socket of one query as of its last refresh, in typed columns
// indexed by slot and found by cookie, next to the kernel. No object per socket: a refresh copies
// the few numbers each socket is made of from the engine's one reused Socket into the columns
// (and the address bytes, the unix name on first sight), and builds nothing. Records, ssq views
// and rates are made on demand for the rows someone shows (view-session.ts); other modules (the
// CLI, findings, history) can refresh a store of their own or subscribe to a view's with
// onRefresh().
import { TCPI, bytesSentFrom, stateName } from '../fields';
import type { Socket } from '../netlink';
import { formatAddress } from '../netlink';
import type { Family, Netid, ProcessRef, SocketRecord, StateName } from '../protocol/socket-record';
import { NETIDS } from '../protocol/socket-record';
import type { ViewRates } from '../protocol/view-protocol';
import type { SsqSocket } from '../ssq';
import { NETLINK_PROTOCOL_NAMES, etherProtocolName } from '../host/record';
import { CookieTable } from '../host/cookie-table';
import { DumpOrder } from './dump-order';

const NETID_INDEX = new Map<string, number>(NETIDS.map((n, i) => [n, i]));
const AF_INET = 2;
const AF_INET6 = 10;
const AF_UNIX = 1;
const AF_PACKET = 17;

// struct tcp_info offsets of the counters rates are made of, from the one description of the struct.
const TCPI_RTT = TCPI.rtt.offset;
const TCPI_TOTAL_RETRANS = TCPI.total_retrans.offset;
const TCPI_BYTES_ACKED = TCPI.bytes_acked.offset;
const TCPI_BYTES_RECEIVED = TCPI.bytes_received.offset;
/** A sample needs every counter above. */
const TCPI_SAMPLE_LEN = Math.max(...[TCPI.rtt, TCPI.total_retrans, TCPI.bytes_acked, TCPI.bytes_received].map((f) => f.offset + f.size));

export interface StoreRefresh {
  /** 1 for the first refresh. */
  tick: number;
  /** performance.now() of the refresh. */
  at: number;
  added: number;
  removed: number;
  /** Sockets whose shown columns changed (state, queues, addresses, ports, name). */
  changed: number;
  /** Sockets held after it. */
  size: number;
}

export type StoreListener = (store: SocketStore, refresh: StoreRefresh) => void;

export interface StoreOptions {
  /** Keep tcp_info counters for rates (the dump must carry tcp_info). */
  tcpInfo?: boolean;
  /** Initial capacity in sockets (grows by doubling). */
  capacity?: number;
  /** Keep the tcp_info figures the findings rules read (TcpFacts; the dump must carry tcp_info). */
  tcpFacts?: boolean;
}

/**
 * The tcp_info figures the findings rules read (retransmits, window-limited), per slot, in u32
 * columns (times in ms): 30 bytes a socket, kept only while a findings feed reads the store.
 * info[slot] is 1 when the last refresh carried tcp_info for the socket.
 */
export interface TcpFacts {
  info: Uint8Array;
  retrans: Uint32Array;
  segsOut: Uint32Array;
  lost: Uint32Array;
  busyMs: Uint32Array;
  rwndMs: Uint32Array;
  sndbufMs: Uint32Array;
  /** -1: the kernel's struct is too short to have it. */
  sndWnd: Int32Array;
  /** IPV6_V6ONLY of inet6 sockets: 0 not reported, 1 off, 2 on (exposure of `::` listeners). */
  v6only: Uint8Array;
  /** Payload bytes sent (bytesSentFrom) and received; NaN where the kernel's struct is too short. */
  bytesSent: Float64Array;
  bytesReceived: Float64Array;
}

const F_RETRANS = TCPI.total_retrans.offset;
const F_SEGS_OUT = TCPI.segs_out;
const F_LOST = TCPI.lost.offset;
const F_BUSY = TCPI.busy_time;
const F_RWND = TCPI.rwnd_limited.offset;
const F_SNDBUF = TCPI.sndbuf_limited.offset;
const F_SND_WND = TCPI.snd_wnd;
const F_BYTES_SENT = TCPI.bytes_sent;
const F_BYTES_RETRANS = TCPI.bytes_retrans;
const F_BYTES_ACKED = TCPI.bytes_acked;
const F_BYTES_RECEIVED = TCPI.bytes_received;

function newFacts(n: number, from?: TcpFacts): TcpFacts {
  const f: TcpFacts = {
    info: new Uint8Array(n), retrans: new Uint32Array(n), segsOut: new Uint32Array(n), lost: new Uint32Array(n),
    busyMs: new Uint32Array(n), rwndMs: new Uint32Array(n), sndbufMs: new Uint32Array(n), sndWnd: new Int32Array(n),
    v6only: new Uint8Array(n), bytesSent: new Float64Array(n), bytesReceived: new Float64Array(n),
  };
  if (from) {
    f.info.set(from.info); f.retrans.set(from.retrans); f.segsOut.set(from.segsOut); f.lost.set(from.lost);
    f.busyMs.set(from.busyMs); f.rwndMs.set(from.rwndMs); f.sndbufMs.set(from.sndbufMs); f.sndWnd.set(from.sndWnd); f.v6only.set(from.v6only);
    f.bytesSent.set(from.bytesSent); f.bytesReceived.set(from.bytesReceived);
  }
  return f;
}

function u64(buf: Buffer, off: number): number {
  return buf.readUInt32LE(off + 4) * 0x100000000 + buf.readUInt32LE(off);
}

export class SocketStore {
  readonly tcpInfo: boolean;
  private cap: number;
  /** Slot -> columns. A slot is live while seen[slot] !== 0. */
  cookieLo: Uint32Array;
  cookieHi: Uint32Array;
  netid: Uint8Array;
  state: Uint8Array;
  family: Uint8Array;
  recvQ: Uint32Array;
  sendQ: Uint32Array;
  localPort: Uint32Array;
  peerPort: Uint32Array;
  inode: Uint32Array;
  uid: Uint32Array;
  ifindex: Uint32Array;
  protocol: Uint32Array;
  /** 32 bytes a slot: local address at 0, peer at 16 (4 used for IPv4). */
  addr: Uint8Array;
  /** The refresh that last saw the slot; 0: free. */
  seen: Uint32Array;
  /** Bumped whenever a shown column of the slot changes (rows are re-sent when it moves). */
  version: Uint32Array;
  /** unix: the bound name (null: unnamed); others unused. */
  private names: (string | null)[] = [];
  private nameLen: Uint16Array;
  // tcp_info counters of the last two samples, for rates.
  private acked: Float64Array;
  private received: Float64Array;
  private retrans: Float64Array;
  private prevAcked: Float64Array;
  private prevReceived: Float64Array;
  private prevRetrans: Float64Array;
  private rtt: Uint32Array;
  /** Samples taken of the slot, up to 2. */
  private samples: Uint8Array;
  private sampleAt = 0;
  private prevSampleAt = 0;

  /** The findings' tcp_info columns, while kept (keepTcpFacts). */
  facts: TcpFacts | undefined;
  /**
   * Whether the next refresh's dump carries tcp_info for them; when it does not, sockets already held
   * keep the figures of the last dump that did, and new ones have none until the next.
   */
  factsFresh = true;

  /** Slots of sockets with a cookie; byText holds the others (read from /proc/net: no cookie). */
  private readonly byCookie = new CookieTable();
  private readonly byText = new Map<string, number>();
  private readonly order = new DumpOrder();
  private free: number[] = [];
  /** Slots in use past the last free one (slots >= high were never used). */
  private high = 0;
  private live = 0;
  private tickNo = 0;
  /** Bumped when sockets come or go or change state, ports or addresses: cached orders and groupings of slots are stale then. */
  orderEpoch = 0;
  private readonly listeners = new Set<StoreListener>();

  constructor(options: StoreOptions = {}) {
    this.tcpInfo = options.tcpInfo ?? false;
    this.cap = Math.max(16, options.capacity ?? 1024);
    const n = this.cap;
    this.cookieLo = new Uint32Array(n); this.cookieHi = new Uint32Array(n);
    this.netid = new Uint8Array(n); this.state = new Uint8Array(n); this.family = new Uint8Array(n);
    this.recvQ = new Uint32Array(n); this.sendQ = new Uint32Array(n);
    this.localPort = new Uint32Array(n); this.peerPort = new Uint32Array(n);
    this.inode = new Uint32Array(n); this.uid = new Uint32Array(n); this.ifindex = new Uint32Array(n); this.protocol = new Uint32Array(n);
    this.addr = new Uint8Array(n * 32);
    this.seen = new Uint32Array(n); this.version = new Uint32Array(n); this.nameLen = new Uint16Array(n);
    const t = this.tcpInfo ? n : 0;
    this.acked = new Float64Array(t); this.received = new Float64Array(t); this.retrans = new Float64Array(t);
    this.prevAcked = new Float64Array(t); this.prevReceived = new Float64Array(t); this.prevRetrans = new Float64Array(t);
    this.rtt = new Uint32Array(t); this.samples = new Uint8Array(t);
    if (options.tcpFacts) this.keepTcpFacts();
  }

  /** Starts keeping the findings' tcp_info columns (from the next refresh on). */
  keepTcpFacts(): void {
    this.facts ??= newFacts(this.cap);
  }

  /** Sockets held. */
  get size(): number { return this.live; }
  /** Refreshes done. */
  get ticks(): number { return this.tickNo; }
  /** One past the highest slot ever used: iterate 0..end and skip free slots (isLive). */
  get end(): number { return this.high; }

  isLive(slot: number): boolean { return this.seen[slot] !== 0; }

  /** Calls `f` for every live slot. */
  forEach(f: (slot: number) => void): void {
    const seen = this.seen;
    for (let i = 0; i < this.high; i++) if (seen[i] !== 0) f(i);
  }

  /** A socket's slot by its key (recordKey: the cookie as lowercase hex), -1 when absent. */
  slotOf(key: string): number {
    if (/^[0-9a-f]{1,16}$/.test(key)) {
      const lo = parseInt(key.slice(-8), 16);
      const hi = key.length > 8 ? parseInt(key.slice(0, -8), 16) : 0;
      const s = this.byCookie.get(lo, hi);
      if (s >= 0) return s;
    }
    return this.byText.get(key) ?? -1;
  }

  /** Called after every refresh, with what it changed. Returns an unsubscribe function. */
  onRefresh(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * One refresh: `dump` hands every socket of the query to the callback (an engine Socket valid
   * during the call only). Sockets not handed are removed afterwards. When `dump` throws, the
   * sockets it did hand are updated, none is removed, and the error propagates.
   */
  refresh(dump: (onSocket: (s: Socket) => void) => void, now: number = performance.now()): StoreRefresh {
    const tick = ++this.tickNo;
    if (this.tcpInfo) { this.prevSampleAt = this.sampleAt; this.sampleAt = now; }
    let added = 0;
    let changed = 0;
    this.order.begin();
    try {
      dump((s) => {
        const r = this.put(s, tick);
        if (r === 2) added++;
        else if (r === 1) changed++;
      });
    } finally {
      this.order.end();
    }
    let removed = 0;
    // Sockets not handed this time are gone (one pass over the slots: cheaper than a set per refresh).
    const seen = this.seen;
    for (let i = 0; i < this.high; i++) {
      if (seen[i] !== 0 && seen[i] !== tick) { this.release(i); removed++; }
    }
    if (added || removed) this.orderEpoch++;
    const info: StoreRefresh = { tick, at: now, added, removed, changed, size: this.live };
    for (const l of this.listeners) {
      try { l(this, info); } catch { /* a listener's failure is its own */ }
    }
    return info;
  }

  /** Forgets every socket (a new query). */
  clear(): void {
    this.seen.fill(0);
    this.byCookie.clear();
    this.byText.clear();
    this.order.clear();
    this.names = [];
    this.free = [];
    this.high = 0;
    this.live = 0;
    this.orderEpoch++;
  }

  /** 2: added, 1: a shown column changed, 0: as before. */
  private put(s: Socket, tick: number): number {
    const lo = s.cookieLo >>> 0;
    const hi = s.cookieHi >>> 0;
    const cookie = lo !== 0 || hi !== 0;
    const text = cookie ? '' : fallbackKey(s);
    let slot: number;
    if (cookie) {
      const guess = this.order.predict();
      slot = guess >= 0 && this.seen[guess] !== 0 && this.cookieLo[guess] === lo && this.cookieHi[guess] === hi ? guess : this.byCookie.get(lo, hi);
    } else {
      slot = this.byText.get(text) ?? -1;
    }
    let result = 0;
    if (slot < 0) {
      slot = this.allocate();
      if (cookie) this.byCookie.set(lo, hi, slot); else this.byText.set(text, slot);
      this.cookieLo[slot] = s.cookieLo >>> 0;
      this.cookieHi[slot] = s.cookieHi >>> 0;
      this.netid[slot] = NETID_INDEX.get(s.netid) ?? 0;
      this.family[slot] = s.family;
      this.inode[slot] = s.inode >>> 0;
      this.uid[slot] = s.uid >>> 0;
      this.protocol[slot] = s.protocol >>> 0;
      this.state[slot] = s.state;
      this.recvQ[slot] = s.recvQ >>> 0;
      this.sendQ[slot] = s.sendQ >>> 0;
      this.localPort[slot] = s.localPort >>> 0;
      this.peerPort[slot] = s.peerPort >>> 0;
      this.ifindex[slot] = s.ifindex >>> 0;
      this.copyAddress(s, slot);
      if (s.kind === 'unix') { this.names[slot] = s.unixName; this.nameLen[slot] = s.attrs.nameLen; }
      else this.names[slot] = null;
      if (this.tcpInfo) this.samples[slot] = 0;
      this.live++;
      this.version[slot]++;
      result = 2;
    } else {
      let diff = false;
      if (this.state[slot] !== s.state) { this.state[slot] = s.state; diff = true; this.orderEpoch++; }
      if (this.recvQ[slot] !== s.recvQ >>> 0) { this.recvQ[slot] = s.recvQ >>> 0; diff = true; }
      if (this.sendQ[slot] !== s.sendQ >>> 0) { this.sendQ[slot] = s.sendQ >>> 0; diff = true; }
      // Ports and addresses order the rows and decide the exposed filter, as states decide groups.
      if (this.localPort[slot] !== s.localPort >>> 0) { this.localPort[slot] = s.localPort >>> 0; diff = true; this.orderEpoch++; }
      if (this.peerPort[slot] !== s.peerPort >>> 0) { this.peerPort[slot] = s.peerPort >>> 0; diff = true; this.orderEpoch++; }
      if (this.ifindex[slot] !== s.ifindex >>> 0) { this.ifindex[slot] = s.ifindex >>> 0; diff = true; }
      if (s.srcOff >= 0 && this.addressDiffers(s, slot)) { this.copyAddress(s, slot); diff = true; this.orderEpoch++; }
      if (s.kind === 'unix' && this.nameLen[slot] !== s.attrs.nameLen) {
        this.names[slot] = s.unixName; this.nameLen[slot] = s.attrs.nameLen; diff = true;
      }
      if (diff) { this.version[slot]++; result = 1; }
    }
    this.seen[slot] = tick;
    this.order.record(slot);
    if (this.tcpInfo) this.sample(s, slot);
    if (this.facts && (this.factsFresh || result === 2)) this.sampleFacts(s, slot, this.facts);
    return result;
  }

  private sampleFacts(s: Socket, slot: number, f: TcpFacts): void {
    f.v6only[slot] = s.v6only === undefined ? 0 : s.v6only === 1 ? 2 : 1;
    const a = s.attrs;
    const len = a.infoLen;
    if (a.info < 0 || s.kind !== 'tcp' || len < F_RETRANS + 4) { f.info[slot] = 0; return; }
    const b = s.buf;
    const o = a.info;
    f.info[slot] = 1;
    f.retrans[slot] = b.readUInt32LE(o + F_RETRANS);
    f.lost[slot] = b.readUInt32LE(o + F_LOST);
    f.segsOut[slot] = len >= F_SEGS_OUT.offset + 4 ? b.readUInt32LE(o + F_SEGS_OUT.offset) : 0;
    if (len >= F_BUSY.offset + 24) {
      // µs counters (u64) to ms: a u32 of ms lasts 49 days of busy time.
      f.busyMs[slot] = Math.min(0xffffffff, Math.floor(u64(b, o + F_BUSY.offset) / 1000));
      f.rwndMs[slot] = Math.min(0xffffffff, Math.floor(u64(b, o + F_RWND) / 1000));
      f.sndbufMs[slot] = Math.min(0xffffffff, Math.floor(u64(b, o + F_SNDBUF) / 1000));
    } else {
      f.busyMs[slot] = 0; f.rwndMs[slot] = 0; f.sndbufMs[slot] = 0;
    }
    f.sndWnd[slot] = len >= F_SND_WND.offset + 4 ? b.readUInt32LE(o + F_SND_WND.offset) | 0 : -1;
    const counter = (field: typeof F_BYTES_SENT): number | undefined => (len >= field.offset + field.size ? u64(b, o + field.offset) : undefined);
    f.bytesSent[slot] = bytesSentFrom(counter(F_BYTES_SENT), counter(F_BYTES_RETRANS), counter(F_BYTES_ACKED)) ?? NaN;
    f.bytesReceived[slot] = counter(F_BYTES_RECEIVED) ?? NaN;
  }

  private sample(s: Socket, slot: number): void {
    const a = s.attrs;
    if (a.info < 0 || s.kind !== 'tcp' || a.infoLen < TCPI_SAMPLE_LEN) { this.samples[slot] = 0; return; }
    const b = s.buf;
    const o = a.info;
    this.prevAcked[slot] = this.acked[slot];
    this.prevReceived[slot] = this.received[slot];
    this.prevRetrans[slot] = this.retrans[slot];
    this.acked[slot] = u64(b, o + TCPI_BYTES_ACKED);
    this.received[slot] = u64(b, o + TCPI_BYTES_RECEIVED);
    this.retrans[slot] = b.readUInt32LE(o + TCPI_TOTAL_RETRANS);
    this.rtt[slot] = b.readUInt32LE(o + TCPI_RTT);
    if (this.samples[slot] < 2) this.samples[slot]++;
  }

  private addressDiffers(s: Socket, slot: number): boolean {
    const n = s.family === AF_INET ? 4 : 16;
    const b = s.buf;
    const base = slot * 32;
    for (let i = 0; i < n; i++) if (this.addr[base + i] !== b[s.srcOff + i]) return true;
    if (s.dstOff >= 0) for (let i = 0; i < n; i++) if (this.addr[base + 16 + i] !== b[s.dstOff + i]) return true;
    return false;
  }

  private copyAddress(s: Socket, slot: number): void {
    const base = slot * 32;
    this.addr.fill(0, base, base + 32);
    if (s.srcOff < 0) return;
    const n = s.family === AF_INET ? 4 : 16;
    this.addr.set(s.buf.subarray(s.srcOff, s.srcOff + n), base);
    if (s.dstOff >= 0) this.addr.set(s.buf.subarray(s.dstOff, s.dstOff + n), base + 16);
  }

  private allocate(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.high === this.cap) this.grow();
    return this.high++;
  }

  private release(slot: number): void {
    const hi = this.cookieHi[slot];
    const lo = this.cookieLo[slot];
    if (hi !== 0 || lo !== 0) this.byCookie.delete(lo, hi);
    else this.byText.delete(this.key(slot));
    this.seen[slot] = 0;
    this.names[slot] = null;
    this.free.push(slot);
    this.live--;
  }

  private grow(): void {
    const n = this.cap * 2;
    const g32 = (a: Uint32Array): Uint32Array => { const b = new Uint32Array(a.length ? n : 0); b.set(a); return b; };
    const g8 = (a: Uint8Array, per = 1): Uint8Array => { const b = new Uint8Array(a.length ? n * per : 0); b.set(a); return b; };
    const g64 = (a: Float64Array): Float64Array => { const b = new Float64Array(a.length ? n : 0); b.set(a); return b; };
    this.cookieLo = g32(this.cookieLo); this.cookieHi = g32(this.cookieHi);
    this.netid = g8(this.netid); this.state = g8(this.state); this.family = g8(this.family);
    this.recvQ = g32(this.recvQ); this.sendQ = g32(this.sendQ); this.localPort = g32(this.localPort); this.peerPort = g32(this.peerPort);
    this.inode = g32(this.inode); this.uid = g32(this.uid); this.ifindex = g32(this.ifindex); this.protocol = g32(this.protocol);
    this.addr = g8(this.addr, 32);
    this.seen = g32(this.seen); this.version = g32(this.version);
    const nl = new Uint16Array(n); nl.set(this.nameLen); this.nameLen = nl;
    this.acked = g64(this.acked); this.received = g64(this.received); this.retrans = g64(this.retrans);
    this.prevAcked = g64(this.prevAcked); this.prevReceived = g64(this.prevReceived); this.prevRetrans = g64(this.prevRetrans);
    this.rtt = g32(this.rtt); this.samples = g8(this.samples);
    if (this.facts) this.facts = newFacts(n, this.facts);
    this.cap = n;
  }

  // -- reading one slot ---------------------------------------------------------------------

  /** The socket's key, recordKey of its record (the cookie as hex). */
  key(slot: number): string {
    const hi = this.cookieHi[slot];
    const lo = this.cookieLo[slot];
    if (hi === 0 && lo === 0) {
      const r = this.record(slot);
      return `${r.netid}/${r.inode}/${r.localAddress ?? ''}/${r.localPort}/${r.peerAddress ?? ''}/${r.peerPort}`;
    }
    return hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0');
  }

  netidName(slot: number): Netid { return NETIDS[this.netid[slot]]; }
  stateName(slot: number): StateName { return stateName(this.state[slot]) as StateName; }
  /** A kernel state number's name. */
  stateNameOf(state: number): StateName { return stateName(state) as StateName; }

  familyName(slot: number): Family {
    switch (this.family[slot]) {
      case AF_INET: return 'inet';
      case AF_INET6: return 'inet6';
      case AF_UNIX: return 'unix';
      case AF_PACKET: return 'packet';
      default: return 'netlink';
    }
  }

  isInet(slot: number): boolean {
    const f = this.family[slot];
    return f === AF_INET || f === AF_INET6;
  }

  /** Local (side 0) or peer (side 1) address bytes of an inet socket. */
  addressBytes(slot: number, side: 0 | 1): Uint8Array {
    const n = this.family[slot] === AF_INET ? 4 : 16;
    const base = slot * 32 + side * 16;
    return this.addr.subarray(base, base + n);
  }

  /** The protocol's SocketRecord for the slot: basic columns, plus processes when a map is given. */
  record(slot: number, processes?: Map<number, ProcessRef[]>, interfaceName?: (index: number) => string | undefined): SocketRecord {
    const family = this.familyName(slot);
    const netid = this.netidName(slot);
    let localAddress: string | null = null;
    let peerAddress: string | null = null;
    let localPort = this.localPort[slot];
    let peerPort = this.peerPort[slot];
    let iface: string | null = null;
    const ifindex = this.ifindex[slot];
    if (family === 'inet' || family === 'inet6') {
      localAddress = formatAddress(this.addr, slot * 32, this.family[slot]);
      peerAddress = formatAddress(this.addr, slot * 32 + 16, this.family[slot]);
      if (ifindex) iface = interfaceName?.(ifindex) ?? String(ifindex);
    } else if (family === 'unix') {
      localAddress = this.names[slot] ?? null;
      localPort = this.inode[slot];
    } else if (family === 'packet') {
      localAddress = etherProtocolName(this.protocol[slot]);
      localPort = ifindex;
      peerPort = 0;
      if (ifindex) iface = interfaceName?.(ifindex) ?? null;
    } else {
      localAddress = NETLINK_PROTOCOL_NAMES[this.protocol[slot]] ?? String(this.protocol[slot]);
      localPort = localPort | 0;
    }
    const hi = this.cookieHi[slot];
    const lo = this.cookieLo[slot];
    const rec: SocketRecord = {
      netid, state: this.stateName(slot), family,
      recvQ: this.recvQ[slot], sendQ: this.sendQ[slot],
      localAddress, localPort, peerAddress, peerPort, iface,
      inode: this.inode[slot], uid: this.uid[slot],
      cookie: hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, '0'),
    };
    if (processes) rec.processes = rec.inode ? (processes.get(rec.inode) ?? []) : [];
    return rec;
  }

  /** The evaluator's view of the slot (for filters within a group). */
  ssqSocket(slot: number): SsqSocket {
    const family = this.familyName(slot);
    const inet = family === 'inet' || family === 'inet6';
    return {
      family,
      netid: this.netidName(slot),
      state: this.state[slot],
      localAddr: inet ? this.addressBytes(slot, 0) : family === 'unix' ? this.names[slot] ?? null : null,
      peerAddr: inet ? this.addressBytes(slot, 1) : null,
      localPort: family === 'packet' ? this.ifindex[slot] : family === 'netlink' ? this.localPort[slot] | 0 : this.localPort[slot],
      peerPort: this.peerPort[slot],
      protocol: this.protocol[slot],
      ifindex: this.ifindex[slot],
      mark: undefined,
      cgroupId: undefined,
      peerPath: null,
    };
  }

  /** Rates between the two last refreshes (null until two samples, and without tcp_info). */
  rates(slot: number): ViewRates {
    if (!this.tcpInfo || this.samples[slot] === 0) return { sendBps: null, recvBps: null, retransPerSec: null, rttUs: null };
    const rttUs = this.rtt[slot];
    const dt = (this.sampleAt - this.prevSampleAt) / 1000;
    if (this.samples[slot] < 2 || !(dt > 0)) return { sendBps: null, recvBps: null, retransPerSec: null, rttUs };
    const per = (a: number, b: number): number => Math.max(0, (a - b) / dt);
    return {
      sendBps: per(this.acked[slot], this.prevAcked[slot]),
      recvBps: per(this.received[slot], this.prevReceived[slot]),
      retransPerSec: per(this.retrans[slot], this.prevRetrans[slot]),
      rttUs,
    };
  }

  /** A measured sort's key (higher first); -1 for sockets without a figure. */
  measure(slot: number, what: 'rate' | 'rtt' | 'retrans'): number {
    if (!this.tcpInfo || this.samples[slot] === 0) return -1;
    if (what === 'rtt') return this.rtt[slot];
    if (this.samples[slot] < 2) return -1;
    if (what === 'retrans') return this.retrans[slot] - this.prevRetrans[slot];
    return this.acked[slot] - this.prevAcked[slot] + this.received[slot] - this.prevReceived[slot];
  }

  /** Address order: netid, state, local address, local port, peer address, peer port, cookie. */
  compareAddress(a: number, b: number): number {
    let d = this.netid[a] - this.netid[b] || this.state[a] - this.state[b];
    if (d) return d;
    if (this.isInet(a) && this.isInet(b)) {
      d = this.family[a] - this.family[b] || compareBytes(this.addr, a * 32, b * 32, 16);
      if (d) return d;
      d = this.localPort[a] - this.localPort[b] || compareBytes(this.addr, a * 32 + 16, b * 32 + 16, 16) || this.peerPort[a] - this.peerPort[b];
    } else {
      const na = this.names[a] ?? '';
      const nb = this.names[b] ?? '';
      d = (na < nb ? -1 : na > nb ? 1 : 0) || this.localPort[a] - this.localPort[b] || this.peerPort[a] - this.peerPort[b];
    }
    return d || this.cookieHi[a] - this.cookieHi[b] || this.cookieLo[a] - this.cookieLo[b];
  }

  /** Approximate bytes held (columns and maps), for diagnostics and the benchmark. */
  get bytes(): number {
    const cols: ArrayBufferView[] = [this.cookieLo, this.cookieHi, this.netid, this.state, this.family, this.recvQ, this.sendQ, this.localPort,
      this.peerPort, this.inode, this.uid, this.ifindex, this.protocol, this.addr, this.seen, this.version, this.nameLen,
      this.acked, this.received, this.retrans, this.prevAcked, this.prevReceived, this.prevRetrans, this.rtt, this.samples];
    const f = this.facts;
    if (f) cols.push(f.info, f.retrans, f.segsOut, f.lost, f.busyMs, f.rwndMs, f.sndbufMs, f.sndWnd, f.v6only);
    return cols.reduce((n, c) => n + c.byteLength, 0) + this.byCookie.bytes + this.byText.size * 40 + this.names.length * 8;
  }
}

function compareBytes(buf: Uint8Array, a: number, b: number, n: number): number {
  for (let i = 0; i < n; i++) {
    const d = buf[a + i] - buf[b + i];
    if (d) return d;
  }
  return 0;
}

/** The key of a socket read without a cookie (/proc/net): its kind, inode and ports. */
function fallbackKey(s: Socket): string {
  return `${s.netid}/${s.inode}/${s.localAddress ?? ''}/${s.localPort}/${s.peerAddress ?? ''}/${s.peerPort}`;
}
