// Recording while the Sockets view watches: the view's socket store (view-session.ts) feeds a
// Recorder (src/host/history) with what changed at each refresh, and the kernel's destroy events,
// where this helper may join their groups (root / CAP_NET_ADMIN), feed closes with the final
// tcp_info. The database is written on the writer's own thread (writer-thread.ts), so a refresh
// never waits for the disk.
//
// Cost: no object per socket per refresh. A pass over the store's typed columns compares each slot
// with what was last given to the recorder (its cookie and state, in typed arrays of our own): only
// sockets new, in another state, or gone reach the recorder, through one reused adapter object.
// A new socket whose process is not known yet is given again at its next few refreshes, so a process
// found late is still tied to it.
//
// Files: the client creates the folder and the file (0600, as the user) and asks us to record into
// it; we open only an existing regular file, and as root give the side files SQLite makes (-wal,
// -shm) to the file's owner after each refresh (side-files.ts), so nothing in the user's folder
// is root's. A write that fails (disk full, read-only, damaged file) stops the recording with one
// message; the view goes on.
import { TCP_STATE } from '../fields/socket-states';
import { lstatSync } from 'node:fs';
import { formatAddress, subscribeDestroyEvents, type DestroyGroup, type Socket } from '../netlink';
import type { NetnsRef } from '../protocol/helper-protocol';
import { NETIDS } from '../protocol/socket-record';
import { Recorder, copySocket, type RecordableSocket } from '../host/history/recorder';
import { adoptSideFiles } from '../host/history/side-files';
import { HistoryError } from '../host/history/sqlite';
import { ThreadWriter } from '../host/history/writer-thread';
import type { Retention } from '../host/history/writer';
import { log } from './log';
import { netnsPath } from './netns';
import type { SampleSet } from './history-sampling';
import type { SocketStore, StoreRefresh } from './socket-store';
import type { ProcessLookup } from './view-groups';

/** Refreshes a new socket is given to the recorder again (its process may be found late). */
const OWNER_REFRESHES = 5;
const AF_INET = 2;
/** A refresh that lists a socket in these states has seen it close. */
const { TIME_WAIT, CLOSE } = TCP_STATE;
const AF_INET6 = 10;
/** By the store's netid index: 1 for the kinds recorded (tcp, udp, raw, mptcp). */
const RECORDED = Uint8Array.from(NETIDS, (n) => (n === 'tcp' || n === 'udp' || n === 'raw' || n === 'mptcp' ? 1 : 0));

export interface LiveRecordingOptions {
  path: string;
  retention: Partial<Retention>;
  netns?: NetnsRef;
  /** Inode -> process, as the view's. */
  processes?: () => ProcessLookup | undefined;
  /** Called once when the recording stops by itself (a write failed), with the reason. */
  onFailed: (message: string) => void;
  /** Join the destroy groups (default true); tests and `--no-events` style callers turn it off. */
  kernelEvents?: boolean;
  /** The sockets whose tcp_info is kept at each refresh (charted, followed); looked up after the pass. */
  samples?: SampleSet;
}

/** One reused RecordableSocket reading a store slot. */
class SlotSocket implements RecordableSocket {
  store!: SocketStore;
  slot = 0;
  get cookie(): bigint { return (BigInt(this.store.cookieHi[this.slot]) << 32n) | BigInt(this.store.cookieLo[this.slot]); }
  get netid(): string { return NETIDS[this.store.netid[this.slot]]; }
  get state(): number { return this.store.state[this.slot]; }
  get inode(): number { return this.store.inode[this.slot]; }
  get localAddress(): string | null { return formatAddress(this.store.addr, this.slot * 32, this.store.family[this.slot]); }
  get peerAddress(): string | null { return formatAddress(this.store.addr, this.slot * 32 + 16, this.store.family[this.slot]); }
  get localPort(): number { return this.store.localPort[this.slot]; }
  get peerPort(): number { return this.store.peerPort[this.slot]; }
  readonly tcpInfo = undefined;
}

