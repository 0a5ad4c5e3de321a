// Turns refreshes (every socket listed by one dump) and the kernel's destroy events into the changes
// the history stores: a socket's first sighting, its state changes, its owner, its close (with the final
// byte counts), when it left the listings, and per-process per-state counts. Only changes leave
// here; a socket that stays as it was costs one map lookup per refresh.
//
// Closes: where the kernel's destroy events are read (root), a connection's close and its final
// tcp_info come from the event, so one shorter than a refresh is recorded too (closedBy kernel-event).
// Otherwise a connection is closed when a refresh lists it in TIME-WAIT or CLOSE or no longer lists it,
// with the byte counts of the last refresh that had them (closedBy watch).
import { TCP_STATE } from '../../fields/socket-states';
import { bytesSentFrom } from '../../fields';
import type { Batch } from './batch';
import { emptyBatch } from './batch';
import { CLOSED_BY_CODE, NETIDS } from './schema';
import type { BatchSink } from './writer-thread';
import { HistoryWriter } from './writer';

/** What the recorder reads of a socket: the netlink engine's Socket has all of it. */
export interface RecordableSocket {
  readonly cookie: bigint;
  readonly netid: string;
  readonly state: number;
  readonly inode: number;
  readonly localAddress: string | null;
  readonly peerAddress: string | null;
  readonly localPort: number;
  readonly peerPort: number;
  readonly tcpInfo?: TcpCounters | undefined;
}

export interface TcpCounters {
  readonly bytes_acked?: bigint;
  readonly bytes_received?: bigint;
  readonly bytes_sent?: bigint;
  readonly bytes_retrans?: bigint;
  readonly total_retrans?: number;
  toObject(): object;
}

export interface Owner { pid: number; name: string }

/** Payload bytes sent (fields/payload-bytes.ts) of decoded tcp_info. */
export function bytesSentOf(i: TcpCounters): number | null {
  return bytesSentFrom(num(i.bytes_sent), num(i.bytes_retrans), num(i.bytes_acked));
}

/** A copy of what the recorder reads (for a socket kept past its datagram, whose buffer is reused). */
export function copySocket(s: RecordableSocket): RecordableSocket {
  const i = s.tcpInfo;
  const info = i ? {
    bytes_acked: i.bytes_acked, bytes_received: i.bytes_received, bytes_sent: i.bytes_sent, bytes_retrans: i.bytes_retrans,
    total_retrans: i.total_retrans, toObject: ((o: object) => () => o)(i.toObject()),
  } : undefined;
  return {
    cookie: s.cookie, netid: s.netid, state: s.state, inode: s.inode, localAddress: s.localAddress, peerAddress: s.peerAddress,
    localPort: s.localPort, peerPort: s.peerPort, tcpInfo: info,
  };
}

export interface RecorderOptions {
  netns?: string | null;
  /** The process holding a socket inode, if known. */
  owner?: (inode: number) => Owner | undefined;
  /** Destroy events feed closes (then refreshes need no tcp_info). */
  kernelEvents?: boolean;
  /**
   * Refreshes are fed as changes (the helper's socket store knows them): see() only for sockets new
   * or in another state, gone() for those that left, listed() for the count. A socket not seen at a
   * refresh is still listed.
   */
  delta?: boolean;
}

const { TIME_WAIT, CLOSE, LISTEN } = TCP_STATE;
/** How many refreshes a socket's owner is looked for before giving up. */
const OWNER_TRIES = 5;
/** A socket the kernel reported closed before any refresh listed it is remembered this long (ms). */
const FORGET_UNSEEN_MS = 120_000;
/** A watch close this recent is replaced by a late destroy event's (ms). */
const LATE_EVENT_MS = 5_000;

interface Entry {
  id: number;
  state: number;
  pid: number;
  ownerTries: number;
  tick: number;
  present: boolean;
  /** 0 open, else CLOSED_BY code. */
  closedBy: number;
  closedAt: number;
  lastSeenAt: number;
  bytesSent: number | null;
  bytesReceived: number | null;
  retrans: number | null;
}

function tupleOf(s: RecordableSocket): string {
  return `${s.netid} ${s.localAddress}:${s.localPort} ${s.peerAddress}:${s.peerPort}`;
}

function num(v: bigint | number | undefined): number | null {
  return v === undefined ? null : Number(v);
}

