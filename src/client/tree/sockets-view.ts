// The Sockets view controller: owns the model, the helper's view of the sockets, the filter,
// grouping, sort and namespace choice, and which groups are expanded (the pages the helper sends),
// and keeps the tree, the view description, progress, context keys and status bar in step.
import { setContext } from '../commands/context-keys';
import { VIEW_IDS } from '../commands/command-table';
import * as vscode from 'vscode';
import type { Capabilities, NamespaceInfo, NetnsRef } from '../../protocol/helper-protocol';
import { NETIDS, STATE_NAMES, type Netid, type SocketRecord, type StateName } from '../../protocol/socket-record';
import type { PinnedGroup, ViewChangedNotification, ViewPageRequest, ViewQuery, ViewSort } from '../../protocol/view-protocol';
import { FLAT_GROUP, GROUP_BYS, SocketTreeModel, type GroupBy, type GroupInfo, type ModelChange } from './model';
import { kindOf, parseKinds } from './model-kinds';
import { checkFilter, toSocketQuery } from './model-query';
import { PAGE_SIZE, SocketTreeProvider, type PinnedExtra, type SocketNode } from './socket-tree-provider';
import type { Disposable, SocketSource, ViewHandle } from './socket-source';
import { formatStateCounts } from './model-format';

export const VIEW_ID = VIEW_IDS.sockets;

/**
 * What the view has counted. `closed`: the view is not open, so nothing is being counted (the counts are
 * the last it had, if any); `loading`: it is open and the first counts of its query have not arrived yet.
 */
export interface ViewCounts {
  byState: Array<[StateName, number]>;
  visible: number;
  phase: 'closed' | 'loading' | 'live';
}

export interface ViewListener {
  onCounts?(counts: ViewCounts): void;
  onCapabilities?(caps: Capabilities | undefined): void;
}

interface Expanded { limit: number; filter?: string }

/** Whether a page the helper sent is the one (or more than the one) an expand waits for. */
function waitsFor(w: { group: string; limit: number }, page: { group: string; limit: number }): boolean {
  return w.group === page.group && w.limit <= page.limit;
}