export class LiveRecording {
  private recorder!: Recorder;
  private writer!: ThreadWriter;
  private events: { close(): void } | undefined;
  private store: SocketStore | undefined;
  /** Per slot, what the recorder was last given: cookie halves, state, refreshes left to re-give. */
  private lo: Uint32Array = new Uint32Array(0);
  private hi: Uint32Array = new Uint32Array(0);
  private state: Uint8Array = new Uint8Array(0);
  private fresh: Uint8Array = new Uint8Array(0);
  private given: Uint8Array = new Uint8Array(0);
  /**
   * Without destroy events: per slot, the socket's last byte counts and retransmits (from the store's
   * tcp_info columns, read at every refresh then), given to the recorder when a refresh sees it close.
   * NaN: not read yet.
   */
  private sent: Float64Array = new Float64Array(0);
  private received: Float64Array = new Float64Array(0);
  private retrans: Float64Array = new Float64Array(0);
  private readonly adapter = new SlotSocket();
  private stopped = false;
  private failed = false;
  /** The recorded view is closed (hidden Sockets view): no refreshes come; see the destroy events above. */
  paused = false;
  /** The next refresh gives the recorder every socket (a new store: what it lacks is gone). */
  private complete = true;
  private unknownInodes: number[] = [];

  private constructor(readonly path: string, private readonly opts: LiveRecordingOptions) {}

  /** Opens the client's file and the writer; rejects with one line saying why it cannot record there. */
  static async start(opts: LiveRecordingOptions): Promise<LiveRecording> {
    let st;
    try { st = lstatSync(opts.path); } catch { throw new HistoryError(`${opts.path}: no such file (the extension creates it before recording)`, 'ENOENT'); }
    if (!st.isFile()) throw new HistoryError(`${opts.path}: not a regular file`);
    // Root could write a file whatever its mode: honour the owner's read-only bit as the owner would meet it.
    if ((st.mode & 0o200) === 0) throw new HistoryError(`${opts.path}: cannot write the recording (read-only file)`, 'EROFS');
    const r = new LiveRecording(opts.path, opts);
    const groups: DestroyGroup[] = ['tcp4', 'tcp6', 'udp4', 'udp6'];
    const pending: RecordableSocket[] = [];
    if (opts.kernelEvents !== false) {
      const path = netnsPath(opts.netns);
      try {
        r.events = subscribeDestroyEvents({ ...(path ? { netnsPath: path } : {}), groups, onError: (e) => { log(`history: destroy events stopped (${e.message})`); r.events = undefined; } }, (s: Socket) => {
          if (!r.recorder) pending.push(copySocket(s));
          // While the view is closed only closes of sockets already recorded are kept: one opened in the
          // gap would be dated from the last refresh before it.
          else if (!r.stopped && (!r.paused || r.recorder.knows(s.cookie))) r.recorder.destroyed(s);
        });
      } catch (e) {
        log(`history: no destroy events (${(e as Error).message}); closes come from refreshes`);
      }
    }
    try {
      r.writer = await ThreadWriter.start(opts.path, { retention: opts.retention, netns: opts.netns ? JSON.stringify(opts.netns) : null }, {
        // A disk slower than the recording drops changes (said in the log); any other write error stops it.
        onError: (m) => { if (/changes dropped/.test(m)) log(`history: ${m}`); else r.fail(m); },
      });
    } catch (e) {
      r.events?.close();
      adoptSideFiles(opts.path);
      throw e instanceof HistoryError ? e : new HistoryError(e instanceof Error ? e.message : String(e));
    }
    adoptSideFiles(opts.path);
    r.recorder = new Recorder(r.writer, {
      delta: true,
      kernelEvents: r.events !== undefined,
      netns: opts.netns ? JSON.stringify(opts.netns) : null,
      owner: (inode) => {
        const p = opts.processes?.()?.byInode.get(inode)?.[0];
        if (!p) r.unknownInodes.push(inode);
        return p ? { pid: p.pid, name: p.name } : undefined;
      },
    });
    for (const s of pending) r.recorder.destroyed(s);
    return r;
  }

  /** Sockets are being recorded with destroy events (closes shorter than a refresh are kept). */
  get kernelEvents(): boolean { return this.events !== undefined; }

  /** The view's store after one of its refreshes (StoreListener). */
  /** Main-thread time spent feeding the recorder, ms (the benchmark reads it). */
  feedMs = 0;