export class Recorder {
  private readonly entries = new Map<bigint, Entry>();
  private batch: Batch = emptyBatch();
  private nextId: number;
  private tickNo = 0;
  private at = 0;
  private lastTickAt: number | null = null;
  private listed = 0;
  private prevCounts = new Map<number, number>();
  private readonly sampled = new Set<bigint>();
  /**
   * Connections only a destroy event reported, by address tuple: the TIME-WAIT socket such a
   * connection leaves has a cookie of its own (the kernel copies a cookie only once one was made),
   * so it is matched to its connection by addresses instead.
   */
  private readonly unseenClosed = new Map<string, Entry>();
  /**
   * The other order: a refresh listed the TIME-WAIT socket of a connection it never listed before its
   * destroy event was read. Its event, when it comes, closes that entry instead of opening another.
   */
  private readonly closedFirstListed = new Map<string, Entry>();
  /** Local port -> the process of a listener on it: a connection never listed was accepted there. */
  private readonly listeners = new Map<number, Owner>();
  private stopped = false;
  /**
   * Delta feeding: counts per pid*16+state of the listed sockets, kept as they change (a refresh
   * then costs what changed, not a pass over every socket), and the entries no longer listed (kept
   * for late destroy events, forgotten after FORGET_UNSEEN_MS).
   */
  private readonly liveCounts = new Map<number, number>();
  private readonly absent = new Set<bigint>();

  constructor(private readonly sink: BatchSink, private readonly options: RecorderOptions = {}) {
    this.nextId = sink.nextId;
  }

  /** tcp_info of this socket is stored at every refresh (charted or followed sockets). */
  sample(cookie: bigint, on = true): void {
    if (on) this.sampled.add(cookie);
    else this.sampled.delete(cookie);
  }

  /**
   * `complete`: with delta feeding, this refresh sees every socket it lists (after a pause, or a new
   * store): those not seen are gone, as without delta feeding.
   */
  private bump(k: number, by: number): void {
    const n = (this.liveCounts.get(k) ?? 0) + by;
    if (n === 0) this.liveCounts.delete(k); else this.liveCounts.set(k, n);
  }

  beginTick(at: number, complete = false): void {
    this.tickNo++;
    this.at = at;
    this.listed = 0;
    this.completeTick = complete;
  }
  private completeTick = false;

  /**
   * One socket of the current refresh. Returns whether its process is settled (found, or looked
   * for OWNER_TRIES times): a caller feeding only what changed need not give it again for that.
   */
  see(s: RecordableSocket): boolean {
    const key = s.cookie;
    let e = this.entries.get(key);
    const state = s.state;
    this.listed++;
    if (e === undefined && state === TIME_WAIT && this.unseenClosed.size > 0) {
      const t = tupleOf(s);
      e = this.unseenClosed.get(t);
      if (e) {
        this.unseenClosed.delete(t);
        this.entries.set(key, e);
      }
    }
    const counted = e !== undefined && e.present ? e.pid * 16 + e.state : -1;
    if (e === undefined) {
      const closed = state === TIME_WAIT || state === CLOSE;
      // First listed closed after the first refresh: it opened after the previous one.
      e = this.open(s, closed && this.lastTickAt !== null ? this.lastTickAt : this.at, this.at);
      this.entries.set(key, e);
      // Listed closed at the first refresh: it closed before the recording (listed, never logged).
      if (this.tickNo === 1 && closed) e.closedBy = -1;
      else if (closed && this.options.kernelEvents) this.closedFirstListed.set(tupleOf(s), e);
    } else {
      if (!e.present) { e.present = true; this.batch.seen.push([e.id, this.at]); }
      if (e.state !== state) {
        e.state = state;
        this.batch.states.push([e.id, this.at, state]);
      }
      if (e.pid === 0 && e.ownerTries < OWNER_TRIES && s.inode !== 0) this.findOwner(e, s, true);
    }
    e.tick = this.tickNo;
    e.lastSeenAt = this.at;
    if (this.options.delta) {
      if (counted >= 0) this.bump(counted, -1);
      this.bump(e.pid * 16 + e.state, 1);
      if (this.absent.size > 0) this.absent.delete(key);
    }
    if (!this.options.kernelEvents && e.closedBy === 0) {
      const info = s.tcpInfo;
      if (info) {
        e.bytesSent = bytesSentOf(info);
        e.bytesReceived = num(info.bytes_received);
        e.retrans = info.total_retrans ?? null;
      }
      if (state === TIME_WAIT || state === CLOSE) this.close(e, this.at, CLOSED_BY_CODE.watch, state);
    }
    if (this.sampled.size > 0 && this.sampled.has(key) && s.tcpInfo) this.pushSample(e, s.tcpInfo.toObject());
    return e.pid !== 0 || e.ownerTries >= OWNER_TRIES;
  }

