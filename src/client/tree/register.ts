// Wires the Sockets view, its commands, the status bar item and the "Apply to Sockets view"
// hook of the .ssq language support. Called once from activate() with the helper connection.
import * as vscode from 'vscode';
import type { QueryRef } from '../../protocol/ssq-commands';
import { registerSocketCommands } from '../commands/socket-commands';
import { setQueryApplier, setQueryRunner } from '../language';
import { SocketsStatusBar } from '../status';
import type { SocketSource } from './socket-source';
import { SocketsView } from './sockets-view';
import { ChartPanel } from '../chart/chart-panel';
import type { GroupInfo } from './model';
import type { SocketRecord, StateName } from '../../protocol/socket-record';
import type { ViewSort } from '../../protocol/view-protocol';
import { filterValidationMessage } from './model-query';
import type { SocketNode } from './socket-tree-provider';

export interface SocketsViewSnapshot {
  groupBy: string;
  filter: string;
  description: string | undefined;
  message: string | undefined;
  exposedOnly: boolean;
  netns: string | undefined;
  total: number;
  visible: number;
  counts: Array<[StateName, number]>;
  groups: GroupInfo[];
  /** Visible sockets (up to the limit), in group order. */
  sockets: SocketRecord[];
  charts: Array<{ cookies: string[]; rows: number; closed: string[]; paused: boolean; visible: boolean }>;
}

/** The view as shown, with the first sockets of every group (read from the helper for collapsed ones). */
async function viewSnapshot(view: SocketsView, limit: number): Promise<SocketsViewSnapshot> {
  const groups = view.model.groups();
  const sockets: SocketRecord[] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    if (sockets.length >= limit) break;
    const page = view.model.page(g.key);
    const items = page && !page.filter ? view.model.children(g.key).items : (await view.rowsOf(g.key, limit - sockets.length)).items;
    for (const s of items.slice(0, limit - sockets.length)) if (!seen.has(s.cookie)) { seen.add(s.cookie); sockets.push(s); }
  }
  return {
    groupBy: view.model.grouping,
    filter: view.filter,
    description: view.view.description,
    message: view.view.message,
    exposedOnly: view.exposedListenersOnly,
    netns: view.namespaceName,
    total: view.model.size,
    visible: view.model.visibleCount,
    counts: view.model.countsByState(),
    groups,
    sockets,
    charts: [...ChartPanel.open].map((c) => ({
      cookies: c.history.sockets.map((s) => s.cookie),
      rows: c.history.length,
      closed: c.history.sockets.filter((s) => c.history.isClosed(s.cookie)).map((s) => s.cookie),
      paused: c.isPaused,
      visible: c.panel.visible,
    })),
  };
}

const SORTS: Array<{ sort: ViewSort; label: string; detail: string }> = [
  { sort: 'address', label: 'Address', detail: 'kind, state, local then peer address and port' },
  { sort: 'rate', label: 'Rate', detail: 'bytes sent + received per second, highest first (reads tcp_info)' },
  { sort: 'rtt', label: 'Round-trip time', detail: 'highest first (reads tcp_info)' },
  { sort: 'retrans', label: 'Retransmits', detail: 'retransmitted segments per second, highest first (reads tcp_info)' },
];

/** Sort and filter within a group: the ways into a large group other than paging. */
function registerViewShapeCommands(context: vscode.ExtensionContext, view: SocketsView): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('sockscope.sortSockets', async (sort?: string) => {
      const pick = typeof sort === 'string' ? SORTS.find((s) => s.sort === sort)
        : await vscode.window.showQuickPick(SORTS.map((s) => ({ ...s, description: s.sort === view.sort ? 'current' : undefined })), { title: 'Sort sockets by' });
      if (pick) await view.setSort(pick.sort);
      return view.sort;
    }),
    vscode.commands.registerCommand('sockscope.filterGroup', async (node?: SocketNode, text?: string) => {
      const group = view.provider.groupOf(node);
      if (!group) return undefined;
      const value = typeof text === 'string' ? text : await vscode.window.showInputBox({
        title: `Filter ${group.label}`, prompt: 'ss filter within this group, e.g. dport = :443 or state established',
        validateInput: (t) => filterValidationMessage(t) || undefined,
      });
      if (value === undefined) return undefined;
      await view.setGroupFilter(group.key, value);
      return view.model.page(group.key)?.total;
    }),
    vscode.commands.registerCommand('sockscope.clearGroupFilter', async (node?: SocketNode) => {
      const group = view.provider.groupOf(node);
      if (group) await view.setGroupFilter(group.key, '');
    }),
  );
}

export interface SocketsViewApi {
  readonly view: SocketsView;
  /** Filters the view with ss filter text ('' clears); throws when the text does not parse. */
  applyFilter(text: string): Promise<void>;
}

export function registerSocketsView(context: vscode.ExtensionContext, output: vscode.OutputChannel, source: SocketSource): SocketsViewApi {
  const view = new SocketsView(source, output);
  const status = new SocketsStatusBar();
  view.addListener(status);
  context.subscriptions.push(view, status);
  registerSocketCommands(context, view, { extensionUri: context.extensionUri, source, output });
  try {
    context.subscriptions.push(vscode.commands.registerCommand('sockscope.refresh', () => view.refresh()));
  } catch {
    output.appendLine('sockscope.refresh is registered elsewhere');
  }
  // Not in package.json: a read-only snapshot of the view for end-to-end tests and diagnostics.
  context.subscriptions.push(vscode.commands.registerCommand('sockscope.sockets.snapshot', (limit = 2000) => viewSnapshot(view, Number(limit))));
  registerViewShapeCommands(context, view);
  // Not in package.json: Export CSV of the most recent chart to a given path (what the webview's
  // button does after a save dialog), for end-to-end tests.
  context.subscriptions.push(vscode.commands.registerCommand('sockscope.charts.exportCsv', async (path: string) => {
    const panel = [...ChartPanel.open].pop();
    return panel ? (await panel.exportCsv(vscode.Uri.file(String(path))))?.fsPath : undefined;
  }));
  const applyFilter = (text: string): Promise<void> => view.applyFilter(text);
  setQueryApplier(async (q: QueryRef) => {
    try {
      await applyFilter(q.text);
      await vscode.commands.executeCommand('sockscope.sockets.focus');
    } catch (e) {
      void vscode.window.showErrorMessage(`Sockscope: cannot apply ${q.name ? `[${q.name}]` : 'query'}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  // "Run" on a query: the Sockets view shows the result; the caller reports the count and the time.
  setQueryRunner(async (q: QueryRef) => {
    await vscode.commands.executeCommand('sockscope.sockets.focus');
    return view.runFilter(q.text);
  });
  context.subscriptions.push({ dispose: () => { setQueryApplier(undefined); setQueryRunner(undefined); } });
  return { view, applyFilter };
}