  readonly onRefresh = (store: SocketStore, _info: StoreRefresh): void => {
    if (this.stopped) return;
    const started = performance.now();
    if (store !== this.store) this.switchStore(store);
    const rec = this.recorder;
    const a = this.adapter;
    a.store = store;
    rec.beginTick(Date.now(), this.complete);
    this.complete = false;
    this.ensure(store.end);
    const { lo, hi, state, fresh, given, sent, received, retrans } = this;
    // Without destroy events a close is seen by a refresh: its byte counts are the last ones read.
    const facts = this.kernelEvents ? undefined : store.facts;
    const factsNow = facts !== undefined && store.factsFresh;
    let listed = 0;
    const seen = store.seen, family = store.family, netid = store.netid;
    for (let i = 0; i < store.end; i++) {
      const live = seen[i] !== 0 && (family[i] === AF_INET || family[i] === AF_INET6) && RECORDED[netid[i]] === 1;
      const same = given[i] === 1 && live && lo[i] === store.cookieLo[i] && hi[i] === store.cookieHi[i];
      // The slot's socket left (its slot may hold a new one now).
      if (given[i] === 1 && !same) this.leave(i, facts !== undefined);
      if (!live) continue;
      listed++;
      if (!same) { sent[i] = NaN; received[i] = NaN; retrans[i] = NaN; }
      if (factsNow && facts.info[i] === 1) { sent[i] = facts.bytesSent[i]; received[i] = facts.bytesReceived[i]; retrans[i] = facts.retrans[i]; }
      if (same && state[i] === store.state[i] && fresh[i] === 0) continue;
      if (!same) { lo[i] = store.cookieLo[i]; hi[i] = store.cookieHi[i]; given[i] = 1; fresh[i] = OWNER_REFRESHES; }
      else if (fresh[i] > 0) fresh[i]--;
      state[i] = store.state[i];
      a.slot = i;
      if (facts && (state[i] === TIME_WAIT || state[i] === CLOSE)) this.giveCounters(a.cookie, i);
      // Given again at its next refreshes only while its process is not found yet.
      if (rec.see(a)) fresh[i] = 0;
    }
    for (let i = store.end; i < given.length; i++) if (given[i] === 1) this.leave(i, facts !== undefined);
    const samples = this.opts.samples;
    if (samples !== undefined && !samples.empty) samples.take(store, this.opts.processes?.(), this.opts.netns, rec);
    rec.listedCount(listed);
    rec.endTick();
    if (this.unknownInodes.length) { this.opts.processes?.()?.unknown(this.unknownInodes); this.unknownInodes = []; }
    adoptSideFiles(this.path);
    this.feedMs += performance.now() - started;
  };

  /**
   * A new store (the view was reopened, or its query changed): its first refresh gives the recorder
   * every socket, and the recorder finds those it knows by cookie; the others it had are gone then.
   */
  private switchStore(store: SocketStore): void {
    this.given.fill(0);
    this.complete = true;
    this.store = store;
  }

  private ensure(n: number): void {
    if (this.given.length >= n) return;
    const size = Math.max(n, this.given.length * 2, 1024);
    const g32 = (a: Uint32Array): Uint32Array => { const b = new Uint32Array(size); b.set(a); return b; };
    const g8 = (a: Uint8Array): Uint8Array => { const b = new Uint8Array(size); b.set(a); return b; };
    const g64 = (a: Float64Array): Float64Array => { const b = new Float64Array(size).fill(NaN); b.set(a); return b; };
    this.lo = g32(this.lo); this.hi = g32(this.hi);
    this.state = g8(this.state); this.fresh = g8(this.fresh); this.given = g8(this.given);
    this.sent = g64(this.sent); this.received = g64(this.received); this.retrans = g64(this.retrans);
  }

  /** The socket the recorder was given for `slot` is gone (with its last counters, without destroy events). */
  private leave(slot: number, counters: boolean): void {
    const cookie = (BigInt(this.hi[slot]) << 32n) | BigInt(this.lo[slot]);
    if (counters) this.giveCounters(cookie, slot);
    this.recorder.gone(cookie);
    this.given[slot] = 0;
  }

  /** A socket's last counters, to the recorder, before a refresh records its close. */
  private giveCounters(cookie: bigint, slot: number): void {
    const value = (v: number): number | null => (Number.isNaN(v) ? null : v);
    if (Number.isNaN(this.sent[slot]) && Number.isNaN(this.received[slot])) return;
    this.recorder.counters(cookie, value(this.sent[slot]), value(this.received[slot]), value(this.retrans[slot]));
  }

  private fail(message: string): void {
    if (this.failed || this.stopped) return;
    this.failed = true;
    log(`history: recording stopped: ${message}`);
    this.opts.onFailed(message);
    void this.stop();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.events?.close();
    this.events = undefined;
    try { await this.recorder.stop(); } catch { /* the writer said why */ }
    adoptSideFiles(this.path);
  }
}
