// One open view (view-protocol.ts): its store, refreshed every intervalMs with one kernel dump
// (the query's states and filter go to the kernel as a state mask and bytecode; tcp_info only for
// the measured sorts), and what the client was last sent, so each refresh sends only the groups
// and the rows of expanded pages that changed. Everything runs in one queue: a refresh, an update
// and a rows request never interleave.
import type { HeapSettler } from '../host/heap-settle';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { SocketQuery } from '../protocol/helper-protocol';
import { ErrorCodes } from '../protocol/helper-protocol';
import { HELPER_NOTIFICATIONS } from '../protocol/helper-requests';
import { FLAT_GROUP } from '../protocol/view-protocol';
import type {
  PinnedGroup, ViewChangedNotification, ViewGroupBy, ViewOpenParams, ViewPage, ViewPageRequest, ViewQuery, ViewRow,
  ViewRowsResult, ViewSort, ViewUpdateParams,
} from '../protocol/view-protocol';
import { compileMatcher, hasErrors, parseQuery, SS_ALL } from '../ssq';
import { filterResolver } from './filter-resolver';
import type { Notify } from './rpc-server';
import type { DumpSummary, SocketSource } from './socket-engine';
import type { DiagFacts } from '../findings/index';
import { SocketStore, type StoreListener } from './socket-store';
import { groupPass, type GroupPass, type GroupTally, type ProcessLookup } from './view-groups';
import { ProcessIdentities } from '../host/process-identity';

/** A filter within a group: null when it does not parse (the message in `error`). */
interface PageFilter { test: ((slot: number) => boolean) | null; error?: string }

/** What the client holds of one expanded page, as last sent. */
interface SentPage {
  total: number;
  ids: string[];
  /** id -> signature of the row as sent. */
  rows: Map<string, string>;
  error?: string;
}

interface SortCache { epoch: number; members: number; sorted: number[] }

const MEASURED: ReadonlySet<ViewSort> = new Set(['rate', 'rtt', 'retrans']);

function pageKey(p: ViewPageRequest): string {
  return `${p.group}\u0000${p.filter ?? ''}`;
}

/** How often the findings' tcp_info columns are refreshed (see tcpFactsDue). */
const TCP_FACTS_EVERY_MS = 10_000;
export interface ViewSessionOptions {
  /** The helper runs as root (the unknown group's label). */
  root(): boolean;
  /** No client: the store is refreshed for the helper's own readers (full-views.ts), nothing is sent. */
  headless?: boolean;
  /** Told how many sockets each refresh added and removed (a first dump's garbage is collected after it). */
  settler?: HeapSettler;
}

export class ViewSession {
  private readonly id: string;
  private query: ViewQuery;
  private groupBy: ViewGroupBy;
  private sort: ViewSort;
  private expanded: ViewPageRequest[];
  private pinned: PinnedGroup[];
  private intervalMs: number;
  private store: SocketStore;
  private reset = true;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private queue: Promise<unknown> = Promise.resolve();
  private lastError: string | undefined;
  private sentGroups = '';
  private sentCounts = '';
  private sentPages = new Map<string, SentPage>();
  private sortCache = new Map<string, SortCache>();
  /** Process groups are labelled by what the process is, not by comm (`MainThread` on current Node). */
  private readonly identities = new ProcessIdentities();
  private filters = new Map<string, PageFilter>();
  private last: GroupPass | undefined;
  /** The last refresh's walk over every socket, with what it read (reused while none of it changed). */
  private tally: { tally: GroupTally; inputs: readonly unknown[] } | undefined;
  /** Walks over every socket done by refreshes (tests read it). */
  tallies = 0;
  private readonly refreshListeners = new Set<StoreListener>();
  /** The query changed and no dump of the new one succeeded yet (the store may hold the old one's sockets). */
  private queryChanged = false;
  /** How the last dump went (kinds read from /proc/net, notes), for findings reading the store. */
  private dumpDiag: DiagFacts | undefined;
  /** Listeners that need the findings' tcp_info columns (the dump then carries tcp_info). */
  private tcpFactsWanted = 0;
  /** Readers that want the tcp_info columns at every refresh (a recording without destroy events: its byte counts). */
  private tcpFactsEveryRefresh = 0;
  /** performance.now() of the last dump that carried tcp_info for those columns. */
  private tcpFactsAt = -Infinity;

