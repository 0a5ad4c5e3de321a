// Commands of the Sockets view: title-bar actions (filter, grouping, exposed listeners, namespace)
// and context actions on sockets and processes. Socket commands accept a tree node (menus), a
// cookie string or `{ cookie }` (programmatic use, tests) and return what they produce.
import * as vscode from 'vscode';
import type { SocketRecord } from '../../protocol/socket-record';
import type { NamespaceInfo } from '../../protocol/helper-protocol';
import { placeText } from '../../protocol/process-identity';
import { ChartPanel } from '../chart/chart-panel';
import { showFilterInput } from '../tree/filter-input';
import { socketDescription, socketLabel } from '../tree/model-format';
import { FLAT_GROUP } from '../tree/model';
import { peerFilterFor, portFilterFor, ssFilterFor } from '../tree/model-ss-filter';
import type { SocketNode } from '../tree/socket-tree-provider';
import type { SocketsView } from '../tree/sockets-view';
import type { CommandFactories } from './command-context';
import { isPermissionError, killErrorText, killNeedsRoot, SHOW_ALL_PROCESSES_ACTION } from './kill-messages';
import { showAllProcesses } from '../connection/helper-ui';
import { processDetails } from './process-info';

/** A quick pick of the view's TCP sockets (connected first); [] when cancelled. */
async function pickTcpSockets(view: SocketsView): Promise<SocketRecord[]> {
  const seen = new Set<string>();
  const items: Array<vscode.QuickPickItem & { socket: SocketRecord }> = [];
  // Followed groups first, then every socket of the view (read from the helper: collapsed groups' rows are not held here).
  const groups = [...view.model.groups().filter((g) => g.kind === 'pinned'), { key: FLAT_GROUP, label: '' }];
  for (const g of groups) {
    for (const s of (await view.rowsOf(g.key, 2000)).items) {
      if ((s.netid !== 'tcp' && s.netid !== 'mptcp') || seen.has(s.cookie)) continue;
      seen.add(s.cookie);
      items.push({ label: socketLabel(s), description: [socketDescription(s), g.label].filter(Boolean).join(' · '), socket: s });
    }
  }
  if (!items.length) { void vscode.window.showWarningMessage('Sockscope: the Sockets view shows no TCP socket.'); return []; }
  const chosen = await vscode.window.showQuickPick(items, { canPickMany: true, matchOnDescription: true, title: 'Sockscope: Chart tcp_info', placeHolder: 'TCP sockets to chart (up to 16)' });
  return chosen?.map((c) => c.socket) ?? [];
}

type SocketArg = SocketNode | string | string[] | { cookie: string; skipConfirmation?: boolean } | undefined;

function describe(s: SocketRecord): string {
  const procs = s.processes?.length ? s.processes.map((p) => `${p.name} (pid ${p.pid})`).join(', ') : 'unknown process';
  return `${socketLabel(s)} [${s.state}] of ${procs}`;
}

function resolve(view: SocketsView, arg: SocketArg, selection?: readonly SocketNode[]): SocketRecord[] {
  if (typeof arg === 'string') arg = [arg];
  if (Array.isArray(arg)) return arg.map((c) => view.model.get(c)).filter((s): s is SocketRecord => !!s);
  if (arg && 'cookie' in arg && !('kind' in arg)) return [view.model.get(arg.cookie)].filter((s): s is SocketRecord => !!s);
  return view.socketsOf(arg as SocketNode | undefined, selection);
}

function one(view: SocketsView, arg: SocketArg): SocketRecord | undefined {
  const s = resolve(view, arg)[0];
  if (!s) void vscode.window.showWarningMessage('Sockscope: select a socket in the Sockets view first.');
  return s;
}

async function copy(text: string, what: string): Promise<string> {
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(`$(copy) Copied ${what}`, 3000);
  return text;
}

