// Follow commands: Follow Process… (a quick pick over running processes, searchable by command
// line, user and port), Show Sockets of This Terminal, Stop Following, and the unix-sockets toggle.
import * as vscode from 'vscode';
import type { CommandContext, CommandFactories } from '../commands/command-context';
import { followTerminal } from './debug-follow';
import { targetId } from './follow-targets';
import { commandLine, identityDescription } from './identity-text';
import { pinnedGroupKey as pinnedKey } from '../../protocol/view-protocol';

type ProcessItem = vscode.QuickPickItem & { pid: number };

async function pickProcess(ctx: CommandContext): Promise<ProcessItem | undefined> {
  if (!ctx.source.processes) return undefined;
  const qp = vscode.window.createQuickPick<ProcessItem>();
  qp.title = 'Sockscope: Follow Process';
  qp.placeholder = 'Type a command line, a user or a port';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  qp.show();
  try {
    const { processes } = await ctx.source.processes({ all: true });
    // Processes with listening ports first: they are what one usually follows.
    processes.sort((a, b) => Number(Boolean(b.ports?.length)) - Number(Boolean(a.ports?.length)) || b.startedAt - a.startedAt);
    qp.items = processes.map((p) => ({ label: p.label, description: identityDescription(p), detail: commandLine(p.cmdline), pid: p.pid }));
  } catch (e) {
    qp.hide();
    void vscode.window.showErrorMessage(`Sockscope: cannot list processes: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  qp.busy = false;
  return new Promise((resolve) => {
    qp.onDidAccept(() => { resolve(qp.selectedItems[0]); qp.hide(); });
    qp.onDidHide(() => { resolve(undefined); qp.dispose(); });
  });
}

/** A group key (`f:ID`) or tree node of a pinned group -> its target id. */
function targetOfArg(arg: unknown): string | undefined {
  const key = typeof arg === 'string' ? arg : (arg as { key?: unknown; groupKey?: unknown } | undefined)?.key ?? (arg as { groupKey?: unknown } | undefined)?.groupKey;
  return typeof key === 'string' && key.startsWith(pinnedKey('')) ? key.slice(pinnedKey('').length) : undefined;
}

export const followCommands = {
  /**
   * Follow Process…: a new group, or (from an empty session group's note) the process of that
   * session. With a pid argument (tests, other extensions) no picker is shown.
   */
  'sockscope.followProcess': (ctx) => async (arg?: unknown, pidArg?: number) => {
    const into = targetOfArg(arg);
    let pid = typeof arg === 'number' ? arg : pidArg;
    let label: string | undefined;
    if (pid === undefined) {
      const picked = await pickProcess(ctx);
      if (!picked) return undefined;
      pid = picked.pid;
      label = picked.label;
    }
    await vscode.commands.executeCommand('sockscope.sockets.focus');
    if (into && ctx.follow.targets.get(into)) { ctx.follow.targets.addRoot(into, pid); return into; }
    if (label === undefined) {
      const r = await ctx.source.processes?.({ pids: [pid] });
      if (!r || r.missing.includes(pid)) { void vscode.window.showErrorMessage(`Sockscope: no process with pid ${pid}`); return undefined; }
      label = r.processes[0]?.label ?? `pid ${pid}`;
    }
    const id = targetId('process', String(pid));
    ctx.follow.targets.add(id, 'process', `${label} (${pid})`, [pid]);
    return id;
  },

  'sockscope.followTerminal': (ctx) => async (arg?: unknown) => {
    const terminal = arg && typeof (arg as vscode.Terminal).sendText === 'function' ? (arg as vscode.Terminal) : vscode.window.activeTerminal;
    if (!terminal) { void vscode.window.showWarningMessage('Sockscope: no terminal is open.'); return undefined; }
    const id = await followTerminal(ctx.follow.targets, terminal);
    if (!id) { void vscode.window.showWarningMessage(`Sockscope: terminal "${terminal.name}" has no process.`); return undefined; }
    await vscode.commands.executeCommand('sockscope.sockets.focus');
    return id;
  },

  'sockscope.unfollow': (ctx) => (arg?: unknown) => {
    const id = targetOfArg(arg);
    if (id) ctx.follow.targets.remove(id);
  },

  'sockscope.showUnixSockets': ({ view }) => () => view.setUnixShown(true),
  'sockscope.hideUnixSockets': ({ view }) => () => view.setUnixShown(false),

  'sockscope.follow.snapshot': (ctx) => async () => {
    await ctx.follow.service.settle();
    return ctx.follow.targets.list().map((t) => ({ ...t, pids: (ctx.follow.service.trees.get(t.id) ?? []).map((p) => p.pid), group: pinnedKey(t.id) }));
  },
} satisfies CommandFactories;