  /**
   * tcp_info of a socket this refresh lists, read by the caller (delta feeding: the view's store keeps
   * no tcp_info, the helper looks the sampled sockets up). False when the recorder does not know the socket.
   */
  sampleInfo(cookie: bigint, info: object): boolean {
    const e = this.entries.get(cookie);
    if (e === undefined || !e.present || this.stopped) return false;
    this.pushSample(e, info);
    return true;
  }

  private pushSample(e: Entry, info: object): void {
    this.batch.samples.push([e.id, this.at, JSON.stringify(info, (_k, v: unknown) => typeof v === 'bigint' ? Number(v) : v)]);
  }

  private open(s: RecordableSocket, openedAt: number, seenFrom: number | null): Entry {
    const netid = NETIDS.indexOf(s.netid as (typeof NETIDS)[number]);
    const e: Entry = {
      id: this.nextId++, state: s.state, pid: 0, ownerTries: 0, tick: this.tickNo, present: seenFrom !== null,
      closedBy: 0, closedAt: 0, lastSeenAt: this.at, bytesSent: null, bytesReceived: null, retrans: null,
    };
    let owner = s.inode !== 0 ? this.options.owner?.(s.inode) : undefined;
    if (owner && s.state === LISTEN) this.listeners.set(s.localPort, owner);
    if (!owner && seenFrom === null) owner = this.listeners.get(s.localPort);
    if (owner) e.pid = owner.pid;
    else e.ownerTries = s.inode !== 0 ? 1 : OWNER_TRIES;
    this.batch.opened.push({
      id: e.id, netid: netid < 0 ? 0 : netid, netns: this.options.netns ?? null,
      localAddress: s.localAddress, localPort: s.localPort, peerAddress: s.peerAddress, peerPort: s.peerPort,
      pid: owner?.pid ?? null, command: owner?.name ?? null, state: s.state, openedAt, seenFrom,
    });
    return e;
  }

  private findOwner(e: Entry, s: RecordableSocket, write: boolean): void {
    e.ownerTries++;
    const owner = this.options.owner?.(s.inode);
    if (!owner) return;
    e.pid = owner.pid;
    if (s.state === LISTEN) this.listeners.set(s.localPort, owner);
    if (write) this.batch.owners.push([e.id, owner.pid, owner.name]);
  }

  private close(e: Entry, at: number, by: number, state: number): void {
    e.closedBy = by;
    e.closedAt = at;
    this.batch.closed.push({ id: e.id, at, by, state, bytesSent: e.bytesSent, bytesReceived: e.bytesReceived, retrans: e.retrans });
  }

  /**
   * The last byte counts and retransmits read of a socket still open (without destroy events, from
   * the last refresh that carried its tcp_info): what its close, seen by a later refresh, records.
   */
  counters(cookie: bigint, bytesSent: number | null, bytesReceived: number | null, retrans: number | null): void {
    if (this.options.kernelEvents) return;
    const e = this.entries.get(cookie);
    if (e === undefined || e.closedBy !== 0) return;
    e.bytesSent = bytesSent;
    e.bytesReceived = bytesReceived;
    e.retrans = retrans;
  }

  /** The recorder has this socket (listed, or reported closed, and not yet forgotten). */
  knows(cookie: bigint): boolean {
    return this.entries.has(cookie);
  }

  /** A socket the kernel destroyed (its last state and final tcp_info). */
  destroyed(s: RecordableSocket, at = Date.now()): void {
    if (this.stopped) return;
    const key = s.cookie;
    let e = this.entries.get(key);
    const info = s.tcpInfo;
    if (e === undefined && this.closedFirstListed.size > 0) {
      const t = tupleOf(s);
      e = this.closedFirstListed.get(t);
      if (e) {
        this.closedFirstListed.delete(t);
        this.entries.set(key, e);
      }
    }
    if (e === undefined) {
      // Opened and closed between two refreshes: it opened after the last one.
      e = this.open(s, this.lastTickAt ?? at, null);
      e.lastSeenAt = at;
      this.entries.set(key, e);
      this.unseenClosed.set(tupleOf(s), e);
      if (this.options.delta) this.absent.add(key);
    } else if (e.closedBy === CLOSED_BY_CODE['kernel-event'] || (e.closedBy === CLOSED_BY_CODE.watch && at - e.closedAt > LATE_EVENT_MS)) {
      return;
    }
    if (info) {
      e.bytesSent = bytesSentOf(info);
      e.bytesReceived = num(info.bytes_received);
      e.retrans = info.total_retrans ?? null;
    }
    if (e.pid === 0) {
      // Never tied to a process while listed: the listener it was accepted on, if one is known.
      const owner = this.listeners.get(s.localPort);
      if (owner) {
        if (this.options.delta && e.present) { this.bump(e.pid * 16 + e.state, -1); this.bump(owner.pid * 16 + e.state, 1); }
        e.pid = owner.pid;
        this.batch.owners.push([e.id, owner.pid, owner.name]);
      }
    }
    this.close(e, at, CLOSED_BY_CODE['kernel-event'], s.state);
  }

