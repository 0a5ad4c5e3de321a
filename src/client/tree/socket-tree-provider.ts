// The Sockets TreeDataProvider: groups (pinned / process / state) with counts, the rows of the
// expanded groups' pages, and a "Show 500 more" row per large group. Rows come from the helper's
// view: expanding a group asks the controller (sockets-view.ts) for its page and resolves when it
// arrives. Element objects are cached by id so refreshes can target one group and VS Code keeps
// expansion state.
import type { CommandId } from '../commands/command-table';
import * as vscode from 'vscode';
import type { ProcessIdentity } from '../../protocol/process-identity';
import type { SocketRecord } from '../../protocol/socket-record';
import { identityTooltip } from '../follow/identity-text';
import { FLAT_GROUP, type GroupInfo, type ModelChange, type SocketTreeModel } from './model';
import { isExposedListener } from './model-exposure';
import { rateText, socketDescription, socketLabel, socketTooltip } from './model-format';

export const PAGE_SIZE = 500;

/** A pinned group's extras from the follow service: its pids, a line shown while it is empty, a tooltip. */
export interface PinnedExtra {
  pids: number[];
  note?: string;
  tooltip?: string;
}

export type SocketNode =
  | { kind: 'group'; id: string; key: string }
  | { kind: 'note'; id: string; groupKey: string }
  | { kind: 'socket'; id: string; groupKey: string; cookie: string }
  | { kind: 'more'; id: string; groupKey: string };

/** What the provider needs from the controller. */
export interface PageRequester {
  /** Makes `group` expanded with at least `limit` rows; resolves once its page has arrived. */
  expand(group: string, limit: number): Promise<void>;
  /** The page filter of a group, if any. */
  groupFilter(group: string): string | undefined;
  /** The helper runs as root (tooltip wording). */
  privileged(): boolean;
}

