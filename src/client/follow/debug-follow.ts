// Follows what VS Code runs: debug sessions (any debugger), tasks and terminals, as FollowTargets.
//
// A debug session's process comes from what its adapter says (a DebugAdapterTracker on every
// adapter): the DAP `process` event's `systemProcessId`, the answer to a `runInTerminal` request
// (the terminal's processId / shellProcessId; its process tree holds the program), an attach
// configuration's `processId`, or the owner of the inspector port it attaches to (js-debug's
// session for a process attached by port is `Remote Process [0]`, no pid). The built-in JavaScript debugger runs each Node process as a child
// session named `file.js [PID]`: their pids go to the top-level session's group, labelled with the
// launch configuration's name. When the top-level session ends, its group goes.
import * as vscode from 'vscode';
import { attachTarget } from './attach-target';
import { childSessionPid, targetId, type FollowTargets } from './follow-targets';

/** The top-level session a (child) session belongs to. */
function rootOf(session: vscode.DebugSession): vscode.DebugSession {
  let s = session;
  while (s.parentSession) s = s.parentSession;
  return s;
}

const idOf = (session: vscode.DebugSession): string => targetId('debug', rootOf(session).id);

function pidOf(v: unknown): number | undefined {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

interface DapMessage {
  type?: string;
  event?: string;
  command?: string;
  success?: boolean;
  body?: { systemProcessId?: unknown; processId?: unknown; shellProcessId?: unknown };
}

/** The pid of the process listening on a local port (the helper's process map), if any. */
export type PortOwner = (port: number) => Promise<number | undefined>;

/** Tries a few times: the session may start before the helper's answer, the port is already open. */
const OWNER_TRIES = 3;
const OWNER_RETRY_MS = 1000;

export function followDebugSessions(targets: FollowTargets, log: (m: string) => void, portOwner?: PortOwner): vscode.Disposable {
  /** Top-level sessions that ended (a late message of theirs must not bring the group back). */
  const ended = new Set<string>();
  const found = (session: vscode.DebugSession, pid: number | undefined, how: string): void => {
    if (pid === undefined) return;
    const id = idOf(session);
    if (ended.has(id)) return;
    // The answer to runInTerminal comes during the launch request, before onDidStartDebugSession.
    if (!targets.get(id)) add(session);
    log(`follow: ${rootOf(session).name}: pid ${pid} (${how})`);
    targets.addRoot(id, pid);
  };
  const add = (session: vscode.DebugSession): void => {
    const root = rootOf(session);
    targets.add(idOf(session), 'debug', root.configuration.name || root.name);
  };
  const start = (session: vscode.DebugSession): void => {
    add(session);
    if (!session.parentSession) attached(session);
    if (session.parentSession) found(session, childSessionPid((session.configuration as { name?: string }).name, session.name), 'child session');
  };
  const attached = (session: vscode.DebugSession): void => {
    const target = attachTarget(session.configuration);
    if (target.pid !== undefined) found(session, target.pid, 'attach configuration');
    const port = target.port;
    if (port === undefined || !portOwner) return;
    void (async () => {
      for (let i = 0; i < OWNER_TRIES && !ended.has(idOf(session)); i++) {
        if (i) await new Promise((r) => setTimeout(r, OWNER_RETRY_MS));
        try {
          const pid = await portOwner(port);
          if (pid !== undefined) { found(session, pid, `inspector port ${port}`); return; }
        } catch (e) {
          log(`follow: ${session.name}: port ${port}: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
      }
      log(`follow: ${session.name}: no process listens on port ${port} here`);
    })();
  };
  const tracker: vscode.DebugAdapterTrackerFactory = {
    createDebugAdapterTracker(session) {
      return {
        onDidSendMessage(m: DapMessage) {
          if (m.type === 'event' && m.event === 'process') found(session, pidOf(m.body?.systemProcessId), 'process event');
        },
        onWillReceiveMessage(m: DapMessage) {
          // VS Code's answer to the adapter's runInTerminal request.
          if (m.type === 'response' && m.command === 'runInTerminal' && m.success !== false) {
            found(session, pidOf(m.body?.processId) ?? pidOf(m.body?.shellProcessId), 'runInTerminal');
          }
        },
      };
    },
  };
  for (const s of [vscode.debug.activeDebugSession].filter((x): x is vscode.DebugSession => x !== undefined)) start(s);
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterTrackerFactory('*', tracker),
    vscode.debug.onDidStartDebugSession(start),
    // A renamed child session (js-debug names it once the process is known).
    vscode.debug.onDidChangeActiveDebugSession((s) => { if (s?.parentSession) start(s); }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.parentSession) return;
      ended.add(idOf(s));
      targets.remove(idOf(s));
    }),
  );
}

export function followTasks(targets: FollowTargets): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.tasks.onDidStartTaskProcess((e) => targets.add(targetId('task', `${e.execution.task.name}:${e.processId}`), 'task', `Task: ${e.execution.task.name}`, [e.processId])),
    vscode.tasks.onDidEndTaskProcess((e) => {
      for (const t of targets.list()) if (t.kind === 'task' && t.id.startsWith(targetId('task', `${e.execution.task.name}:`))) targets.remove(t.id);
    }),
  );
}

/** Follows a terminal's shell and everything started in it, until the terminal closes. */
export async function followTerminal(targets: FollowTargets, terminal: vscode.Terminal): Promise<string | undefined> {
  const pid = await terminal.processId;
  if (!pid) return undefined;
  const id = targetId('terminal', String(pid));
  targets.add(id, 'terminal', `Terminal: ${terminal.name}`, [pid]);
  return id;
}

export function unfollowClosedTerminals(targets: FollowTargets): vscode.Disposable {
  return vscode.window.onDidCloseTerminal(async (t) => {
    const pid = await t.processId;
    if (pid) targets.remove(targetId('terminal', String(pid)));
  });
}