  constructor(params: ViewOpenParams, private readonly source: SocketSource, private readonly notify: Notify, private readonly opts: ViewSessionOptions) {
    this.id = params.viewId;
    this.query = params.query;
    this.groupBy = params.groupBy;
    this.sort = params.sort ?? 'address';
    this.expanded = params.expanded ?? [];
    this.pinned = params.pinned ?? [];
    this.intervalMs = params.intervalMs;
    this.store = this.newStore();
  }

  /** Refuses a bad filter or namespace now, then refreshes after delayMs (at once) and every intervalMs. */
  start(delayMs = 0): void {
    this.source.check(this.socketQuery());
    this.schedule(delayMs);
  }

  stop(): void {
    if (!this.stopped) this.opts.settler?.note(this.store.size);
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The store, for modules that read the view's sockets (it is replaced when the namespace or the need for tcp_info changes). */
  get sockets(): SocketStore { return this.store; }

  /**
   * Called after every refresh of the view's sockets with the store as it is then (findings, history
   * and charts read the same sockets the view shows). Returns an unsubscribe function.
   */
  onRefresh(listener: StoreListener, options: { tcpFacts?: boolean | 'every-refresh' } = {}): () => void {
    this.refreshListeners.add(listener);
    if (options.tcpFacts) { this.tcpFactsWanted++; this.store.keepTcpFacts(); this.tcpFactsAt = -Infinity; }
    if (options.tcpFacts === 'every-refresh') this.tcpFactsEveryRefresh++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.refreshListeners.delete(listener);
      if (options.tcpFacts) this.tcpFactsWanted--;
      if (options.tcpFacts === 'every-refresh') this.tcpFactsEveryRefresh--;
    };
  }

  /** What the view holds (findings read its store only when that is every tcp and udp socket). */
  get viewQuery(): ViewQuery { return this.query; }

  /** Milliseconds between refreshes. */
  get interval(): number { return this.intervalMs; }

  /** How the last refresh's dump went (undefined before the first). */
  get lastDumpDiag(): DiagFacts | undefined { return this.dumpDiag; }

  /** Applies an update and sends what it changes; resolves with the seq of that notification. */
  update(p: Omit<ViewUpdateParams, 'viewId'>): Promise<number> {
    if (p.query) this.source.check(this.socketQuery(p.query));
    return this.run(async () => {
      let dump = p.refresh === true;
      if (p.query) {
        const sameNetns = JSON.stringify(p.query.netns ?? null) === JSON.stringify(this.query.netns ?? null);
        this.query = p.query;
        dump = true;
        this.reset = true;
        // Another filter or states in the same namespace: the store is kept, so the next dump
        // only updates the slots of the sockets both queries hold and drops the others (no
        // socket is added again, no holder looked up again); what was sent is forgotten.
        if (sameNetns) this.forgetSent(); else this.store = this.newStore();
        this.queryChanged = true;
      }
      if (p.groupBy && p.groupBy !== this.groupBy) { this.groupBy = p.groupBy; this.sentPages.clear(); }
      if (p.sort && p.sort !== this.sort) {
        const wasMeasured = MEASURED.has(this.sort);
        this.sort = p.sort;
        this.sortCache.clear();
        if (MEASURED.has(p.sort) !== wasMeasured) {
          // tcp_info is read only for the measured sorts: a new store, counters from the next refresh.
          this.store = this.newStore();
          dump = true;
        }
      }
      if (p.expanded) this.expanded = p.expanded;
      if (p.pinned) this.pinned = p.pinned;
      if (p.intervalMs) this.intervalMs = p.intervalMs;
      if (dump || this.store.ticks === 0) await this.tick(true);
      else await this.emit();
      return this.seq - 1;
    });
  }

