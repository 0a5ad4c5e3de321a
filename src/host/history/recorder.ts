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
import { RecorderEntries, known, unknownAsNaN } from './recorder-entries';
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

function tupleOf(s: RecordableSocket): string {
  return `${s.netid} ${s.localAddress}:${s.localPort} ${s.peerAddress}:${s.peerPort}`;
}

function num(v: bigint | number | undefined): number | null {
  return v === undefined ? null : Number(v);
}

export class Recorder {
  /** Each socket followed, by slot (recorder-entries.ts). */
  private readonly e = new RecorderEntries();
  private batch: Batch = emptyBatch();
  private nextId: number;
  private tickNo = 0;
  private at = 0;
  private lastTickAt: number | null = null;
  private listed = 0;
  private prevCounts = new Map<number, number>();
  private readonly sampled = new Set<bigint>();
  /**
   * Connections only a destroy event reported, by address tuple (their slots): the TIME-WAIT socket
   * such a connection leaves has a cookie of its own (the kernel copies a cookie only once one was
   * made), so it is matched to its connection by addresses instead.
   */
  private readonly unseenClosed = new Map<string, number>();
  /**
   * The other order: a refresh listed the TIME-WAIT socket of a connection it never listed before its
   * destroy event was read. Its event, when it comes, closes that slot instead of opening another.
   */
  private readonly closedFirstListed = new Map<string, number>();
  /** Local port -> the process of a listener on it: a connection never listed was accepted there. */
  private readonly listeners = new Map<number, Owner>();
  private stopped = false;
  /**
   * Delta feeding: counts per pid*16+state of the listed sockets, kept as they change (a refresh
   * then costs what changed, not a pass over every socket), and the slots no longer listed (kept
   * for late destroy events, forgotten after FORGET_UNSEEN_MS).
   */
  private readonly liveCounts = new Map<number, number>();
  private readonly absent = new Set<number>();

  constructor(private readonly sink: BatchSink, private readonly options: RecorderOptions = {}) {
    this.nextId = sink.nextId;
  }

  /** tcp_info of this socket is stored at every refresh (charted or followed sockets). */
  sample(cookie: bigint, on = true): void {
    if (on) this.sampled.add(cookie);
    else this.sampled.delete(cookie);
  }

  private bump(k: number, by: number): void {
    const n = (this.liveCounts.get(k) ?? 0) + by;
    if (n === 0) this.liveCounts.delete(k); else this.liveCounts.set(k, n);
  }

  /**
   * `complete`: with delta feeding, this refresh sees every socket it lists (after a pause, or a new
   * store): those not seen are gone, as without delta feeding.
   */
  beginTick(at: number, complete = false): void {
    this.tickNo++;
    this.at = at;
    this.listed = 0;
    this.completeTick = complete;
  }
  private completeTick = false;

  /** The last byte counts and retransmits read from tcp_info. */
  private takeCounters(slot: number, info: TcpCounters): void {
    const e = this.e;
    e.bytesSent[slot] = unknownAsNaN(bytesSentOf(info));
    e.bytesReceived[slot] = unknownAsNaN(num(info.bytes_received));
    e.retrans[slot] = unknownAsNaN(info.total_retrans ?? null);
  }

