// The process map kept up to date between watch ticks instead of rebuilt (process-map.ts reads every
// descriptor of every process: about a second of CPU at 100,000 sockets). Per process it keeps the
// start time (/proc/PID/stat field 22, so a reused pid is a new process), the descriptor count
// (st_size of /proc/PID/fd on Linux >= 6.2, else the directory's length; the directory's mtime is
// fixed at lookup on procfs and says nothing) and fd -> socket inode. A tick re-reads only new
// processes and those whose count changed, and only their new descriptor numbers.
// A descriptor closed and reused under the same number with the count unchanged is invisible to
// that; a socket the dump shows but the map does not know is searched for by re-reading whole
// processes in turn, on a CPU budget, until it is found or every process was re-read once.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import type { ProcessRef } from '../protocol/socket-record';
import { InodeTable } from './inode-table';
import { byPidThenFd, isPid, socketInodeOf, type ProcessMap } from './process-map';

interface PidState {
  /** /proc/PID/stat field 22 (start time in clock ticks since boot), as text. */
  start: string;
  name: string;
  /** Parent pid (stat field 4), read with the start time at every sync (process trees for free). */
  ppid: number;
  /** Descriptor count when last read; -1: not readable. */
  count: number;
  /** fd -> socket inode, or 0 for a descriptor that is not a socket. */
  fds: Map<number, number>;
}

export interface LiveProcessMapOptions {
  procRoot?: string;
  /** Milliseconds, monotonic. */
  clock?: () => number;
  /** Share of wall time the search for unknown inodes may use (default 0.03 = 3% of a core). */
  searchShare?: number;
  /** Most search time saved up while idle, ms (default 200). */
  maxCreditMs?: number;
  /** How long an inode no process holds is remembered after it was last asked for, ms. */
  ownerlessTtlMs?: number;
}

/** Work counters (for tests and the benchmark): what the map read, not how long it took. */
export interface LiveProcessMapStats {
  /** readlink calls on descriptors. */
  linksRead: number;
  /** Processes whose descriptors were listed. */
  pidsListed: number;
  /** Whole-process re-reads done while searching for unknown inodes. */
  searched: number;
}

/** Processes with at most this many descriptors are re-read whole when their count changes. */
const WHOLE_BELOW = 64;
/** At most this many processes are searched first; one drops out after this many empty searches. */
const HOT_MAX = 16;
const HOT_MISSES = 4;

export class LiveProcessMap {
  private readonly procRoot: string;
  private readonly clock: () => number;
  private readonly searchShare: number;
  private readonly maxCreditMs: number;
  private readonly ownerlessTtlMs: number;
  private readonly pids = new Map<number, PidState>();
  private readonly byInode = new Map<number, ProcessRef[]>();
  /** Inode -> a serial number of its current list (a new one whenever the list changes). */
  private readonly serials = new InodeTable(4096);
  /** Inode -> the one pid holding it, or -1 when several processes do (see pidOf). */
  private readonly holder = new InodeTable(4096);
  /** Counts list changes: the serial of an inode's current list, and the map's generation. */
  private serial = 0;
  private unreadable = 0;
  /** Whether st_size of a /proc/PID/fd directory is its descriptor count (decided on first use). */
  private sizeIsCount: boolean | undefined;
  /** Inodes being searched for -> the search round they were first asked for in. */
  private readonly pending = new Map<number, number>();
  /** Inodes a whole round did not find -> when last asked for. */
  private readonly ownerless = new Map<number, number>();
  private round = 0;
  /** Processes recently found holding searched-for inodes -> searches since they last did. */
  private readonly hot = new Map<number, number>();
  private prunedAt = 0;
  private order: number[] = [];
  private cursor = 0;
  private credit: number;
  private creditAt: number;
  readonly stats: LiveProcessMapStats = { linksRead: 0, pidsListed: 0, searched: 0 };

  constructor(options: LiveProcessMapOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.clock = options.clock ?? (() => performance.now());
    this.searchShare = options.searchShare ?? 0.03;
    this.maxCreditMs = options.maxCreditMs ?? 200;
    this.ownerlessTtlMs = options.ownerlessTtlMs ?? 60_000;
    this.credit = this.maxCreditMs / 4;
    this.creditAt = this.clock();
  }

  /** The current map (its lists are replaced, never changed in place, so records may keep them). */
  get map(): ProcessMap {
    return { byInode: this.byInode, unreadable: this.unreadable };
  }

