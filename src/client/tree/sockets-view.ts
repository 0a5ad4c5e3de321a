// The Sockets view controller: owns the model, the helper watch, the filter, grouping and
// namespace choice, and keeps the tree, the view description, context keys and status bar in step.
import { setContext } from '../commands/context-keys';
import { VIEW_IDS } from '../commands/command-table';
import * as vscode from 'vscode';
import type { Capabilities, NamespaceInfo, NetnsRef, SocketQuery } from '../../protocol/helper-protocol';
import { STATE_NAMES, type SocketRecord, type StateName } from '../../protocol/socket-record';
import { GROUP_BYS, SocketTreeModel, type GroupBy, type LocalFilter, type ModelChange, type PinnedGroup, type ProcessLabel } from './model';
import { parseKinds, SOCKET_KINDS, type SocketKind } from './model-kinds';
import { identityTooltip } from '../follow/identity-text';
import { checkFilter, toSocketQuery } from './model-query';
import { SocketTreeProvider, type SocketNode } from './socket-tree-provider';
import type { Disposable, SocketDelta, SocketSource } from './socket-source';
import { formatStateCounts } from './model-format';
import { recordKey } from '../../protocol/watch-state';

export const VIEW_ID = VIEW_IDS.sockets;

export interface ViewListener {
  onCounts?(counts: Array<[StateName, number]>, visible: number): void;
  onCapabilities?(caps: Capabilities | undefined): void;
}

export class SocketsView implements vscode.Disposable {
  readonly model: SocketTreeModel;
  readonly provider: SocketTreeProvider;
  readonly view: vscode.TreeView<SocketNode>;
  private filterText = '';
  private showUnix = false;
  private labelling = false;
  private exposedOnly = false;
  private pid: number | undefined;
  private pidLabel = '';
  private namespace: NamespaceInfo | undefined;
  private watch: Disposable | undefined;
  private destroyed: Disposable | undefined;
  /** Resolved by the next complete snapshot from the helper (see runFilter). */
  private snapshotWaiters: Array<() => void> = [];
  private caps: Capabilities | undefined;
  private lastError: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly listeners: ViewListener[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires after each applied delta (tests and charts wait on it). */
  readonly onDidUpdate = this.changeEmitter.event;

  constructor(private readonly source: SocketSource, private readonly output: vscode.LogOutputChannel | vscode.OutputChannel) {
    this.model = new SocketTreeModel(this.configuredGroupBy(), this.localFilter());
    this.provider = new SocketTreeProvider(this.model, (s) => this.source.lookup(s, this.netns));
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.provider, showCollapseAll: true, canSelectMany: true });
    this.disposables.push(
      this.provider, this.view, this.changeEmitter,
      this.view.onDidChangeVisibility((e) => (e.visible ? this.start() : this.stop())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sockscope.groupBy')) this.applyChange(this.model.setGrouping(this.configuredGroupBy()));
        if (e.affectsConfiguration('sockscope.families') || e.affectsConfiguration('sockscope.states')) this.applyLocalFilter();
        if (e.affectsConfiguration('sockscope.refreshInterval') && this.watch) this.restart();
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
    l.onCounts?.(this.model.countsByState(), this.model.visibleCount);
    l.onCapabilities?.(this.caps);
  }

  dispose(): void {
    this.stop();
    for (const d of this.disposables) d.dispose();
  }

  get filter(): string { return this.filterText; }
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
    this.restartAndReset();
  }