export const socketCommands = {
  'sockscope.filter': ({ view }) => async (text?: string) => {
    const value = typeof text === 'string' ? text : await showFilterInput(view.filter);
    if (value === undefined) return;
    try {
      await view.applyFilter(value);
    } catch (e) {
      void vscode.window.showErrorMessage(`Sockscope: ${e instanceof Error ? e.message : String(e)}`);
    }
  },

  'sockscope.clearFilter': ({ view }) => () => view.clearFilters(),

  'sockscope.filterExposedListeners': ({ view }) => () => view.setExposedOnly(true),

  'sockscope.groupByProcess': ({ view }) => () => view.setGroupBy('process'),

  'sockscope.groupByState': ({ view }) => () => view.setGroupBy('state'),

  'sockscope.groupByFlat': ({ view }) => () => view.setGroupBy('flat'),

  'sockscope.showMore': ({ view }) => (node: SocketNode) => view.provider.showMore(node),

  'sockscope.pickNamespace': ({ view, source }) => async (name?: string) => {
    let namespaces;
    try {
      namespaces = await source.listNamespaces();
    } catch (e) {
      void vscode.window.showErrorMessage(`Sockscope: cannot list network namespaces: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    // A container's namespace by the container (its name, else runtime and id), others by their first process.
    const place = (ns: NamespaceInfo): string | undefined => placeText(ns);
    const items = namespaces.map((ns) => ({
      label: ns.current ? '$(home) Host (helper\'s namespace)' : `$(vm) ${ns.name ?? (ns.container ? place(ns) : undefined) ?? `net:[${ns.inode}]`}`,
      description: ns.pid ? `pid ${ns.pid} ${ns.processLabel ?? ns.processName ?? ''}`.trim() : ns.name ? 'named netns' : '',
      detail: [`net:[${ns.inode}]`, place(ns)].filter(Boolean).join(' · '),
      ns,
    }));
    if (typeof name === 'string') {
      // Programmatic use: '' or 'host' for the helper's own namespace, else a netns name.
      const ns = namespaces.find((n) => (name === '' || name === 'host' ? n.current : n.name === name));
      if (!ns) throw new Error(`no network namespace named ${name}`);
      view.setNamespace(ns.current ? undefined : ns);
      return ns;
    }
    const pick = await vscode.window.showQuickPick(items, { title: 'Network namespace for the Sockets view', matchOnDescription: true, matchOnDetail: true });
    if (pick) view.setNamespace(pick.ns.current ? undefined : pick.ns);
    return pick?.ns;
  },

  'sockscope.chartTcpInfo': ({ view, charts }) => async (arg: SocketArg, selection?: SocketNode[]) => {
    // From the command palette (no socket given): pick TCP sockets of the view, followed ones first.
    const picked = arg === undefined && !selection?.length && !view.view.selection.length ? await pickTcpSockets(view) : undefined;
    if (picked && picked.length === 0) return undefined;
    const sockets = (picked ?? resolve(view, arg, selection)).filter((s) => s.netid === 'tcp' || s.netid === 'mptcp');
    if (!sockets.length) {
      void vscode.window.showWarningMessage('Sockscope: tcp_info charts need a TCP socket.');
      return undefined;
    }
    const panel = ChartPanel.show(charts, sockets.slice(0, 16), view.netns);
    return { cookies: panel.history.sockets.map((x) => x.cookie) };
  },

  'sockscope.copySsFilter': ({ view }) => async (arg: SocketArg) => {
    const s = one(view, arg);
    if (!s) return undefined;
    const filter = ssFilterFor(s, { netns: view.namespaceName });
    if (!filter) {
      void vscode.window.showWarningMessage(`Sockscope: ss has no filter that selects this ${s.netid} socket.`);
      return undefined;
    }
    return copy(filter, 'ss filter');
  },

  'sockscope.copyJson': ({ view }) => async (arg: SocketArg, selection?: SocketNode[]) => {
    const sockets = resolve(view, arg, selection);
    if (!sockets.length) return undefined;
    return copy(JSON.stringify(sockets.length === 1 ? sockets[0] : sockets, null, 2), 'socket as JSON');
  },

  'sockscope.filterToPort': ({ view }) => async (arg: SocketArg) => {
    const s = one(view, arg);
    const f = s && portFilterFor(s);
    if (f) await view.applyFilter(f);
    return f;
  },

  'sockscope.filterToPeer': ({ view }) => async (arg: SocketArg) => {
    const s = one(view, arg);
    const f = s && peerFilterFor(s);
    if (f) await view.applyFilter(f);
    else if (s) void vscode.window.showInformationMessage('Sockscope: this socket has no peer address.');
    return f;
  },

  'sockscope.revealProcess': ({ view }) => async (arg: SocketArg) => {
    const node = typeof arg === 'object' && arg && 'kind' in arg ? arg : undefined;
    const group = view.provider.groupOf(node);
    const procs = group?.pid ? [{ pid: group.pid, name: group.processName ?? '?' }] : one(view, arg)?.processes ?? [];
    if (!procs.length) {
      void vscode.window.showInformationMessage('Sockscope: the process holding this socket is not visible (run the helper as root to see every process).');
      return undefined;
    }
    const details = await Promise.all(procs.map((p) => processDetails(p.pid, p.name)));
    const text = details.map((d) => `${d.name} — pid ${d.pid}, user ${d.user ?? '?'} (uid ${d.uid ?? '?'})\n${d.commandLine ?? '(command line not readable)'}`).join('\n\n');
    const choice = await vscode.window.showInformationMessage(`Process: ${details.map((d) => `${d.name} (${d.pid})`).join(', ')}`, { modal: true, detail: text }, 'Copy Command Line', 'Show Only This Process');
    if (choice === 'Copy Command Line') await copy(details.map((d) => d.commandLine ?? '').join('\n'), 'command line');
    if (choice === 'Show Only This Process') view.showOnlyProcess(details[0].pid, `${details[0].name} (${details[0].pid})`);
    return details;
  },

  'sockscope.showOnlyProcess': ({ view }) => (arg: SocketArg) => {
    const node = typeof arg === 'object' && arg && 'kind' in arg ? arg : undefined;
    const g = view.provider.groupOf(node);
    const p = g?.pid !== undefined ? { pid: g.pid, name: g.processName ?? '' } : one(view, arg)?.processes?.[0];
    if (p) view.showOnlyProcess(p.pid, `${p.name} (${p.pid})`);
  },

  'sockscope.killSocket': ({ view, source, helper, output }) => async (arg: SocketArg) => {
    const s = one(view, arg);
    if (!s) return undefined;
    // Without CAP_NET_ADMIN the kernel refuses: offer root first rather than confirm and then fail.
    if (killNeedsRoot(helper.currentCapabilities)) {
      const choice = await vscode.window.showWarningMessage(
        `Killing ${socketLabel(s)} needs root: the Sockscope helper runs without CAP_NET_ADMIN.`,
        { modal: true, detail: `${SHOW_ALL_PROCESSES_ACTION} restarts the helper as root (you type your sudo password, or pkexec asks); then you confirm the kill.` },
        SHOW_ALL_PROCESSES_ACTION,
      );
      if (choice !== SHOW_ALL_PROCESSES_ACTION) return 'cancelled';
      if (!(await showAllProcesses(helper, output))) return 'cancelled';
    }
    const skip = typeof arg === 'object' && arg !== null && 'skipConfirmation' in arg && arg.skipConfirmation === true;
    if (!skip) {
      const ok = await vscode.window.showWarningMessage(
        `Kill socket ${socketLabel(s)}?`,
        { modal: true, detail: `${describe(s)}\n\nThe kernel closes it at once (SOCK_DESTROY, as ss -K); the process sees a reset/error on its next use.` },
        'Kill Socket',
      );
      if (ok !== 'Kill Socket') return 'cancelled';
    }
    const fail = (error: string): string => {
      const text = `Sockscope: cannot kill ${socketLabel(s)}: ${killErrorText(error)}`;
      if (isPermissionError(error) && !helper.currentCapabilities?.root) {
        void vscode.window.showErrorMessage(text, SHOW_ALL_PROCESSES_ACTION).then((c) => {
          if (c === SHOW_ALL_PROCESSES_ACTION) void showAllProcesses(helper, output);
        });
      } else {
        void vscode.window.showErrorMessage(text);
      }
      return error;
    };
    try {
      const r = await source.kill([s], view.netns);
      const failure = r.failed.find((f) => f.cookie === s.cookie) ?? r.failed[0];
      if (!failure) {
        void vscode.window.setStatusBarMessage(`$(close) Killed ${socketLabel(s)}`, 4000);
        view.refresh();
        return 'killed';
      }
      return fail(failure.error);
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
  },
} satisfies CommandFactories;
