// Creates the Sockets view with its status bar item, and the view's own commands (refresh, and the
// snapshot / CSV export that end-to-end tests call). The socket actions are in ../commands/socket-commands.ts.
import * as vscode from 'vscode';
import type { CommandFactories } from '../commands/command-context';
import { SocketsStatusBar } from '../status';
import type { SocketSource } from './socket-source';
import { SocketsView } from './sockets-view';
import { ChartPanel } from '../chart/chart-panel';
import { FLAT_GROUP, type GroupInfo } from './model';
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
  /** Sockets in the view (up to the limit), in address order. */
  sockets: SocketRecord[];
  charts: Array<{ cookies: string[]; rows: number; closed: string[]; paused: boolean; visible: boolean }>;
  /** Pinned (followed) groups with their sockets, in display order. */
  pinned: Array<{ key: string; label: string; count: number; note?: string; pids: number[]; sockets: SocketRecord[] }>;
}

/** The view as shown, with its first sockets (read from the helper: the model holds only expanded groups' rows). */
async function viewSnapshot(view: SocketsView, limit: number): Promise<SocketsViewSnapshot> {
  const groups = view.model.groups();
  // Every socket of the view in one read (rows of collapsed groups are not held by the model).
  const sockets = (await view.rowsOf(FLAT_GROUP, limit)).items;
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
    pinned: await Promise.all(groups.filter((g) => g.kind === 'pinned').map(async (g) => {
      const extra = view.pinnedExtra(g.key);
      return {
        key: g.key, label: g.label, count: g.count, pids: extra?.pids ?? [], sockets: (await view.rowsOf(g.key, limit)).items,
        ...(extra?.note !== undefined ? { note: extra.note } : {}),
      };
    })),
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

export const viewCommands = {
  /** Row order within groups; with an argument (`address`, `rate`, `rtt`, `retrans`) no picker. */
  'sockscope.sortSockets': ({ view }) => async (sort?: string) => {
    const pick = typeof sort === 'string' ? SORTS.find((s) => s.sort === sort)
      : await vscode.window.showQuickPick(SORTS.map((s) => ({ ...s, description: s.sort === view.sort ? 'current' : undefined })), { title: 'Sort sockets by' });
    if (pick) await view.setSort(pick.sort);
    return view.sort;
  },
  /** Filters one group's rows (the faster way into a large group than paging); returns the rows it then has. */
  'sockscope.filterGroup': ({ view }) => async (node?: SocketNode, text?: string) => {
    const group = view.provider.groupOf(node);
    if (!group) return undefined;
    const value = typeof text === 'string' ? text : await vscode.window.showInputBox({
      title: `Filter ${group.label}`, prompt: 'ss filter within this group, e.g. dport = :443 or state established',
      value: view.groupFilter(group.key) ?? '', validateInput: (t) => filterValidationMessage(t) || undefined,
    });
    if (value === undefined) return undefined;
    await view.setGroupFilter(group.key, value);
    return view.model.page(group.key)?.total;
  },
  'sockscope.clearGroupFilter': ({ view }) => async (node?: SocketNode) => {
    const group = view.provider.groupOf(node);
    if (group) await view.setGroupFilter(group.key, '');
  },
  'sockscope.refresh': ({ view }) => () => view.refresh(),
  'sockscope.sockets.snapshot': ({ view }) => (limit = 2000) => viewSnapshot(view, Number(limit)),
  'sockscope.charts.exportCsv': () => async (path: string) => {
    const panel = [...ChartPanel.open].pop();
    return panel ? (await panel.exportCsv(vscode.Uri.file(String(path))))?.fsPath : undefined;
  },
} satisfies CommandFactories;

/** The Sockets view and the status bar item that follows it. */
export function createSocketsView(context: vscode.ExtensionContext, output: vscode.OutputChannel, source: SocketSource): SocketsView {
  const view = new SocketsView(source, output);
  const status = new SocketsStatusBar();
  view.addListener(status);
  context.subscriptions.push(view, status);
  return view;
}