  /**
   * Applies a filter and resolves once the helper's first snapshot for it has arrived, with the number
   * of sockets the view then shows and the time from the request to the result.
   */
  async runFilter(text: string, timeoutMs = 30_000): Promise<{ count: number; elapsedMs: number }> {
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const snapshot = new Promise<void>((resolve, reject) => {
      this.snapshotWaiters.push(resolve);
      timer = setTimeout(() => reject(new Error(`no result from the socket helper within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      await this.applyFilter(text);
      await snapshot;
    } finally {
      clearTimeout(timer);
    }
    return { count: this.model.visibleCount, elapsedMs: Date.now() - started };
  }

  setExposedOnly(on: boolean): void {
    this.exposedOnly = on;
    this.applyLocalFilter();
  }
  get exposedListenersOnly(): boolean { return this.exposedOnly; }

  /** Groups of followed processes, shown first (src/client/follow). */
  setPinned(groups: PinnedGroup[]): void {
    this.applyChange(this.model.setPinned(groups));
  }

  /** Unix sockets are one click away (the title bar's toggle), hidden by default: inet ones are what a developer looks for. */
  get unixShown(): boolean { return this.showUnix; }
  setUnixShown(on: boolean): void {
    this.showUnix = on;
    this.applyLocalFilter();
    this.updateContext();
  }

  showOnlyProcess(pid: number | undefined, label = ''): void {
    this.pid = pid;
    this.pidLabel = label;
    this.applyLocalFilter();
  }

  clearFilters(): void {
    this.filterText = '';
    this.pid = undefined;
    this.exposedOnly = false;
    this.restartAndReset();
  }

  async setGroupBy(g: GroupBy): Promise<void> {
    await vscode.workspace.getConfiguration('sockscope').update('groupBy', g, vscode.ConfigurationTarget.Global);
    if (this.model.grouping !== g) this.applyChange(this.model.setGrouping(g));
    this.updateContext();
  }

  setNamespace(ns: NamespaceInfo | undefined): void {
    this.namespace = ns;
    this.restartAndReset();
  }

  refresh(): void {
    this.restart();
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

  private restartAndReset(): void {
    this.model.setLocalFilter(this.localFilter());
    this.applyChange(this.model.clear());
    this.updateDescription();
    this.updateContext();
    this.restart();
  }

  private restart(): void {
    if (!this.view.visible && !this.watch) return;
    this.stop();
    this.start();
  }

  private query(): SocketQuery {
    const q = toSocketQuery(this.filterText);
    // tcp_info is fetched per socket on hover (tooltips) and by the charts: leaving it out of the
    // watch keeps ticks small, since every active connection's tcp_info changes every tick.
    q.extensions = { processes: true };
    const ns = this.netns;
    if (ns) q.netns = ns;
    return q;
  }

  start(): void {
    if (this.watch) return;
    const seconds = vscode.workspace.getConfiguration('sockscope').get<number>('refreshInterval', 2);
    const intervalMs = seconds > 0 ? Math.max(100, Math.round(seconds * 1000)) : 3_600_000;
    const query = this.query();
    this.output.appendLine(`Sockets view: watching ${JSON.stringify({ ...query, extensions: undefined })} every ${intervalMs} ms`);
    try {
      this.watch = this.source.watch(query, intervalMs, (d) => this.onDelta(d), (e) => this.onError(e));
      // Sockets the kernel destroys leave the view at once, between watch ticks.
      this.destroyed = this.source.subscribeDestroyed?.(this.netns, (r) => {
        const key = recordKey(r);
        if (this.model.get(key)) this.onDelta({ added: [], changed: [], removed: [key] });
      });
    } catch (e) {
      this.onError(e instanceof Error ? e : new Error(String(e)));
    }
    this.source.capabilities().then((c) => this.setCaps(c), () => undefined);
  }

  private setCaps(c: Capabilities): void {
    this.caps = c;
    this.applyChange(this.model.setPrivileged(c.root));
    for (const l of this.listeners) l.onCapabilities?.(c);
    this.updateMessage();
  }

  stop(): void {
    this.watch?.dispose();
    this.watch = undefined;
    this.destroyed?.dispose();
    this.destroyed = undefined;
  }

  /**
   * Process groups are labelled by what the process is (`node server.js (4242)`, from the helper's
   * `processes` request), not by comm (`MainThread` on current Node): pids not labelled yet are
   * asked for after a refresh, one request at a time.
   */
  private labelProcesses(): void {
    if (this.labelling || !this.source.processes) return;
    const pids = this.model.processPids().filter((pid) => !this.model.hasLabel(pid)).slice(0, 4096);
    if (!pids.length) return;
    this.labelling = true;
    this.source.processes({ pids }).then((r) => {
      const labels = new Map<number, ProcessLabel>();
      for (const p of r.processes) labels.set(p.pid, { label: p.label, tooltip: identityTooltip(p) });
      // Gone meanwhile: keep their comm, and do not ask again.
      for (const pid of r.missing) labels.set(pid, { label: this.model.group(`p:${pid}`)?.processName ?? '?' });
      this.model.pruneLabels();
      this.applyChange(this.model.setProcessLabels(labels));
    }, (e: unknown) => this.output.appendLine(`Sockets view: process labels: ${e instanceof Error ? e.message : String(e)}`)).finally(() => { this.labelling = false; });
  }

  private onDelta(d: SocketDelta): void {
    if (this.lastError) { this.lastError = undefined; this.updateMessage(); }
    if (d.snapshot) this.model.clear();
    const change = this.model.applyDelta(d);
    this.applyChange(d.snapshot ? { ...change, structure: true } : change);
    this.changeEmitter.fire();
    if (change.structure || d.snapshot) this.labelProcesses();
    if (d.snapshot) for (const resolve of this.snapshotWaiters.splice(0)) resolve();
  }

  private onError(e: Error): void {
    this.lastError = e.message;
    this.output.appendLine(`Sockets view: ${e.message}`);
    this.updateMessage();
  }

  private applyChange(change: ModelChange): void {
    this.provider.refresh(change);
    if (change.counts || change.structure) {
      const counts = this.model.countsByState();
      for (const l of this.listeners) l.onCounts?.(counts, this.model.visibleCount);
      this.updateMessage();
    }
  }

  private applyLocalFilter(): void {
    this.applyChange(this.model.setLocalFilter(this.localFilter()));
    this.updateDescription();
    this.updateContext();
  }

  private localFilter(): LocalFilter {
    const cfg = vscode.workspace.getConfiguration('sockscope');
    const kinds = parseKinds(cfg.get('families'));
    const statesSetting = cfg.get<unknown>('states');
    const states = Array.isArray(statesSetting)
      ? statesSetting.filter((s): s is StateName => (STATE_NAMES as readonly string[]).includes(s))
      : [];
    const f: LocalFilter = {};
    const shown = new Set<SocketKind>(kinds ?? SOCKET_KINDS);
    if (!this.showUnix) shown.delete('unix');
    f.kinds = shown;
    if (states.length) f.states = new Set(states);
    if (this.exposedOnly) f.exposedOnly = true;
    if (this.pid !== undefined) f.pid = this.pid;
    return f;
  }

  private configuredGroupBy(): GroupBy {
    const g = vscode.workspace.getConfiguration('sockscope').get<string>('groupBy', 'process');
    return (GROUP_BYS as readonly string[]).includes(g) ? (g as GroupBy) : 'process';
  }

  private updateDescription(): void {
    const parts: string[] = [];
    if (this.namespace && !this.namespace.current) parts.push(`netns ${this.namespace.name ?? this.namespace.inode}`);
    if (this.filterText) parts.push(this.filterText);
    if (this.exposedOnly) parts.push('exposed listeners');
    if (this.pid !== undefined) parts.push(this.pidLabel || `pid ${this.pid}`);
    this.view.description = parts.join(' · ') || undefined;
  }

  private updateMessage(): void {
    if (this.lastError) { this.view.message = `Sockscope helper: ${this.lastError}`; return; }
    const active = Boolean(this.filterText || this.exposedOnly || this.pid !== undefined);
    if (this.model.visibleCount === 0 && this.model.size === 0 && !active) { this.view.message = ''; return; }
    const counts = formatStateCounts(this.model.countsByState(), 3);
    const hidden = this.caps && this.caps.invisibleProcesses > 0 ? ` · ${this.caps.invisibleProcesses} processes not visible without root` : '';
    // The description is not shown when the view fills its container alone: repeat the filter here.
    const what = [this.filterText, this.exposedOnly ? 'exposed listeners' : '', this.pid !== undefined ? this.pidLabel || `pid ${this.pid}` : ''].filter(Boolean).join(' · ');
    const n = this.model.visibleCount;
    this.view.message = active ? `Filter ${what}: ${n} socket${n === 1 ? '' : 's'} (${counts})${hidden}` : hidden ? hidden.slice(3) : '';
  }

  private updateContext(): void {
    setContext('groupBy', this.model.grouping);
    setContext('filterActive', Boolean(this.filterText || this.exposedOnly || this.pid !== undefined));
    setContext('exposedOnly', this.exposedOnly);
    setContext('unixShown', this.showUnix);
  }
}