  /** pid -> ppid of every process as of the last update() or full(). */
  parents(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [pid, st] of this.pids) out.set(pid, st.ppid);
    return out;
  }

  /** Whether the last sync saw the process (and could read its stat). */
  has(pid: number): boolean {
    return this.pids.has(pid);
  }

  /**
   * A number for the inode's current list of processes, new whenever that list changes (so it
   * stands for the list's content between two looks); 0 when no known process holds the inode.
   * Cheaper than byInode.get for a lookup per socket per tick.
   */
  serialOf(inode: number): number {
    if (inode > 0xffffffff) return this.byInode.has(inode) ? -1 : 0;
    return this.serials.get(inode);
  }

  /**
   * The one process holding the inode: its pid, -1 when several do (read byInode then), 0 when
   * none known. A typed lookup: a view groups every socket by it at every refresh, and a Map's
   * lookup of the list (several cache misses) cost most of that pass at 100,000 sockets.
   */
  pidOf(inode: number): number {
    if (inode > 0xffffffff) return this.byInode.has(inode) ? -1 : 0;
    return this.holder.get(inode);
  }

  /** A number that changes whenever any inode's list of processes changes (a view keeps its tally while it holds). */
  get generation(): number {
    return this.serial;
  }

  /** The name (comm) of a process the last sync saw. */
  nameOf(pid: number): string | undefined {
    return this.pids.get(pid)?.name;
  }

  private setList(inode: number, list: ProcessRef[] | undefined): void {
    if (this.serial >= 0x7fffffff) this.serial = 0;
    this.serial++;
    if (list === undefined) {
      this.byInode.delete(inode);
      if (inode <= 0xffffffff) { this.serials.delete(inode); this.holder.delete(inode); }
      return;
    }
    this.byInode.set(inode, list);
    if (inode <= 0xffffffff) {
      this.serials.set(inode, this.serial);
      let one = list[0].pid;
      for (let i = 1; i < list.length; i++) if (list[i].pid !== one) { one = -1; break; }
      this.holder.set(inode, one);
    }
  }

  /**
   * Takes a map read in one pass (a ProcessMapJob, on a worker thread at the helper's start) as
   * the first state of an empty map: every process it listed, with the descriptor count it listed
   * and its sockets, so the next update() re-reads only what changed since. Descriptors that are
   * not sockets are not named by that read; a process whose count changes later has them read
   * once. Without counts (a plain readProcessMap) the count is left at 0: the next update() lists
   * those processes and reads only the numbers the seed lacks. A pid reused between that read and
   * now is taken for its predecessor until its count changes; the sockets it names are closed
   * then, and no dump shows them.
   */
  seed(map: ProcessMap): void {
    if (this.pids.size !== 0) return;
    const state = (pid: number): PidState | undefined => {
      let st = this.pids.get(pid);
      if (st) return st;
      const stat = this.readStat(pid);
      if (!stat) return undefined;
      st = { start: stat.start, name: stat.name, ppid: stat.ppid, count: map.listed?.get(pid) ?? 0, fds: new Map() };
      this.pids.set(pid, st);
      return st;
    };
    if (map.listed) for (const pid of map.listed.keys()) state(pid);
    for (const [inode, refs] of map.byInode) {
      const kept: ProcessRef[] = [];
      for (const ref of refs) {
        const st = state(ref.pid);
        if (!st) continue;
        st.fds.set(ref.fd, inode);
        kept.push(ref.name === st.name ? ref : { ...ref, name: st.name });
      }
      if (!kept.length) continue;
      // The seed's own list when every holder is kept as it is, else an exact-size copy: a list built
      // by push() keeps room for 16 more (~140 bytes), 14 MB at 100,000 sockets held for nothing.
      const unchanged = kept.length === refs.length && kept.every((r, i) => r === refs[i]);
      this.setList(inode, unchanged ? refs : kept.slice());
    }
    this.unreadable = map.unreadable;
  }

  /** Re-reads every descriptor of every process (what procmap.readProcessMap does). */
  full(): ProcessMap {
    return this.sync(true);
  }

  /** New and exited processes, reused pids, and processes whose descriptor count changed. */
  update(): ProcessMap {
    return this.sync(false);
  }

  /**
   * Socket inodes a dump returned that the map does not know: re-reads whole processes in turn
   * while the CPU budget lasts (or all of them with `exhaustive`). An inode no process held
   * during one whole round is remembered as ownerless and not searched for again while asked for.
   * Returns how many of `inodes` the map knows afterwards.
   */
  resolve(inodes: Iterable<number>, exhaustive = false): number {
    const now = this.clock();
    let asked = 0;
    let known = 0;
    for (const inode of inodes) {
      if (inode === 0) continue;
      asked++;
      if (this.byInode.has(inode)) { known++; continue; }
      if (this.ownerless.has(inode)) { this.ownerless.set(inode, now); continue; }
      if (!this.pending.has(inode)) this.pending.set(inode, this.round);
    }
    if (now - this.prunedAt > this.ownerlessTtlMs / 4) {
      this.prunedAt = now;
      for (const [inode, at] of this.ownerless) if (now - at > this.ownerlessTtlMs) this.ownerless.delete(inode);
    }
    if (asked === 0 || this.pending.size === 0) return known;
    this.search(exhaustive);
    let after = 0;
    for (const inode of inodes) if (inode !== 0 && this.byInode.has(inode)) after++;
    return after;
  }

  private search(exhaustive: boolean): void {
    const t0 = this.clock();
    this.credit = Math.min(this.maxCreditMs, this.credit + (t0 - this.creditAt) * this.searchShare);
    this.creditAt = t0;
    let started = t0;
    const roundsAtStart = this.round;
    // First the processes where earlier searches found sockets (a process that keeps closing and
    // opening sockets under the same numbers is found again within one tick, not one round).
    for (const [pid, misses] of this.hot) {
      if (this.pending.size === 0 || (!exhaustive && this.credit <= 0)) break;
      const st = this.pids.get(pid);
      if (!st || st.count < 0) { this.hot.delete(pid); continue; }
      const before = this.pending.size;
      this.stats.searched++;
      this.scan(pid, st, true);
      if (this.pending.size < before) this.hot.set(pid, 0);
      else if (misses + 1 >= HOT_MISSES) this.hot.delete(pid);
      else this.hot.set(pid, misses + 1);
      const t = this.clock();
      if (!exhaustive) this.credit -= t - started;
      started = t;
    }
    while (this.pending.size > 0 && (exhaustive ? this.round <= roundsAtStart + 1 : this.credit > 0)) {
      if (this.cursor >= this.order.length) {
        // A round ends: what it did not find (asked for before it began) has no readable owner.
        const now = this.clock();
        for (const [inode, since] of this.pending) {
          if (since < this.round) { this.pending.delete(inode); this.ownerless.set(inode, now); }
        }
        this.round++;
        this.order = [...this.pids.keys()];
        this.cursor = 0;
        if (this.order.length === 0 || this.pending.size === 0) break;
      }
      const pid = this.order[this.cursor++];
      const st = this.pids.get(pid);
      if (!st || st.count < 0) continue;
      this.stats.searched++;
      this.scan(pid, st, true); // link() takes what it finds off `pending`
      const t = this.clock();
      if (!exhaustive) this.credit -= t - started;
      started = t;
    }
    if (exhaustive) this.creditAt = this.clock();
  }

  private sync(everything: boolean): ProcessMap {
    let names: string[];
    try {
      names = readdirSync(this.procRoot);
    } catch {
      names = [];
    }
    const alive = new Set<number>();
    let unreadable = 0;
    for (const entry of names) {
      if (!isPid(entry)) continue;
      const pid = Number(entry);
      const stat = this.readStat(pid);
      if (!stat) continue; // exited meanwhile
      alive.add(pid);
      let st = this.pids.get(pid);
      if (st) st.ppid = stat.ppid;
      if (st && st.start !== stat.start) {
        // The pid was reused: a different process.
        this.drop(pid, st);
        st = undefined;
      }
      if (!st) {
        st = { start: stat.start, name: stat.name, ppid: stat.ppid, count: -2, fds: new Map() };
        this.pids.set(pid, st);
      } else if (st.name !== stat.name) {
        st.name = stat.name;
        this.rename(pid, st);
      }
      const count = everything ? -3 : this.fdCount(pid);
      if (count === st.count && count >= 0) continue;
      if (!this.scan(pid, st, everything || st.count < 0)) unreadable++;
    }
    for (const [pid, st] of this.pids) if (!alive.has(pid)) { this.drop(pid, st); this.pids.delete(pid); }
    this.unreadable = unreadable;
    return this.map;
  }

  /** Start time and name from /proc/PID/stat, or undefined if the process is gone. */
  private readStat(pid: number): { start: string; name: string; ppid: number } | undefined {
    let text: string;
    try {
      text = readFileSync(`${this.procRoot}/${pid}/stat`, 'latin1');
    } catch {
      return undefined;
    }
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    if (open < 0 || close < open) return undefined;
    // Fields after the name start at field 3; the start time is field 22.
    const rest = text.slice(close + 2).split(' ', 20);
    const raw = text.slice(open + 1, close);
    return { start: rest[19] ?? '', name: Buffer.from(raw, 'latin1').toString('utf8'), ppid: Number(rest[1]) };
  }

  /**
   * The descriptor count: st_size of the fd directory where that is the count (procfs on Linux
   * >= 6.2, checked once on this process's own directory), else the listing's length; -1 when
   * not readable.
   */
  private fdCount(pid: number): number {
    const dir = `${this.procRoot}/${pid}/fd`;
    try {
      if (this.sizeIsCount === undefined) this.sizeIsCount = this.sizeCounts();
      if (this.sizeIsCount) return statSync(dir).size;
      return readdirSync(dir).length;
    } catch {
      return -1;
    }
  }

  private sizeCounts(): boolean {
    try {
      const own = `${this.procRoot}/self/fd`;
      const size = statSync(own).size;
      // The listing holds one descriptor of its own while it reads.
      const listed = readdirSync(own).length;
      return size > 0 && (size === listed || size === listed - 1);
    } catch {
      return false;
    }
  }

  /**
   * Lists the process's descriptors and reads the links of new numbers (all of them when `whole`);
   * false when the directory is not readable.
   */
  private scan(pid: number, st: PidState, whole: boolean): boolean {
    const dir = `${this.procRoot}/${pid}/fd`;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch (e) {
      const gone = (e as NodeJS.ErrnoException).code === 'ENOENT';
      if (!gone) { this.drop(pid, st); st.count = -1; }
      return gone;
    }
    this.stats.pidsListed++;
    // A small process is read whole (a closed and reused number is then seen at once); a large
    // one only for its new numbers.
    const wholeNow = whole || entries.length <= WHOLE_BELOW;
    const next = new Map<number, number>();
    const added: ProcessRef[] = [];
    const addedInodes: number[] = [];
    for (const e of entries) {
      const fd = Number(e);
      const old = st.fds.get(fd);
      if (old !== undefined && !wholeNow) { next.set(fd, old); continue; }
      let target: string;
      try {
        target = readlinkSync(`${dir}/${e}`);
      } catch {
        continue; // closed meanwhile
      }
      this.stats.linksRead++;
      const inode = socketInodeOf(target);
      next.set(fd, inode);
      if (inode !== 0 && old !== inode) { added.push({ pid, name: st.name, fd }); addedInodes.push(inode); }
    }
    // Descriptors gone or now pointing elsewhere.
    for (const [fd, inode] of st.fds) if (inode !== 0 && next.get(fd) !== inode) this.unlink(inode, pid, fd);
    for (let i = 0; i < added.length; i++) this.link(addedInodes[i], added[i]);
    st.fds = next;
    // The count as it was listed (the listing itself does not hold a descriptor of the process).
    st.count = entries.length;
    return true;
  }

  private link(inode: number, ref: ProcessRef): void {
    if (this.pending.size && this.pending.delete(inode) && !this.hot.has(ref.pid) && this.hot.size < HOT_MAX) this.hot.set(ref.pid, 0);
    const list = this.byInode.get(inode);
    if (!list) { this.setList(inode, [ref]); return; }
    const copy = [...list, ref];
    copy.sort(byPidThenFd);
    this.setList(inode, copy);
  }

  private unlink(inode: number, pid: number, fd: number): void {
    const list = this.byInode.get(inode);
    if (!list) return;
    const rest = list.filter((r) => r.pid !== pid || r.fd !== fd);
    if (rest.length === 0) this.setList(inode, undefined);
    else if (rest.length !== list.length) this.setList(inode, rest);
  }

  private drop(pid: number, st: PidState): void {
    for (const [fd, inode] of st.fds) if (inode !== 0) this.unlink(inode, pid, fd);
    st.fds = new Map();
  }

  private rename(pid: number, st: PidState): void {
    for (const [fd, inode] of st.fds) {
      if (inode === 0) continue;
      const list = this.byInode.get(inode);
      if (list) this.setList(inode, list.map((r) => (r.pid === pid && r.fd === fd ? { pid, name: st.name, fd } : r)));
    }
  }
}