export class SocketTreeProvider implements vscode.TreeDataProvider<SocketNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SocketNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, SocketNode>();
  private readonly pages = new Map<string, number>();

  /**
   * `lookup` fetches one socket with tcp_info for its tooltip when the user hovers it, so the
   * view's refreshes can leave tcp_info out; `identify` what a process group's process is (pid,
   * user, command line, cwd, start time, container or unit), read when its group is hovered.
   */
  constructor(
    private readonly model: SocketTreeModel,
    private readonly requester: PageRequester,
    private readonly lookup?: (s: SocketRecord) => Promise<SocketRecord | null>,
    private readonly identify?: (pid: number) => Promise<ProcessIdentity | undefined>,
  ) {}

  private tooltipOf(s: SocketRecord): vscode.MarkdownString {
    return new vscode.MarkdownString().appendCodeblock(socketTooltip(s, this.requester.privileged()), 'text');
  }

  dispose(): void {
    this.emitter.dispose();
  }

  /** Rows a group shows (its page limit). */
  shown(groupKey: string): number {
    return this.pages.get(groupKey) ?? PAGE_SIZE;
  }

  /** Forgets a group's page size (collapsed). */
  /** By group key (`pin:ID`). */
  readonly pinnedExtras = new Map<string, PinnedExtra>();

  /** Re-renders the pinned groups (a note or tooltip changed). */
  refreshPinned(): void {
    for (const key of this.pinnedExtras.keys()) this.refreshGroup(key);
  }

  forget(groupKey: string): void {
    this.pages.delete(groupKey);
  }

  /** Refreshes what a model change touched: the root when groups came or went, else those groups. */
  refresh(change: ModelChange): void {
    if (change.structure || this.model.grouping === 'flat') {
      if (change.structure) this.prune();
      this.emitter.fire();
      return;
    }
    for (const key of change.groups) {
      const node = this.nodes.get(key);
      if (node) this.emitter.fire(node);
    }
  }

  /** Re-renders one group (its page arrived or went). */
  refreshGroup(key: string): void {
    if (this.model.grouping === 'flat') { this.emitter.fire(); return; }
    const node = this.nodes.get(key);
    if (node) this.emitter.fire(node);
  }

  showMore(node: SocketNode): Promise<void> | undefined {
    if (node.kind !== 'more') return undefined;
    const limit = this.shown(node.groupKey) + PAGE_SIZE;
    this.pages.set(node.groupKey, limit);
    return this.requester.expand(node.groupKey, limit).then(() => this.refreshGroup(node.groupKey));
  }

  /** The socket a node stands for (for context actions). */
  socketOf(node: SocketNode | undefined): SocketRecord | undefined {
    return node?.kind === 'socket' ? this.model.get(node.cookie) : undefined;
  }

  groupOf(node: SocketNode | undefined): GroupInfo | undefined {
    return node?.kind === 'group' ? this.model.group(node.key) : undefined;
  }

  async getChildren(element?: SocketNode): Promise<SocketNode[]> {
    if (!element) {
      if (!this.model.loaded) return [];
      if (this.model.grouping === 'flat') return this.page(FLAT_GROUP);
      return this.model.groups().map((g) => this.node({ kind: 'group', id: g.key, key: g.key }));
    }
    if (element.kind === 'group') {
      const g = this.model.group(element.key);
      // An empty pinned group says why (no process reported, root needed) instead of staying empty.
      if (g?.kind === 'pinned' && g.count === 0) return [this.node({ kind: 'note', id: `${element.key}/note`, groupKey: element.key })];
      return this.page(element.key);
    }
    return [];
  }

  getParent(element: SocketNode): SocketNode | undefined {
    if (element.kind === 'group' || this.model.grouping === 'flat') return undefined;
    return this.nodes.get(element.groupKey);
  }

  getTreeItem(element: SocketNode): vscode.TreeItem {
    switch (element.kind) {
      case 'group': return this.groupItem(element);
      case 'more': {
        const { total } = this.model.children(element.groupKey);
        const shown = this.shown(element.groupKey);
        const item = new vscode.TreeItem(`Show ${Math.min(PAGE_SIZE, total - shown)} more`, vscode.TreeItemCollapsibleState.None);
        item.id = element.id;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'sockscope.showMore' satisfies CommandId, title: 'Show more', arguments: [element] };
        item.description = `${shown} of ${total} shown`;
        return item;
      }
      case 'socket': return this.socketItem(element);
      case 'note': {
        const note = this.pinnedExtras.get(element.groupKey)?.note ?? 'No sockets yet';
        const item = new vscode.TreeItem(note, vscode.TreeItemCollapsibleState.None);
        item.id = element.id;
        item.iconPath = new vscode.ThemeIcon('info');
        if (/Follow Process/.test(note)) item.command = { command: 'sockscope.followProcess' satisfies CommandId, title: 'Follow Process…', arguments: [element.groupKey] };
        return item;
      }
    }
  }

  private groupItem(node: Extract<SocketNode, { kind: 'group' }>): vscode.TreeItem {
    const g = this.model.group(node.key);
    const pinned = g?.kind === 'pinned';
    // A followed group opens expanded (its own id, so VS Code does not reuse a collapsed state).
    const item = new vscode.TreeItem(g?.label ?? node.key, pinned ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = pinned ? `${node.id}#open` : node.id;
    const filter = this.requester.groupFilter(node.key);
    const page = this.model.page(node.key);
    item.description = filter && page ? `${page.total} of ${g?.count ?? 0} · ${filter}` : `${g?.count ?? 0}`;
    item.tooltip = g ? `${g.label}: ${g.count} socket${g.count === 1 ? '' : 's'}${filter ? `\nfiltered: ${filter}` : ''}` : undefined;
    const extra = pinned ? this.pinnedExtras.get(node.key) : undefined;
    if (extra?.tooltip) item.tooltip = this.groupTooltip(extra.tooltip, g?.count ?? 0);
    // A process group's tooltip is its process's identity, read on hover (resolveTreeItem).
    if (g?.kind === 'process' && g.pid !== undefined && this.identify) item.tooltip = undefined;
    // `group` marks every group row (Filter This Group), `filtered` one with a page filter.
    const flags = ` group${filter ? ' filtered' : ''}`;
    if (g?.kind === 'process' || g?.kind === 'pinned') {
      item.iconPath = g.kind === 'pinned' ? new vscode.ThemeIcon('eye', new vscode.ThemeColor('charts.blue')) : new vscode.ThemeIcon('server-process');
      item.contextValue = (g.kind === 'pinned' ? 'pinned' : 'process') + flags;
    } else if (g?.kind === 'unknown') {
      item.iconPath = new vscode.ThemeIcon('question');
      item.contextValue = 'unknownProcess' + flags;
    } else {
      item.iconPath = new vscode.ThemeIcon(g?.state === 'LISTEN' ? 'radio-tower' : 'symbol-enum');
      item.contextValue = 'state' + flags;
    }
    return item;
  }

  private socketItem(node: Extract<SocketNode, { kind: 'socket' }>): vscode.TreeItem {
    const s = this.model.get(node.cookie);
    if (!s) return new vscode.TreeItem('(closed)');
    const item = new vscode.TreeItem(socketLabel(s), vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    const rates = this.model.rates(node.cookie);
    const measured = rates ? rateText(rates) : '';
    item.description = socketDescription(s) + (measured ? ` · ${measured}` : '');
    const exposed = isExposedListener(s);
    // TCP tooltips are resolved on hover (resolveTreeItem) with fresh tcp_info.
    if (!this.lookup || (s.netid !== 'tcp' && s.netid !== 'mptcp') || s.tcpInfo) item.tooltip = this.tooltipOf(s);
    item.iconPath = exposed
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : new vscode.ThemeIcon(s.state === 'LISTEN' || s.state === 'UNCONN' ? 'radio-tower' : s.family === 'unix' ? 'file-symlink-file' : 'plug');
    const flags = [s.netid === 'tcp' || s.netid === 'mptcp' ? 'tcp' : s.netid, exposed ? 'exposed' : '', s.processes?.length ? 'hasProcess' : ''].filter(Boolean);
    item.contextValue = `socket ${flags.join(' ')}`;
    item.accessibilityInformation = { label: `${socketLabel(s)} ${socketDescription(s)}${exposed ? ', listening on all interfaces' : ''}` };
    return item;
  }

  /** The count goes on the first line: a long tooltip (a process tree) scrolls, its head stays in sight. */
  private groupTooltip(text: string, count: number): vscode.MarkdownString {
    const [head, ...rest] = text.split('\n');
    const sockets = `${count} socket${count === 1 ? '' : 's'}`;
    return new vscode.MarkdownString().appendCodeblock([`${head} · ${sockets}`, ...rest].join('\n'), 'text');
  }

  async resolveTreeItem(item: vscode.TreeItem, element: SocketNode): Promise<vscode.TreeItem> {
    if (element.kind === 'group') return this.resolveGroup(item, element);
    if (element.kind !== 'socket' || item.tooltip) return item;
    const s = this.model.get(element.cookie);
    if (!s) return item;
    let fresh: SocketRecord | null = null;
    try {
      fresh = (await this.lookup?.(s)) ?? null;
    } catch {
      fresh = null;
    }
    item.tooltip = this.tooltipOf(fresh ? { ...fresh, processes: fresh.processes ?? s.processes } : s);
    return item;
  }

  private async resolveGroup(item: vscode.TreeItem, element: Extract<SocketNode, { kind: 'group' }>): Promise<vscode.TreeItem> {
    const g = this.model.group(element.key);
    if (item.tooltip || g?.kind !== 'process' || g.pid === undefined) return item;
    let identity: ProcessIdentity | undefined;
    try {
      identity = await this.identify?.(g.pid);
    } catch {
      identity = undefined;
    }
    const filter = this.requester.groupFilter(element.key);
    // Exited meanwhile (or no helper to ask): what the group row itself says.
    item.tooltip = this.groupTooltip(identity ? identityTooltip(identity) : g.label, g.count);
    if (filter) item.tooltip.appendText(`filtered: ${filter}`);
    return item;
  }

  /** A group's rows: from the model when its page is there, else once the helper has sent it. */
  private async page(groupKey: string): Promise<SocketNode[]> {
    const limit = this.shown(groupKey);
    const have = this.model.page(groupKey);
    if (!have || have.limit < limit) await this.requester.expand(groupKey, limit);
    const { items, total } = this.model.children(groupKey);
    const out: SocketNode[] = items.map((s) => this.node({ kind: 'socket', id: `${groupKey}/${s.cookie}`, groupKey, cookie: s.cookie }));
    if (total > items.length) out.push(this.node({ kind: 'more', id: `${groupKey}/more`, groupKey }));
    return out;
  }

  private node<T extends SocketNode>(n: T): T {
    const known = this.nodes.get(n.id);
    if (known) return known as T;
    this.nodes.set(n.id, n);
    return n;
  }

  /** Forgets nodes of groups and sockets no longer shown (memory follows what is shown). */
  private prune(): void {
    for (const [id, n] of this.nodes) {
      const gone = n.kind === 'group' ? !this.model.group(n.key)
        : n.kind === 'socket' ? !this.model.get(n.cookie) || !this.model.group(n.groupKey)
          : !this.model.group(n.groupKey);
      if (gone) this.nodes.delete(id);
    }
    for (const key of this.pages.keys()) if (!this.model.group(key)) this.pages.delete(key);
  }

  /** Drops socket nodes of pages no longer held (called after pages change). */
  pruneRows(): void {
    if (this.nodes.size < 4 * PAGE_SIZE) return;
    for (const [id, n] of this.nodes) if (n.kind === 'socket' && !this.model.get(n.cookie)) this.nodes.delete(id);
  }
}
