// The Sockets TreeDataProvider: groups (process / state) with counts, socket rows, and a
// "Show 500 more" row per large group. Children are computed on expand from the model; element
// objects are cached by id so refreshes can target one group and VS Code keeps expansion state.
import type { CommandId } from '../commands/command-table';
import * as vscode from 'vscode';
import type { SocketRecord } from '../../protocol/socket-record';
import { recordKey } from '../../protocol/watch-state';
import { FLAT_GROUP, type GroupInfo, type ModelChange, type SocketTreeModel } from './model';
import { isExposedListener } from './model-exposure';
import { socketDescription, socketLabel, socketTooltip } from './model-format';

export const PAGE_SIZE = 500;


export type SocketNode =
  | { kind: 'group'; id: string; key: string }
  | { kind: 'note'; id: string; groupKey: string }
  | { kind: 'socket'; id: string; groupKey: string; cookie: string }
  | { kind: 'more'; id: string; groupKey: string };

export class SocketTreeProvider implements vscode.TreeDataProvider<SocketNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SocketNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, SocketNode>();
  private readonly pages = new Map<string, number>();

  /**
   * `lookup` fetches one socket with tcp_info for its tooltip when the user hovers it, so the
   * periodic watch can leave tcp_info out (fewer changed records per tick at scale).
   */
  constructor(private readonly model: SocketTreeModel, private readonly lookup?: (s: SocketRecord) => Promise<SocketRecord | null>) {}

  private tooltipOf(s: SocketRecord): vscode.MarkdownString {
    return new vscode.MarkdownString().appendCodeblock(socketTooltip(s, this.model.privileged), 'text');
  }

  dispose(): void {
    this.emitter.dispose();
  }

  /** Refreshes what a model change touched: the root when groups came or went, else those groups. */
  refresh(change: ModelChange): void {
    if (this.nodes.size > 2 * this.model.size + 1000) this.prune();
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

  showMore(node: SocketNode): void {
    if (node.kind !== 'more') return;
    this.pages.set(node.groupKey, (this.pages.get(node.groupKey) ?? 1) + 1);
    if (node.groupKey === FLAT_GROUP) this.emitter.fire();
    else {
      const group = this.nodes.get(node.groupKey);
      this.emitter.fire(group);
    }
  }

  /** The socket a node stands for (for context actions). */
  socketOf(node: SocketNode | undefined): SocketRecord | undefined {
    return node?.kind === 'socket' ? this.model.get(node.cookie) : undefined;
  }

  groupOf(node: SocketNode | undefined): GroupInfo | undefined {
    return node?.kind === 'group' ? this.model.group(node.key) : undefined;
  }

  getChildren(element?: SocketNode): SocketNode[] {
    if (!element) {
      const groups = this.model.groups();
      if (this.model.grouping === 'flat') {
        // Pinned groups stay on top; the flat list follows.
        const pinned = groups.filter((g) => g.kind === 'pinned').map((g) => this.node({ kind: 'group', id: g.key, key: g.key }));
        return [...pinned, ...this.page(FLAT_GROUP)];
      }
      return groups.map((g) => this.node({ kind: 'group', id: g.key, key: g.key }));
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
    if (element.kind === 'group') return undefined;
    if (this.model.grouping === 'flat' && element.groupKey === FLAT_GROUP) return undefined;
    return this.nodes.get(element.groupKey);
  }

  getTreeItem(element: SocketNode): vscode.TreeItem {
    switch (element.kind) {
      case 'group': return this.groupItem(element);
      case 'more': {
        const { total } = this.model.children(element.groupKey, 0);
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
        const g = this.model.group(element.groupKey);
        const item = new vscode.TreeItem(g?.note ?? 'No sockets yet', vscode.TreeItemCollapsibleState.None);
        item.id = element.id;
        item.iconPath = new vscode.ThemeIcon('info');
        if (g?.note && /Follow Process/.test(g.note)) item.command = { command: 'sockscope.followProcess', title: 'Follow Process…', arguments: [g.key] };
        item.contextValue = 'followNote';
        return item;
      }
    }
  }

  private groupItem(node: Extract<SocketNode, { kind: 'group' }>): vscode.TreeItem {
    const g = this.model.group(node.key);
    const pinned = g?.kind === 'pinned';
    const item = new vscode.TreeItem(g?.label ?? node.key, pinned ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    // A pinned group opens expanded: its id carries that state (VS Code keeps an id's expansion).
    item.id = pinned ? `${node.id}#open` : node.id;
    item.description = `${g?.count ?? 0}`;
    const count = g ? `${g.count} socket${g.count === 1 ? '' : 's'}` : '';
    item.tooltip = g ? (g.tooltip ? new vscode.MarkdownString().appendCodeblock(`${g.tooltip}\n${count}`, 'text') : `${g.label}: ${count}`) : undefined;
    if (pinned) {
      item.iconPath = new vscode.ThemeIcon('eye', new vscode.ThemeColor('charts.blue'));
      item.contextValue = 'followed';
    } else if (g?.kind === 'process') {
      item.iconPath = new vscode.ThemeIcon('server-process');
      item.contextValue = 'process';
    } else if (g?.kind === 'unknown') {
      item.iconPath = new vscode.ThemeIcon('question');
      item.contextValue = 'unknownProcess';
    } else {
      item.iconPath = new vscode.ThemeIcon(g?.state === 'LISTEN' ? 'radio-tower' : 'symbol-enum');
      item.contextValue = 'state';
    }
    return item;
  }

  private socketItem(node: Extract<SocketNode, { kind: 'socket' }>): vscode.TreeItem {
    const s = this.model.get(node.cookie);
    if (!s) return new vscode.TreeItem('(closed)');
    const item = new vscode.TreeItem(socketLabel(s), vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = socketDescription(s);
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

  async resolveTreeItem(item: vscode.TreeItem, element: SocketNode): Promise<vscode.TreeItem> {
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

  private shown(groupKey: string): number {
    return (this.pages.get(groupKey) ?? 1) * PAGE_SIZE;
  }

  private page(groupKey: string): SocketNode[] {
    const { items, total } = this.model.children(groupKey, this.shown(groupKey));
    const out: SocketNode[] = items.map((s) => this.node({ kind: 'socket', id: `${groupKey}/${recordKey(s)}`, groupKey, cookie: recordKey(s) }));
    if (total > items.length) out.push(this.node({ kind: 'more', id: `${groupKey}/more`, groupKey }));
    return out;
  }

  private node<T extends SocketNode>(n: T): T {
    const known = this.nodes.get(n.id);
    if (known) return known as T;
    this.nodes.set(n.id, n);
    return n;
  }

  /** Forgets nodes of groups and sockets that are gone (bounded memory at scale). */
  private prune(): void {
    for (const [id, n] of this.nodes) {
      const gone = n.kind === 'group' ? !this.model.group(n.key)
        : n.kind === 'socket' ? !this.model.get(n.cookie) || !this.model.group(n.groupKey)
          : !this.model.group(n.groupKey);
      if (gone) this.nodes.delete(id);
    }
    for (const key of this.pages.keys()) if (!this.model.group(key)) this.pages.delete(key);
  }
}
