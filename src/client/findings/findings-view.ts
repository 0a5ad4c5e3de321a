// The Findings view (in the Sockscope container): the helper's findings for the namespace the
// Sockets view shows, a badge with their count on the container, and the ss -s summary as its
// first section. Selecting a finding shows only its sockets in the Sockets view. Nothing polls:
// the helper pushes findings (`findings/watch`) only when they change, computed from the Sockets
// view's own sockets after each refresh (src/helper/findings-feed.ts); while that view is closed
// or filtered the helper dumps on its own every FALLBACK interval, so the badge stays current with
// nothing open. A resolved finding leaves the tree with the message that no longer lists it.
import * as vscode from 'vscode';
import type { Finding, Severity } from '../../protocol/findings';
import type { FindingsChangedNotification, FindingsResult, NetnsRef } from '../../protocol/helper-protocol';
import type { CommandFactories } from '../commands/command-context';
import { VIEW_IDS } from '../commands/command-table';
import type { HelperClient } from '../connection/helper-client';
import type { SocketsView } from '../tree/sockets-view';
import { badgeOf, evidenceOf, summaryDescription, summaryLines, type FindingNode } from './findings-nodes';

const ICONS: Record<Severity, [string, string]> = {
  error: ['error', 'problemsErrorIcon.foreground'],
  warning: ['warning', 'problemsWarningIcon.foreground'],
  info: ['info', 'problemsInfoIcon.foreground'],
};
/**
 * The helper's own dumps while no view holds the namespace's sockets: every 30 s while neither view
 * is visible (the badge stays roughly current at little cost), at the refresh interval while one is
 * (a filtered Sockets view, e.g. a finding's own sockets, still sees its finding resolve).
 */
const HIDDEN_INTERVAL_MS = 30_000;

export interface FindingsSnapshot {
  findings: Finding[];
  badge: { value: number; tooltip: string } | undefined;
  message: string | undefined;
  summary: FindingsResult['summary'];
  shown: { cookies: string[]; label: string } | undefined;
}