  /** Delta feeding: a socket the refresh no longer lists (listed until the previous refresh). */
  gone(cookie: bigint): void {
    const e = this.entries.get(cookie);
    if (!e || !e.present) return;
    e.present = false;
    this.bump(e.pid * 16 + e.state, -1);
    e.lastSeenAt = this.lastTickAt ?? this.at;
    this.batch.gone.push([e.id, e.lastSeenAt]);
    if (e.closedBy === 0) this.close(e, this.at, CLOSED_BY_CODE.watch, e.state);
    if (!this.options.kernelEvents) this.entries.delete(cookie);
    else this.absent.add(cookie);
  }

  /** Delta feeding: how many sockets the refresh listed (see() was called only for the changed ones). */
  listedCount(n: number): void {
    this.listed = n;
  }

  /** A full pass: sockets this refresh did not list are gone; the counts of those it listed. */
  private countAll(tick: number, at: number): Map<number, number> {
    const counts = new Map<number, number>();
    // Delta feeding does not move lastSeenAt for sockets that did not change: last seen at the last refresh.
    const pausedAt = this.options.delta === true && this.completeTick ? this.lastTickAt : null;
    for (const [key, e] of this.entries) {
      if (e.tick === tick) {
        const k = e.pid * 16 + e.state;
        counts.set(k, (counts.get(k) ?? 0) + 1);
        continue;
      }
      if (e.present) {
        e.present = false;
        if (pausedAt !== null) e.lastSeenAt = Math.max(e.lastSeenAt, pausedAt);
        this.batch.gone.push([e.id, e.lastSeenAt]);
        if (e.closedBy === 0) this.close(e, at, CLOSED_BY_CODE.watch, e.state);
        // With destroy events, kept a while: the event of a close the dump saw first may follow.
        if (!this.options.kernelEvents) this.entries.delete(key);
      } else if (at - e.lastSeenAt > FORGET_UNSEEN_MS) {
        this.entries.delete(key);
      }
    }
    if (this.options.delta) {
      // After a complete refresh the kept counts and the absent set start again from this pass.
      this.liveCounts.clear();
      for (const [k, n] of counts) this.liveCounts.set(k, n);
      this.absent.clear();
      for (const [key, e] of this.entries) if (!e.present) this.absent.add(key);
    }
    return counts;
  }

  /** Ends the refresh: sockets it did not list are gone; counts; hands the batch to the writer. */
  endTick(): void {
    const tick = this.tickNo;
    const at = this.at;
    const full = tick % HistoryWriter.FULL_COUNTS_EVERY === 1;
    const delta = this.options.delta === true && !this.completeTick;
    let counts: Map<number, number>;
    if (delta) {
      counts = this.liveCounts;
      for (const key of this.absent) {
        const e = this.entries.get(key);
        if (!e || e.present) this.absent.delete(key);
        else if (at - e.lastSeenAt > FORGET_UNSEEN_MS) { this.entries.delete(key); this.absent.delete(key); }
      }
    } else {
      counts = this.countAll(tick, at);
    }
    if (this.unseenClosed.size > 0) for (const [t, e] of this.unseenClosed) if (e.present || at - e.lastSeenAt > FORGET_UNSEEN_MS) this.unseenClosed.delete(t);
    if (this.closedFirstListed.size > 0) for (const [t, e] of this.closedFirstListed) if (e.closedBy !== 0 || at - e.lastSeenAt > FORGET_UNSEEN_MS) this.closedFirstListed.delete(t);
    const rows = this.batch.counts;
    for (const [k, n] of counts) if (full || this.prevCounts.get(k) !== n) rows.push([at, Math.floor(k / 16), k % 16, n]);
    if (!full) for (const k of this.prevCounts.keys()) if (!counts.has(k)) rows.push([at, Math.floor(k / 16), k % 16, 0]);
    this.prevCounts = delta ? new Map(counts) : counts;
    this.batch.ticks.push([at, this.listed, full ? 1 : 0]);
    this.lastTickAt = at;
    this.flush();
  }

  private flush(): void {
    const b = this.batch;
    this.batch = emptyBatch();
    this.sink.push(b);
  }

  /** Stops: what is waiting is written, sockets still listed were seen until the last refresh. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.lastTickAt !== null) this.batch.stoppedAt = this.lastTickAt;
    this.flush();
    await this.sink.close();
  }
}