  /** Rows of any group, read once (not kept as shown). */
  rows(page: ViewPageRequest): Promise<ViewRowsResult> {
    return this.run(async () => {
      if (this.store.ticks === 0) await this.tick(true);
      const members = this.membersOf(page.group);
      const f = this.filterOf(page.filter);
      if (f.error) throw new ResponseError(ErrorCodes.BadFilter, f.error);
      const sorted = this.sorted(members, f, undefined);
      const procs = this.processes();
      const ifname = this.source.interfaceNamer?.(this.query.netns);
      const rows = sorted.slice(page.offset, page.offset + page.limit).map((slot) => this.row(slot, procs, ifname));
      return { total: sorted.length, rows };
    });
  }

  private run<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.run(() => this.tick(false)).finally(() => this.schedule(this.intervalMs));
    }, ms);
    // The helper lives as long as its stdin; a view's timer alone keeps no process alive.
    this.timer.unref?.();
  }

  private wantsTcpInfo(): boolean {
    return MEASURED.has(this.sort);
  }

  private newStore(): SocketStore {
    // The store it replaces (every socket of the view) is garbage from now on.
    if (this.store) this.opts.settler?.note(this.store.size);
    this.forgetSent();
    return new SocketStore({ tcpInfo: this.wantsTcpInfo(), tcpFacts: this.tcpFactsWanted > 0 });
  }

  private forgetSent(): void {
    this.sentPages.clear();
    this.sortCache.clear();
    this.last = undefined;
    this.tally = undefined;
  }

  private socketQuery(q: ViewQuery = this.query): SocketQuery {
    const { exposedOnly, pid: _pid, cookies: _cookies, ...rest } = q;
    const query: SocketQuery = { ...rest, extensions: { tcpInfo: this.wantsTcpInfo() || this.tcpFactsDue() } };
    if (exposedOnly) query.states = ['LISTEN', 'UNCONN'];
    return query;
  }

  /**
   * The findings' tcp_info columns are read at most every TCP_FACTS_EVERY_MS: decoding tcp_info for
   * every socket at each refresh costs as much as the rest of the refresh at 100,000 sockets, and the
   * rules that read it (retransmits, window-limited) judge totals that move slowly. A recording
   * without destroy events reads them at every refresh: a close's byte counts are the last ones read.
   */
  private tcpFactsDue(): boolean {
    return this.tcpFactsWanted > 0 && (this.tcpFactsEveryRefresh > 0 || performance.now() - this.tcpFactsAt >= TCP_FACTS_EVERY_MS);
  }

  private processes(): ProcessLookup | undefined {
    return this.source.processMap?.();
  }

  /** One refresh: a dump into the store, then what changed goes out. */
  private async tick(forced: boolean): Promise<void> {
    if (this.stopped) return;
    const dumpSockets = this.source.dumpSockets;
    if (!dumpSockets) throw new ResponseError(ErrorCodes.NotSupported, 'views need the netlink engine');
    try {
      const q = this.socketQuery();
      const withInfo = q.extensions?.tcpInfo === true;
      if (withInfo && this.tcpFactsWanted > 0) this.tcpFactsAt = performance.now();
      // Without tcp_info in this dump the store keeps the columns of the last dump that had it.
      this.store.factsFresh = withInfo;
      let dumped: DumpSummary | undefined;
      const info = this.store.refresh((on) => { dumped = dumpSockets.call(this.source, q, on); });
      this.opts.settler?.note(info.added + info.removed);
      this.dumpDiag = dumped?.diag;
      this.queryChanged = false;
      this.lastError = undefined;
      for (const l of this.refreshListeners) {
        try { l(this.store, info); } catch { /* a listener's failure is its own */ }
      }
    } catch (e) {
      // A failed dump removes nothing: the sockets of the query before are not this one's.
      if (this.queryChanged) this.store.clear();
      const message = e instanceof Error ? e.message : String(e);
      if (this.opts.headless) { this.lastError = message; return; }
      if (message !== this.lastError || forced) {
        this.lastError = message;
        await this.send({ viewId: this.id, seq: this.seq++, reset: this.reset, total: this.store.size, counts: [], pages: [], invisibleProcesses: 0, error: message });
        this.reset = false;
      }
      return;
    }
    await this.emit();
  }

  /** Computes groups and pages from the store and sends what differs from what was sent. */
  private async emit(): Promise<void> {
    if (this.opts.headless) return;
    const procs = this.needsProcesses() ? this.processes() : undefined;
    const want = new Set(this.expanded.map((p) => p.group));
    const o = { groupBy: this.groupBy, query: this.query, pinned: this.pinned, want, processes: procs, root: this.opts.root(), labelOf: (pid: number) => this.identities.get(pid)?.label };
    // The walk depends only on which sockets the store holds, their states and holders, and the view's
    // settings: an idle refresh (nothing came, went or changed state) keeps the last one.
    const inputs = [this.store, this.store.orderEpoch, procs?.generation, this.groupBy, this.query, this.pinned, [...want].join('\u0000')];
    const kept = this.tally && this.tally.inputs.every((x, i) => x === inputs[i]) ? this.tally.tally : undefined;
    const pass = groupPass(this.store, o, kept);
    if (!kept) { this.tally = { tally: pass.tally, inputs }; this.tallies++; }
    this.last = pass;
    const reset = this.reset;
    const msg: ViewChangedNotification = {
      viewId: this.id, seq: 0, reset, total: pass.total, counts: pass.counts, pages: [], invisibleProcesses: procs?.unreadable ?? 0,
    };
    const groupsText = JSON.stringify(pass.groups);
    if (reset || groupsText !== this.sentGroups) { msg.groups = pass.groups; this.sentGroups = groupsText; }
    const countsText = JSON.stringify(pass.counts) + pass.total;
    const countsChanged = countsText !== this.sentCounts;
    this.sentCounts = countsText;
    if (reset) this.sentPages.clear();
    const rowProcs = procs ?? this.processes();
    const ifname = this.source.interfaceNamer?.(this.query.netns);
    const keep = new Set<string>();
    for (const req of this.expanded) {
      const key = `${pageKey(req)}\u0000${req.offset}\u0000${req.limit}`;
      keep.add(key);
      const page = this.page(req, key, pass.members.get(req.group) ?? [], rowProcs, ifname);
      if (page) msg.pages.push(page);
    }
    for (const k of this.sentPages.keys()) if (!keep.has(k)) this.sentPages.delete(k);
    if (!reset && !msg.groups && !countsChanged && msg.pages.length === 0) return;
    msg.seq = this.seq++;
    this.reset = false;
    await this.send(msg);
  }

  private needsProcesses(): boolean {
    return this.groupBy === 'process' || this.pinned.length > 0 || this.query.pid !== undefined;
  }

  /** The page as it should be shown, or undefined when the client already has exactly that. */
  private page(req: ViewPageRequest, key: string, members: number[], procs: ProcessLookup | undefined, ifname: ((i: number) => string | undefined) | undefined): ViewPage | undefined {
    const f = this.filterOf(req.filter);
    const base = { group: req.group, offset: req.offset, limit: req.limit, ...(req.filter ? { filter: req.filter } : {}) };
    let sent = this.sentPages.get(key);
    if (f.error) {
      if (sent?.error === f.error) return undefined;
      this.sentPages.set(key, { total: 0, ids: [], rows: new Map(), error: f.error });
      return { ...base, total: 0, ids: [], rows: [], error: f.error };
    }
    const sorted = this.sorted(members, f, pageKey(req));
    const slice = sorted.slice(req.offset, req.offset + req.limit);
    const ids: string[] = [];
    const rows: ViewRow[] = [];
    const signatures = new Map<string, string>();
    for (const slot of slice) {
      const id = this.store.key(slot);
      ids.push(id);
      const sig = this.signature(slot, procs);
      signatures.set(id, sig);
      if (sent?.rows.get(id) !== sig) rows.push(this.row(slot, procs, ifname));
    }
    const sameIds = sent !== undefined && sent.error === undefined && sent.ids.length === ids.length && sent.ids.every((x, i) => x === ids[i]);
    if (sent && sameIds && sent.total === sorted.length && rows.length === 0) return undefined;
    sent = { total: sorted.length, ids, rows: signatures };
    this.sentPages.set(key, sent);
    return { ...base, total: sorted.length, ids, rows };
  }

  private signature(slot: number, procs: ProcessLookup | undefined): string {
    const s = this.store;
    let sig = `${s.version[slot]}|${procs ? procs.serialOf(s.inode[slot]) : ''}`;
    if (s.tcpInfo) {
      const r = s.rates(slot);
      sig += `|${r.sendBps}|${r.recvBps}|${r.retransPerSec}|${r.rttUs}`;
    }
    return sig;
  }

  private row(slot: number, procs: ProcessLookup | undefined, ifname: ((i: number) => string | undefined) | undefined): ViewRow {
    const record = this.store.record(slot, procs?.byInode ?? new Map(), ifname);
    return { id: this.store.key(slot), record, rates: this.store.rates(slot) };
  }

  /** Members of a group (one pass; the groups of the last refresh are kept only for expanded ones). */
  private membersOf(group: string): number[] {
    const cached = this.last?.members.get(group);
    if (cached) return cached;
    const procs = this.needsProcesses() || group.startsWith('p:') || group.startsWith('pin:') ? this.processes() : undefined;
    // `all` reads every socket of the view whatever the grouping.
    const groupBy = group === FLAT_GROUP ? 'flat' : this.groupBy;
    const pass = groupPass(this.store, { groupBy, query: this.query, pinned: this.pinned, want: new Set([group]), processes: procs, root: this.opts.root() });
    return pass.members.get(group) ?? [];
  }

  /** Members after the page filter, in the view's order; address orders are cached while no socket came, went or changed state. */
  private sorted(members: number[], f: PageFilter, cacheKey: string | undefined): number[] {
    const s = this.store;
    const filtered = f.test ? members.filter(f.test) : members;
    if (MEASURED.has(this.sort)) {
      const what = this.sort as 'rate' | 'rtt' | 'retrans';
      const keys = new Float64Array(s.end);
      for (const slot of filtered) keys[slot] = s.measure(slot, what);
      return filtered.slice().sort((a, b) => keys[b] - keys[a] || s.compareAddress(a, b));
    }
    if (cacheKey !== undefined) {
      const c = this.sortCache.get(cacheKey);
      if (c && c.epoch === s.orderEpoch && c.members === filtered.length) return c.sorted;
    }
    const sorted = filtered.slice().sort((a, b) => s.compareAddress(a, b));
    if (cacheKey !== undefined) this.sortCache.set(cacheKey, { epoch: s.orderEpoch, members: filtered.length, sorted });
    return sorted;
  }

  private filterOf(text: string | undefined): PageFilter {
    const t = text?.trim() ?? '';
    if (!t) return { test: null };
    const hit = this.filters.get(t);
    if (hit) return hit;
    const parsed = parseQuery(t, { resolver: filterResolver(this.query.netns === undefined), extensions: true });
    let f: PageFilter;
    if (hasErrors(parsed.diagnostics)) {
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
      f = { test: null, error: `bad filter: ${errors.join('; ')}` };
    } else {
      const states = parsed.stateWords.length || parsed.options.all || parsed.options.listening ? parsed.options.states : SS_ALL;
      const match = compileMatcher(parsed.expr);
      const store = (): SocketStore => this.store;
      f = { test: (slot) => ((states >> store().state[slot]) & 1) === 1 && match(store().ssqSocket(slot)) };
    }
    if (this.filters.size > 64) this.filters.clear();
    this.filters.set(t, f);
    return f;
  }

  private async send(msg: ViewChangedNotification): Promise<void> {
    if (this.stopped) return;
    try {
      await this.notify(HELPER_NOTIFICATIONS.viewChanged, msg);
    } catch {
      // The client is gone: main.ts exits on stdin/stdout close.
    }
  }
}
