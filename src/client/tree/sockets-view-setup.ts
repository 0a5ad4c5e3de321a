// Creates the Sockets view with its status bar item, and the view's own commands (refresh, and the
// snapshot / CSV export that end-to-end tests call). The socket actions are in ../commands/socket-commands.ts.
import * as vscode from 'vscode';
import type { CommandFactories } from '../commands/command-context';
import { SocketsStatusBar } from '../status';
import type { SocketSource } from './socket-source';
import { SocketsView } from './sockets-view';
import { ChartPanel } from '../chart/chart-panel';
import type { GroupInfo } from './model';
import type { SocketRecord, StateName } from '../../protocol/socket-record';

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
  /** Pinned (followed) groups with their sockets, in display order. */
  pinned: Array<{ key: string; label: string; count: number; note?: string; pids: number[]; sockets: SocketRecord[] }>;
}

function viewSnapshot(view: SocketsView, limit: number): SocketsViewSnapshot {
  const groups = view.model.groups();
  const sockets: SocketRecord[] = [];
  for (const g of groups) {
    if (sockets.length >= limit) break;
    for (const s of view.model.children(g.key, limit - sockets.length).items) if (!sockets.includes(s)) sockets.push(s);
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
    pinned: groups.filter((g) => g.kind === 'pinned').map((g) => ({
      key: g.key, label: g.label, count: g.count, pids: g.pids ?? [], sockets: view.model.children(g.key, limit).items,
      ...(g.note !== undefined ? { note: g.note } : {}),
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

export const viewCommands = {
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