export class SocketsView implements vscode.Disposable {
  readonly model: SocketTreeModel;
  readonly provider: SocketTreeProvider;
  readonly view: vscode.TreeView<SocketNode>;
  private filterText = '';
  private exposedOnly = false;
  private pid: number | undefined;
  private pidLabel = '';
  /** A finding's sockets (see showOnlySockets), and what to call them. */
  private cookies: ReadonlySet<string> | undefined;
  private cookiesLabel = '';
  private sortKey: ViewSort = 'address';
  private pinnedGroups: PinnedGroup[] = [];
  private showUnix = false;
  private namespace: NamespaceInfo | undefined;
  private handle: ViewHandle | undefined;
  private destroyed: Disposable | undefined;
  /** Expanded groups and their page size / filter: what the helper sends rows for. */
  private readonly expanded = new Map<string, Expanded>();
  /** Resolved by the next reset notification (the first result of a new query). */
  private resetWaiters: Array<() => void> = [];
  private pageWaiters: Array<{ group: string; limit: number; resolve: () => void }> = [];
  /** A new query was sent: notifications before its reset are about the old one and are dropped. */
  private awaitingReset = false;
  /** Ends the view's progress indicator. */
  private endProgress: (() => void) | undefined;
  private caps: Capabilities | undefined;
  private lastError: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly listeners: ViewListener[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires after each applied notification (tests and charts wait on it). */
  readonly onDidUpdate = this.changeEmitter.event;
  private readonly liveViewEmitter = new vscode.EventEmitter<string | undefined>();
  /** The helper view of the live sockets opened (its id) or closed (undefined): the recorder follows it. */
  readonly onDidChangeLiveView = this.liveViewEmitter.event;

  /** Where the view's sockets come from: the live source, or a recorded moment's (showHistory). */
  private source: SocketSource;
  private historyLabel: string | undefined;

  constructor(private readonly live: SocketSource, private readonly output: vscode.LogOutputChannel | vscode.OutputChannel) {
    this.source = live;
    this.model = new SocketTreeModel(this.configuredGroupBy());
    this.provider = new SocketTreeProvider(this.model, {
      expand: (group, limit) => this.expand(group, limit),
      groupFilter: (group) => this.expanded.get(group)?.filter,
      privileged: () => this.caps?.root ?? false,
    }, (s) => this.source.lookup(s, this.netns), async (pid) => {
      // Only live groups: a recorded moment's pid may be another process by now.
      if (this.source !== this.live || !this.live.processes) return undefined;
      return (await this.live.processes({ pids: [pid] })).processes.find((p) => p.pid === pid);
    });
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true, canSelectMany: true });
    this.disposables.push(
      this.provider, this.view, this.changeEmitter, this.liveViewEmitter,
      this.view.onDidChangeVisibility((e) => (e.visible ? this.start() : this.stop())),
      this.view.onDidCollapseElement((e) => { if (e.element.kind === 'group') this.collapse(e.element.key); }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sockscope.groupBy') && this.configuredGroupBy() !== this.model.grouping) void this.regroup(this.configuredGroupBy());
        if (e.affectsConfiguration('sockscope.families') || e.affectsConfiguration('sockscope.states')) void this.restartAndReset();
        if (e.affectsConfiguration('sockscope.refreshInterval') && this.handle) void this.handle.update({ intervalMs: this.intervalMs() }).catch(() => undefined);
      }),
    );
    const capsChanged = this.source.onCapabilities?.((c) => this.setCaps(c));
    if (capsChanged) this.disposables.push(capsChanged);
    this.updateContext();
    this.updateDescription();
    if (this.view.visible) this.start();
  }

  addListener(l: ViewListener): void {
    this.listeners.push(l);
    l.onCounts?.(this.viewCounts());
    l.onCapabilities?.(this.caps);
  }

  dispose(): void {
    this.stop();
    for (const d of this.disposables) d.dispose();
  }

  /**
   * Shows the sockets of a recorded moment through `source` (history/moment-source.ts), marked
   * `History · label` and read only, or the live sockets again (`undefined`). Grouping, paging,
   * group filters and the view's filter work the same on both.
   */
  async showHistory(source: SocketSource | undefined, label?: string): Promise<void> {
    this.stop();
    this.source = source ?? this.live;
    this.historyLabel = source ? label ?? 'recorded moment' : undefined;
    setContext('historyMode', source !== undefined);
    this.updateDescription();
    await this.restartAndReset();
  }

  /** The helper's id of the live view while it is open (not while history is shown). */
  get liveViewId(): string | undefined { return this.source === this.live ? this.handle?.id : undefined; }

  /** The moment shown (its label), or undefined when live. */
  get history(): string | undefined { return this.historyLabel; }

  get filter(): string { return this.filterText; }
  get sort(): ViewSort { return this.sortKey; }
  get netns(): NetnsRef | undefined { return this.namespace && !this.namespace.current ? this.namespace.ref : undefined; }
  get namespaceName(): string | undefined { return this.namespace && !this.namespace.current ? this.namespace.name : undefined; }
  get capabilities(): Capabilities | undefined { return this.caps; }

  /** Sets the ss filter of the view ('' clears it). Throws on text that does not parse. */
  async applyFilter(text: string): Promise<void> {
    const check = checkFilter(text);
    if (!check.ok) throw new Error(`Invalid filter, ${check.message}`);
    this.filterText = text.trim();
    this.pid = undefined;
    this.exposedOnly = false;
    await this.restartAndReset();
  }

  /**
   * Applies a filter and resolves once the helper's first result for it has arrived, with the number
   * of sockets the view then shows and the time from the request to the result.
   */
  async runFilter(text: string, timeoutMs = 30_000): Promise<{ count: number; elapsedMs: number }> {
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const result = new Promise<void>((resolve, reject) => {
      this.resetWaiters.push(resolve);
      timer = setTimeout(() => reject(new Error(`no result from the socket helper within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      await this.applyFilter(text);
      await result;
    } finally {
      clearTimeout(timer);
    }
    return { count: this.model.visibleCount, elapsedMs: Date.now() - started };
  }

  setExposedOnly(on: boolean): Promise<void> {
    this.exposedOnly = on;
    return this.restartAndReset();
  }
  get exposedListenersOnly(): boolean { return this.exposedOnly; }

  showOnlyProcess(pid: number | undefined, label = ''): Promise<void> {
    this.pid = pid;
    this.pidLabel = label;
    return this.restartAndReset();
  }

  /** Shows only these sockets (a finding's evidence), on top of the other filters; undefined shows all again. */
  showOnlySockets(cookies: readonly string[] | undefined, label = ''): Promise<void> {
    this.cookies = cookies ? new Set(cookies) : undefined;
    this.cookiesLabel = label;
    return this.restartAndReset();
  }
  get socketsShown(): { cookies: string[]; label: string } | undefined {
    return this.cookies ? { cookies: [...this.cookies], label: this.cookiesLabel } : undefined;
  }

  clearFilters(): Promise<void> {
    this.filterText = '';
    this.cookies = undefined;
    this.pid = undefined;
    this.exposedOnly = false;
    return this.restartAndReset();
  }

  /** Resolves once the helper's groups for the new grouping have arrived. */
  async setGroupBy(g: GroupBy): Promise<void> {
    const regrouped = this.model.grouping !== g ? this.regroup(g) : undefined;
    await vscode.workspace.getConfiguration('sockscope').update('groupBy', g, vscode.ConfigurationTarget.Global);
    await regrouped;
    this.updateContext();
  }

  /** Row order within groups (the helper sorts; the measured sorts show rates with each row). */
  setSort(sort: ViewSort): Promise<void> {
    this.sortKey = sort;
    this.updateDescription();
    return this.push({ sort });
  }

  /** Groups of sockets held by given processes, shown first (e.g. a debug session's processes). */
  /** What a pinned group shows beyond its sockets: its pids, a note when empty, a tooltip (src/client/follow). */
  pinnedExtra(key: string): PinnedExtra | undefined {
    return this.provider.pinnedExtras.get(key);
  }

  /** Unix sockets are one click away (the title bar's toggle), hidden by default: inet ones are what a developer looks for first. */
  get unixShown(): boolean { return this.showUnix; }
  setUnixShown(on: boolean): Promise<void> {
    this.showUnix = on;
    setContext('unixShown', on);
    return this.restartAndReset();
  }

  setPinned(pinned: PinnedGroup[], extras?: ReadonlyMap<string, PinnedExtra>): Promise<void> {
    if (extras) {
      this.provider.pinnedExtras.clear();
      for (const [k, v] of extras) this.provider.pinnedExtras.set(k, v);
    }
    const same = JSON.stringify(pinned) === JSON.stringify(this.pinnedGroups);
    this.pinnedGroups = pinned;
    if (same) { this.provider.refreshPinned(); return Promise.resolve(); }
    return this.push({ pinned });
  }

  /** A group's page filter, if it has one. */
  groupFilter(group: string): string | undefined {
    return this.expanded.get(group)?.filter;
  }

  /** Filters one group's rows (ss filter text; '' clears it). Resolves when its page is back. */
  async setGroupFilter(group: string, text: string): Promise<void> {
    const check = checkFilter(text);
    if (!check.ok) throw new Error(`Invalid filter, ${check.message}`);
    const e = this.expanded.get(group) ?? { limit: PAGE_SIZE };
    const filter = text.trim();
    this.expanded.set(group, filter ? { limit: e.limit, filter } : { limit: e.limit });
    this.model.dropPage(group);
    await this.expand(group, e.limit);
    this.provider.refreshGroup(group);
  }

  setNamespace(ns: NamespaceInfo | undefined): Promise<void> {
    this.namespace = ns;
    return this.restartAndReset();
  }

  refresh(): void {
    if (this.handle) void this.handle.update({ refresh: true }).catch((e) => this.onError(e instanceof Error ? e : new Error(String(e))));
    else this.start();
  }

  socketsOf(node: SocketNode | undefined, selection: readonly SocketNode[] | undefined): SocketRecord[] {
    const nodes = selection?.length ? selection : node ? [node] : this.view.selection;
    const out: SocketRecord[] = [];
    for (const n of nodes) {
      const s = this.provider.socketOf(n);
      if (s && !out.includes(s)) out.push(s);
    }
    return out;
  }

  /** Rows of any group read once from the helper (not kept shown; remembered for commands). */
  async rowsOf(group: string, limit: number): Promise<{ items: SocketRecord[]; total: number }> {
    if (!this.handle) return { items: [], total: 0 };
    let r;
    try {
      r = await this.handle.rows({ group, offset: 0, limit: Math.max(1, Math.min(limit, 5000)) });
    } catch {
      // The helper is restarting (or the view is being reopened): nothing to read right now.
      return { items: [], total: 0 };
    }
    const items = r.rows.map((x) => x.record);
    this.model.remember(items);
    return { items, total: r.total };
  }

  /** Makes a group expanded with `limit` rows; resolves when its page has arrived (or after 15 s). */
  private expand(group: string, limit: number): Promise<void> {
    const e = this.expanded.get(group);
    const have = this.model.page(group);
    if (e && e.limit >= limit && have && have.limit >= limit) return Promise.resolve();
    this.expanded.set(group, { ...e, limit: Math.max(limit, e?.limit ?? 0) });
    const arrived = new Promise<void>((resolve) => {
      const w = { group, limit, resolve };
      this.pageWaiters.push(w);
      setTimeout(() => { this.pageWaiters = this.pageWaiters.filter((x) => x !== w); resolve(); }, 15_000);
    });
    void this.push({});
    return arrived;
  }

  private collapse(group: string): void {
    if (this.model.grouping === 'flat' || !this.expanded.delete(group)) return;
    this.model.dropPage(group);
    this.provider.forget(group);
    this.provider.refreshGroup(group);
    void this.push({});
  }

  private pages(): ViewPageRequest[] {
    const out: ViewPageRequest[] = [];
    for (const [group, e] of this.expanded) out.push({ group, offset: 0, limit: e.limit, ...(e.filter ? { filter: e.filter } : {}) });
    return out;
  }

  /** Sends the view's current pages (and `changes`) to the helper. */
  private async push(changes: { sort?: ViewSort; pinned?: PinnedGroup[] }): Promise<void> {
    if (!this.handle) return;
    try {
      await this.handle.update({ ...changes, expanded: this.pages() });
    } catch (e) {
      this.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** The helper's notification for an update is handled before the update's result: awaiting it means the model shows it. */
  private async regroup(g: GroupBy): Promise<void> {
    this.expanded.clear();
    if (g === 'flat') this.expanded.set(FLAT_GROUP, { limit: PAGE_SIZE });
    this.applyChange(this.model.setGrouping(g));
    this.updateContext();
    if (!this.handle) return;
    try {
      await this.handle.update({ groupBy: g, expanded: this.pages() });
    } catch (e) {
      this.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private async restartAndReset(): Promise<void> {
    this.awaitingReset = true;
    this.updateDescription();
    this.updateContext();
    if (!this.handle) { this.applyChange(this.model.startOver()); if (this.view.visible) this.start(); return; }
    // The rows and the count line stay until the new result replaces them, the progress bar saying it
    // is coming: VS Code's tree view holds an update back until 200 ms after the one before it, so
    // clearing them now would hold the result back by that much whenever the helper answers sooner.
    this.beginProgress();
    try {
      await this.handle.update({ query: this.viewQuery(), expanded: this.pages() });
    } catch (e) {
      this.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** The view's query: the filter text, the families/states settings, exposed listeners, one process, the namespace. */
  private viewQuery(): ViewQuery {
    const q: ViewQuery = { ...toSocketQuery(this.filterText) };
    delete (q as { extensions?: unknown }).extensions;
    const cfg = vscode.workspace.getConfiguration('sockscope');
    const kinds = parseKinds(cfg.get('families'));
    if (kinds || !this.showUnix) {
      const base: readonly Netid[] = q.netids?.length ? q.netids : NETIDS;
      q.netids = base.filter((n) => (!kinds || kinds.has(kindOf(n))) && (this.showUnix || kindOf(n) !== 'unix'));
      if (!q.netids.length) q.netids = ['tcp'];
    }
    const statesSetting = cfg.get<unknown>('states');
    const states = Array.isArray(statesSetting) ? statesSetting.filter((s): s is StateName => (STATE_NAMES as readonly string[]).includes(s)) : [];
    if (states.length && !q.states) q.states = states;
    if (this.exposedOnly) q.exposedOnly = true;
    if (this.pid !== undefined) q.pid = this.pid;
    if (this.cookies) q.cookies = [...this.cookies].slice(0, 10_000);
    const ns = this.netns;
    if (ns) q.netns = ns;
    return q;
  }

  private intervalMs(): number {
    const seconds = vscode.workspace.getConfiguration('sockscope').get<number>('refreshInterval', 2);
    return seconds > 0 ? Math.max(100, Math.round(seconds * 1000)) : 3_600_000;
  }

  start(): void {
    if (this.handle) return;
    const query = this.viewQuery();
    const intervalMs = this.intervalMs();
    if (this.model.grouping === 'flat') this.expanded.set(FLAT_GROUP, this.expanded.get(FLAT_GROUP) ?? { limit: PAGE_SIZE });
    this.output.appendLine(`Sockets view: showing ${JSON.stringify(query)} every ${intervalMs} ms`);
    this.awaitingReset = true;
    this.applyChange(this.model.startOver());
    this.beginProgress();
    try {
      this.handle = this.source.openView({
        intervalMs, query, groupBy: this.model.grouping, sort: this.sortKey, expanded: this.pages(),
        ...(this.pinnedGroups.length ? { pinned: this.pinnedGroups } : {}),
      }, (n) => this.onChanged(n), (e) => this.onError(e));
      // Sockets the kernel destroys leave the view at once: the helper refreshes when a shown one goes.
      this.destroyed = this.source.subscribeDestroyed?.(this.netns, (r) => {
        if (this.model.get(r.cookie)) void this.handle?.update({ refresh: true }).catch(() => undefined);
      });
      if (this.liveViewId) this.liveViewEmitter.fire(this.liveViewId);
    } catch (e) {
      this.onError(e instanceof Error ? e : new Error(String(e)));
    }
    this.source.capabilities().then((c) => this.setCaps(c), () => undefined);
  }

  private setCaps(c: Capabilities): void {
    this.caps = c;
    for (const l of this.listeners) l.onCapabilities?.(c);
    this.updateMessage();
  }

  stop(): void {
    const wasLive = this.liveViewId;
    this.handle?.dispose();
    this.handle = undefined;
    if (wasLive) this.liveViewEmitter.fire(undefined);
    this.destroyed?.dispose();
    this.destroyed = undefined;
    this.endProgress?.();
    this.endProgress = undefined;
    this.notifyCounts();
  }

  /** VS Code's progress bar on the view until the first counts of the current query arrive. */
  private beginProgress(): void {
    if (this.endProgress) return;
    const done = new Promise<void>((resolve) => { this.endProgress = resolve; });
    void vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => done);
  }

  private onChanged(n: ViewChangedNotification): void {
    if (n.error === undefined && this.lastError) { this.lastError = undefined; }
    if (n.error !== undefined && n.error !== this.lastError) { this.lastError = n.error; this.output.appendLine(`Sockets view: ${n.error}`); }
    if (n.reset) this.awaitingReset = false;
    else if (this.awaitingReset) return;
    // A page an expand waits for reaches the tree through that expand's getChildren: refreshing its
    // group too would make VS Code ask for the children again before it draws them.
    const awaited = new Map<string, GroupInfo | undefined>();
    for (const p of n.pages) if (this.pageWaiters.some((w) => waitsFor(w, p))) awaited.set(p.group, this.model.group(p.group));
    const change = this.model.apply(n);
    if (awaited.size && !change.structure) {
      change.groups = change.groups.filter((key) => {
        if (!awaited.has(key)) return true;
        const before = awaited.get(key), now = this.model.group(key);
        return before?.count !== now?.count || before?.label !== now?.label;
      });
    }
    this.applyChange(change);
    if (this.model.loaded) { this.endProgress?.(); this.endProgress = undefined; }
    for (const p of n.pages) {
      const ready = this.pageWaiters.filter((w) => waitsFor(w, p));
      this.pageWaiters = this.pageWaiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve();
    }
    if (n.pages.length) this.provider.pruneRows();
    this.changeEmitter.fire();
    if (n.reset) for (const resolve of this.resetWaiters.splice(0)) resolve();
  }

  private onError(e: Error): void {
    this.lastError = e.message;
    this.output.appendLine(`Sockets view: ${e.message}`);
    this.updateMessage();
  }

  private applyChange(change: ModelChange): void {
    this.provider.refresh(change);
    if (change.counts || change.structure) this.notifyCounts();
    this.updateMessage();
  }

  private viewCounts(): ViewCounts {
    const phase = !this.view.visible ? 'closed' : this.model.loaded ? 'live' : 'loading';
    return { byState: this.model.countsByState(), visible: this.model.visibleCount, phase };
  }

  private notifyCounts(): void {
    const counts = this.viewCounts();
    for (const l of this.listeners) l.onCounts?.(counts);
  }

  private configuredGroupBy(): GroupBy {
    const g = vscode.workspace.getConfiguration('sockscope').get<string>('groupBy', 'process');
    return (GROUP_BYS as readonly string[]).includes(g) ? (g as GroupBy) : 'process';
  }

  private updateDescription(): void {
    const parts: string[] = [];
    if (this.historyLabel) parts.push(`History · ${this.historyLabel}`);
    if (this.namespace && !this.namespace.current) parts.push(`netns ${this.namespace.name ?? this.namespace.inode}`);
    if (this.filterText) parts.push(this.filterText);
    if (this.exposedOnly) parts.push('exposed listeners');
    if (this.pid !== undefined) parts.push(this.pidLabel || `pid ${this.pid}`);
    if (this.cookies) parts.push(this.cookiesLabel || `${this.cookies.size} sockets`);
    if (this.sortKey !== 'address') parts.push(`by ${this.sortKey}`);
    this.view.description = parts.join(' · ') || undefined;
  }

  private updateMessage(): void {
    const error = this.lastError ?? this.model.error;
    if (error) { this.setMessage(`Sockscope helper: ${error}`); return; }
    // Until a new query's result replaces them, the last result's counts stay as they were said.
    if (this.awaitingReset && this.model.loaded) return;
    if (this.historyLabel) {
      // The description is hidden when the view fills its container: the message says it is history.
      const n = this.model.visibleCount;
      this.setMessage(`History · ${this.historyLabel} (read only)${this.model.loaded ? `: ${n} socket${n === 1 ? '' : 's'}` : ''}${this.filterText ? ` · filter ${this.filterText}` : ''}`);
      return;
    }
    // Until the first counts arrive the view's progress bar says it is loading.
    if (!this.model.loaded) { this.setMessage(''); return; }
    const active = this.filterActive;
    if (this.model.visibleCount === 0 && !active) { this.setMessage(''); return; }
    const counts = formatStateCounts(this.model.countsByState(), 3);
    const hidden = this.caps && this.caps.invisibleProcesses > 0 ? ` · ${this.caps.invisibleProcesses} processes not visible without root` : '';
    // The description is not shown when the view fills its container alone: repeat the filter here.
    const what = [
      this.filterText, this.exposedOnly ? 'exposed listeners' : '', this.pid !== undefined ? this.pidLabel || `pid ${this.pid}` : '',
      this.cookies ? this.cookiesLabel || `${this.cookies.size} sockets` : '',
    ].filter(Boolean).join(' · ');
    const n = this.model.visibleCount;
    this.setMessage(active ? `Filter ${what}: ${n} socket${n === 1 ? '' : 's'} (${counts})${hidden}` : hidden ? hidden.slice(3) : '');
  }

  /** Sets the count line only when it changes: each set is a tree update, which VS Code spaces 200 ms apart. */
  private setMessage(text: string): void {
    if (this.view.message !== text) this.view.message = text;
  }

  private get filterActive(): boolean {
    return Boolean(this.filterText || this.exposedOnly || this.pid !== undefined || this.cookies);
  }

  private updateContext(): void {
    setContext('groupBy', this.model.grouping);
    setContext('filterActive', this.filterActive);
    setContext('exposedOnly', this.exposedOnly);
  }
}
