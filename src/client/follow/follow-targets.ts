// What the Sockets view follows: debug sessions, tasks, terminals and picked processes, each a
// set of root pids whose process trees make one pinned group at the top of the view. Pure (no
// vscode): the sources (debug-follow.ts, follow-commands.ts) add and remove targets, the
// FollowService turns them into pinned groups every refresh.

export type FollowKind = 'debug' | 'task' | 'terminal' | 'process';

export interface FollowTarget {
  /** Unique, [A-Za-z0-9_.:-]. */
  id: string;
  kind: FollowKind;
  /** The group's label: the launch configuration's name, `Task: build`, `Terminal: bash`, a process label. */
  label: string;
  /** The processes whose trees are followed; empty until the debugger reports one. */
  roots: number[];
  /** When it was added (several sessions: oldest first). */
  since: number;
}

export class FollowTargets {
  private readonly targets = new Map<string, FollowTarget>();
  private readonly listeners = new Set<() => void>();
  private seq = 0;

  list(): FollowTarget[] {
    return [...this.targets.values()].sort((a, b) => a.since - b.since);
  }

  get(id: string): FollowTarget | undefined {
    return this.targets.get(id);
  }

  /** Adds a target, or updates its label; keeps roots already known. */
  add(id: string, kind: FollowKind, label: string, roots: number[] = []): FollowTarget {
    const known = this.targets.get(id);
    if (known) {
      known.label = label;
      for (const r of roots) if (!known.roots.includes(r)) known.roots.push(r);
      this.changed();
      return known;
    }
    const t: FollowTarget = { id, kind, label, roots: [...new Set(roots)], since: ++this.seq };
    this.targets.set(id, t);
    this.changed();
    return t;
  }

  /** Adds a root pid to a target (a debugger's `process` event, a terminal's shell). */
  addRoot(id: string, pid: number): void {
    const t = this.targets.get(id);
    if (!t || t.roots.includes(pid) || !Number.isSafeInteger(pid) || pid < 1) return;
    t.roots.push(pid);
    this.changed();
  }

  remove(id: string): void {
    if (this.targets.delete(id)) this.changed();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

/** A group id from any text: the characters the view allows. */
export function targetId(kind: FollowKind, text: string): string {
  return `${kind}:${text.replace(/[^A-Za-z0-9_.:-]/g, '_')}`.slice(0, 64);
}

/**
 * The pid in a child debug session's name: js-debug names each Node process's session
 * `server.js [4242]` (or `[4242]`) in its configuration; VS Code's session name may carry a
 * suffix (`server.js [4242] « Follow demo` for the first child), so the configuration's name is
 * read first and the session's name only as a fallback, the pid anywhere in it.
 */
export function childSessionPid(configurationName: string | undefined, sessionName: string): number | undefined {
  for (const text of [configurationName, sessionName]) {
    const m = text ? /\[(\d{1,10})\]/.exec(text) : null;
    const pid = m ? Number(m[1]) : NaN;
    if (Number.isSafeInteger(pid) && pid > 0) return pid;
  }
  return undefined;
}