  /**
   * One socket of the current refresh. Returns whether its process is settled (found, or looked
   * for OWNER_TRIES times): a caller feeding only what changed need not give it again for that.
   */
  see(s: RecordableSocket): boolean {
    const e = this.e;
    const key = s.cookie;
    let slot = e.slotOf(key);
    const state = s.state;
    this.listed++;
    if (slot < 0 && state === TIME_WAIT && this.unseenClosed.size > 0) {
      const t = tupleOf(s);
      const was = this.unseenClosed.get(t);
      if (was !== undefined) {
        this.unseenClosed.delete(t);
        if (e.live[was] !== 0) { e.link(key, was); slot = was; }
      }
    }
    const counted = slot >= 0 && e.present[slot] !== 0 ? e.pid[slot] * 16 + e.state[slot] : -1;
    if (slot < 0) {
      const closed = state === TIME_WAIT || state === CLOSE;
      // First listed closed after the first refresh: it opened after the previous one.
      slot = this.open(s, closed && this.lastTickAt !== null ? this.lastTickAt : this.at, this.at);
      // Listed closed at the first refresh: it closed before the recording (listed, never logged).
      if (this.tickNo === 1 && closed) e.closedBy[slot] = -1;
      else if (closed && this.options.kernelEvents) this.closedFirstListed.set(tupleOf(s), slot);
    } else {
      if (e.present[slot] === 0) { e.present[slot] = 1; this.batch.seen.push([e.id[slot], this.at]); }
      if (e.state[slot] !== state) {
        e.state[slot] = state;
        this.batch.states.push([e.id[slot], this.at, state]);
      }
      if (e.pid[slot] === 0 && e.ownerTries[slot] < OWNER_TRIES && s.inode !== 0) this.findOwner(slot, s, true);
    }
    e.tick[slot] = this.tickNo;
    e.lastSeenAt[slot] = this.at;
    if (this.options.delta) {
      if (counted >= 0) this.bump(counted, -1);
      this.bump(e.pid[slot] * 16 + e.state[slot], 1);
      if (this.absent.size > 0) this.absent.delete(slot);
    }
    if (!this.options.kernelEvents && e.closedBy[slot] === 0) {
      if (s.tcpInfo) this.takeCounters(slot, s.tcpInfo);
      if (state === TIME_WAIT || state === CLOSE) this.close(slot, this.at, CLOSED_BY_CODE.watch, state);
    }
    if (this.sampled.size > 0 && this.sampled.has(key) && s.tcpInfo) this.pushSample(slot, s.tcpInfo.toObject());
    return e.pid[slot] !== 0 || e.ownerTries[slot] >= OWNER_TRIES;
  }

  /**
   * tcp_info of a socket this refresh lists, read by the caller (delta feeding: the view's store keeps
   * no tcp_info, the helper looks the sampled sockets up). False when the recorder does not know the socket.
   */
  sampleInfo(cookie: bigint, info: object): boolean {
    const slot = this.e.slotOf(cookie);
    if (slot < 0 || this.e.present[slot] === 0 || this.stopped) return false;
    this.pushSample(slot, info);
    return true;
  }

  private pushSample(slot: number, info: object): void {
    this.batch.samples.push([this.e.id[slot], this.at, JSON.stringify(info, (_k, v: unknown) => typeof v === 'bigint' ? Number(v) : v)]);
  }

  private open(s: RecordableSocket, openedAt: number, seenFrom: number | null): number {
    const e = this.e;
    const netid = NETIDS.indexOf(s.netid as (typeof NETIDS)[number]);
    const slot = e.add(s.cookie);
    const id = this.nextId++;
    e.id[slot] = id;
    e.state[slot] = s.state;
    e.tick[slot] = this.tickNo;
    e.present[slot] = seenFrom !== null ? 1 : 0;
    e.lastSeenAt[slot] = this.at;
    let owner = s.inode !== 0 ? this.options.owner?.(s.inode) : undefined;
    if (owner && s.state === LISTEN) this.listeners.set(s.localPort, owner);
    if (!owner && seenFrom === null) owner = this.listeners.get(s.localPort);
    if (owner) e.pid[slot] = owner.pid;
    else e.ownerTries[slot] = s.inode !== 0 ? 1 : OWNER_TRIES;
    this.batch.opened.push({
      id, netid: netid < 0 ? 0 : netid, netns: this.options.netns ?? null,
      localAddress: s.localAddress, localPort: s.localPort, peerAddress: s.peerAddress, peerPort: s.peerPort,
      pid: owner?.pid ?? null, command: owner?.name ?? null, state: s.state, openedAt, seenFrom,
    });
    return slot;
  }