export class FindingsView implements vscode.TreeDataProvider<FindingNode>, vscode.Disposable {
  readonly tree: vscode.TreeView<FindingNode>;
  private result: FindingsChangedNotification | undefined;
  private error: string | undefined;
  private watch: { dispose(): void } | undefined;
  /** What the helper was last asked to watch (a change sends the watch again). */
  private watched = '';
  private disposed = false;
  /** Resolves the pending refresh() calls at the next message. */
  private waiting: Array<() => void> = [];
  private readonly changed = new vscode.EventEmitter<FindingNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly updated = new vscode.EventEmitter<void>();
  /** Fires after each refresh (end-to-end tests wait on it). */
  readonly onDidUpdate = this.updated.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly helper: HelperClient, private readonly sockets: SocketsView, private readonly output: vscode.LogOutputChannel | vscode.OutputChannel) {
    this.tree = vscode.window.createTreeView(VIEW_IDS.findings, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.tree, this.changed, this.updated,
      this.tree.onDidChangeVisibility(() => this.rewatch()),
      this.sockets.view.onDidChangeVisibility(() => this.rewatch()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sockscope.findings') || e.affectsConfiguration('sockscope.refreshInterval')) this.rewatch();
      }),
    );
    // The Sockets view's namespace may change: its counts start over then.
    this.sockets.addListener({ onCounts: () => this.rewatch() });
    this.tree.message = 'Looking for problems…';
    this.rewatch();
  }

  dispose(): void {
    this.disposed = true;
    this.watch?.dispose();
    for (const d of this.disposables) d.dispose();
    for (const w of this.waiting.splice(0)) w();
  }

  get findings(): readonly Finding[] { return this.result?.findings ?? []; }

  /** Asks the helper for its findings now; resolves at its next message (or after 10 s). */
  refresh(): Promise<void> {
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      this.waiting.push(() => { clearTimeout(timer); resolve(); });
    });
    this.rewatch(true);
    return done;
  }

  /** Shows a finding's sockets in the Sockets view (again: shows all). */
  showSockets(id: string | undefined): void {
    const f = this.findings.find((x) => x.id === id);
    const shown = this.sockets.socketsShown;
    if (!f || (shown && shown.label === f.id)) { this.sockets.showOnlySockets(undefined); return; }
    this.sockets.showOnlySockets(f.sockets, f.id);
    void vscode.commands.executeCommand(`${VIEW_IDS.sockets}.focus`);
  }

  snapshot(): FindingsSnapshot {
    return { findings: [...this.findings], badge: this.tree.badge && { value: this.tree.badge.value, tooltip: this.tree.badge.tooltip }, message: this.tree.message, summary: this.result?.summary ?? null, shown: this.sockets.socketsShown };
  }

  /** Sends the watch when what it should be changed (or always, `force`: the helper answers at once). */
  private rewatch(force = false): void {
    if (this.disposed) return;
    const thresholds = vscode.workspace.getConfiguration('sockscope.findings').get<Record<string, number>>('thresholds', {});
    const seconds = vscode.workspace.getConfiguration('sockscope').get<number>('refreshInterval', 2);
    const visible = this.tree.visible || this.sockets.view.visible;
    const intervalMs = !visible || seconds <= 0 ? HIDDEN_INTERVAL_MS : Math.max(2000, Math.round(seconds * 1000));
    const netns: NetnsRef | undefined = this.sockets.netns;
    const params = { ...(netns ? { netns } : {}), ...(Object.keys(thresholds).length ? { thresholds } : {}), intervalMs };
    const text = JSON.stringify(params);
    if (!force && text === this.watched) return;
    this.watched = text;
    this.watch = this.helper.watchFindings(params, (n) => this.onChanged(n));
  }

  private onChanged(n: FindingsChangedNotification): void {
    if (this.disposed) return;
    if (n.error !== undefined) {
      if (n.error !== this.error) this.output.appendLine(`Findings: ${n.error}`);
      this.error = n.error;
    } else {
      this.result = n;
      this.error = undefined;
    }
    this.render();
    this.updated.fire();
    for (const w of this.waiting.splice(0)) w();
  }

  private render(): void {
    const findings = this.findings;
    this.tree.badge = badgeOf(findings);
    this.tree.message = this.error ? `Findings could not be made: ${this.error}` : findings.length === 0 && this.result ? 'No problems found.' : undefined;
    this.tree.description = this.sockets.namespaceName ? `netns ${this.sockets.namespaceName}` : undefined;
    // The Sockets view keeps showing a resolved finding's sockets until asked: say so there.
    const shown = this.sockets.socketsShown;
    if (shown && this.result && !findings.some((f) => f.id === shown.label)) this.sockets.showOnlySockets(shown.cookies, `${shown.label} (resolved)`);
    this.changed.fire(undefined);
  }

  // -- TreeDataProvider ----------------------------------------------------------------------

  getChildren(node?: FindingNode): FindingNode[] {
    if (!node) {
      const top: FindingNode[] = this.result?.summary ? [{ kind: 'summary', summary: this.result.summary }] : [];
      return top.concat(this.findings.map((finding) => ({ kind: 'finding', finding } as FindingNode)));
    }
    if (node.kind === 'summary') {
      return summaryLines(node.summary).map((l) => ({ kind: 'evidence', id: `summary#${l.label}`, label: l.label, description: l.description, icon: 'dash' }));
    }
    if (node.kind === 'finding') return evidenceOf(node.finding, (pid) => this.processName(pid));
    return node.children ?? [];
  }

  getTreeItem(node: FindingNode): vscode.TreeItem {
    if (node.kind === 'summary') {
      const item = new vscode.TreeItem('Summary (ss -s)', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = 'summary';
      item.description = summaryDescription(node.summary);
      item.iconPath = new vscode.ThemeIcon('symbol-numeric');
      return item;
    }
    if (node.kind === 'finding') {
      const f = node.finding;
      const item = new vscode.TreeItem(f.title, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = f.id;
      item.description = f.rule;
      const [icon, color] = ICONS[f.severity];
      item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
      item.tooltip = new vscode.MarkdownString().appendText(`${f.severity}: ${f.title}\n\n${f.detail}\n\n`).appendMarkdown('**What to do:** ').appendText(f.hint);
      item.contextValue = `finding.${f.severity}`;
      if (f.sockets.length) item.command = { command: 'sockscope.findings.showSockets', title: 'Show its sockets', arguments: [f.id] };
      return item;
    }
    const item = new vscode.TreeItem(node.label, node.children ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    if (node.description) item.description = node.description;
    if (node.tooltip) item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    return item;
  }

  /** What the process is, as the helper named it (`node server.js`), as the Sockets view labels it. */
  private processName(pid: number): string | undefined {
    return this.result?.processLabels[pid] ?? this.sockets.model.groups().find((g) => g.pid === pid)?.label;
  }
}

export const findingsCommands = {
  'sockscope.findings.refresh': ({ findings }) => () => findings.refresh(),
  'sockscope.findings.showSockets': ({ findings }) => (id?: string) => findings.showSockets(id),
  'sockscope.findings.snapshot': ({ findings }) => () => findings.snapshot(),
} satisfies CommandFactories;