  private findOwner(slot: number, s: RecordableSocket, write: boolean): void {
    const e = this.e;
    e.ownerTries[slot]++;
    const owner = this.options.owner?.(s.inode);
    if (!owner) return;
    e.pid[slot] = owner.pid;
    if (s.state === LISTEN) this.listeners.set(s.localPort, owner);
    if (write) this.batch.owners.push([e.id[slot], owner.pid, owner.name]);
  }

  private close(slot: number, at: number, by: number, state: number): void {
    const e = this.e;
    e.closedBy[slot] = by;
    e.closedAt[slot] = at;
    this.batch.closed.push({ id: e.id[slot], at, by, state, bytesSent: known(e.bytesSent[slot]), bytesReceived: known(e.bytesReceived[slot]), retrans: known(e.retrans[slot]) });
  }

  /**
   * The last byte counts and retransmits read of a socket still open (without destroy events, from
   * the last refresh that carried its tcp_info): what its close, seen by a later refresh, records.
   */
  counters(cookie: bigint, bytesSent: number | null, bytesReceived: number | null, retrans: number | null): void {
    if (this.options.kernelEvents) return;
    const e = this.e;
    const slot = e.slotOf(cookie);
    if (slot < 0 || e.closedBy[slot] !== 0) return;
    e.bytesSent[slot] = unknownAsNaN(bytesSent);
    e.bytesReceived[slot] = unknownAsNaN(bytesReceived);
    e.retrans[slot] = unknownAsNaN(retrans);
  }

  /** The recorder has this socket (listed, or reported closed, and not yet forgotten). */
  knows(cookie: bigint): boolean {
    return this.e.slotOf(cookie) >= 0;
  }

  /** A socket the kernel destroyed (its last state and final tcp_info). */
  destroyed(s: RecordableSocket, at = Date.now()): void {
    if (this.stopped) return;
    const e = this.e;
    const key = s.cookie;
    let slot = e.slotOf(key);
    if (slot < 0 && this.closedFirstListed.size > 0) {
      const t = tupleOf(s);
      const was = this.closedFirstListed.get(t);
      if (was !== undefined) {
        this.closedFirstListed.delete(t);
        if (e.live[was] !== 0) { e.link(key, was); slot = was; }
      }
    }
    if (slot < 0) {
      // Opened and closed between two refreshes: it opened after the last one.
      slot = this.open(s, this.lastTickAt ?? at, null);
      e.lastSeenAt[slot] = at;
      this.unseenClosed.set(tupleOf(s), slot);
      if (this.options.delta) this.absent.add(slot);
    } else if (e.closedBy[slot] === CLOSED_BY_CODE['kernel-event'] || (e.closedBy[slot] === CLOSED_BY_CODE.watch && at - e.closedAt[slot] > LATE_EVENT_MS)) {
      return;
    }
    if (s.tcpInfo) this.takeCounters(slot, s.tcpInfo);
    if (e.pid[slot] === 0) {
      // Never tied to a process while listed: the listener it was accepted on, if one is known.
      const owner = this.listeners.get(s.localPort);
      if (owner) {
        if (this.options.delta && e.present[slot] !== 0) { this.bump(e.pid[slot] * 16 + e.state[slot], -1); this.bump(owner.pid * 16 + e.state[slot], 1); }
        e.pid[slot] = owner.pid;
        this.batch.owners.push([e.id[slot], owner.pid, owner.name]);
      }
    }
    this.close(slot, at, CLOSED_BY_CODE['kernel-event'], s.state);
  }

  /** Delta feeding: a socket the refresh no longer lists (listed until the previous refresh). */
  gone(cookie: bigint): void {
    const e = this.e;
    const slot = e.slotOf(cookie);
    if (slot < 0 || e.present[slot] === 0) return;
    e.present[slot] = 0;
    this.bump(e.pid[slot] * 16 + e.state[slot], -1);
    e.lastSeenAt[slot] = this.lastTickAt ?? this.at;
    this.batch.gone.push([e.id[slot], e.lastSeenAt[slot]]);
    if (e.closedBy[slot] === 0) this.close(slot, this.at, CLOSED_BY_CODE.watch, e.state[slot]);
    if (!this.options.kernelEvents) e.delete(slot);
    else this.absent.add(slot);
  }

  /** Delta feeding: how many sockets the refresh listed (see() was called only for the changed ones). */
  listedCount(n: number): void {
    this.listed = n;
  }

  /** A full pass: sockets this refresh did not list are gone; the counts of those it listed. */
  private countAll(tick: number, at: number): Map<number, number> {
    const e = this.e;
    const counts = new Map<number, number>();
    // Delta feeding does not move lastSeenAt for sockets that did not change: last seen at the last refresh.
    const pausedAt = this.options.delta === true && this.completeTick ? this.lastTickAt : null;
    for (let slot = 0, end = e.end; slot < end; slot++) {
      if (e.live[slot] === 0) continue;
      if (e.tick[slot] === tick) {
        const k = e.pid[slot] * 16 + e.state[slot];
        counts.set(k, (counts.get(k) ?? 0) + 1);
        continue;
      }
      if (e.present[slot] !== 0) {
        e.present[slot] = 0;
        if (pausedAt !== null) e.lastSeenAt[slot] = Math.max(e.lastSeenAt[slot], pausedAt);
        this.batch.gone.push([e.id[slot], e.lastSeenAt[slot]]);
        if (e.closedBy[slot] === 0) this.close(slot, at, CLOSED_BY_CODE.watch, e.state[slot]);
        // With destroy events, kept a while: the event of a close the dump saw first may follow.
        if (!this.options.kernelEvents) e.delete(slot);
      } else if (at - e.lastSeenAt[slot] > FORGET_UNSEEN_MS) {
        e.delete(slot);
      }
    }
    if (this.options.delta) {
      // After a complete refresh the kept counts and the absent set start again from this pass.
      this.liveCounts.clear();
      for (const [k, n] of counts) this.liveCounts.set(k, n);
      this.absent.clear();
      for (let slot = 0, end = e.end; slot < end; slot++) if (e.live[slot] !== 0 && e.present[slot] === 0) this.absent.add(slot);
    }
    return counts;
  }

  /** Ends the refresh: sockets it did not list are gone; counts; hands the batch to the writer. */
  endTick(): void {
    const e = this.e;
    const tick = this.tickNo;
    const at = this.at;
    const full = tick % HistoryWriter.FULL_COUNTS_EVERY === 1;
    const delta = this.options.delta === true && !this.completeTick;
    let counts: Map<number, number>;
    if (delta) {
      counts = this.liveCounts;
      for (const slot of this.absent) {
        if (e.live[slot] === 0 || e.present[slot] !== 0) this.absent.delete(slot);
        else if (at - e.lastSeenAt[slot] > FORGET_UNSEEN_MS) { e.delete(slot); this.absent.delete(slot); }
      }
    } else {
      counts = this.countAll(tick, at);
    }
    if (this.unseenClosed.size > 0) {
      for (const [t, slot] of this.unseenClosed) if (e.live[slot] === 0 || e.present[slot] !== 0 || at - e.lastSeenAt[slot] > FORGET_UNSEEN_MS) this.unseenClosed.delete(t);
    }
    if (this.closedFirstListed.size > 0) {
      for (const [t, slot] of this.closedFirstListed) if (e.live[slot] === 0 || e.closedBy[slot] !== 0 || at - e.lastSeenAt[slot] > FORGET_UNSEEN_MS) this.closedFirstListed.delete(t);
    }
    // Nothing holds a deleted slot's number past here.
    e.reuseFreed();
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
