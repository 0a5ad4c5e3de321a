// Turns the followed targets into the Sockets view's pinned groups: after every view refresh (and
// whenever a target changes) one `processes` request with every target's root pids and their
// children gives the current process trees, and each target's group holds the sockets of its tree.
// At most one request is in flight; a change meanwhile asks for one more.
import type { ProcessesParams, ProcessesResult } from '../../protocol/helper-protocol';
import type { ProcessIdentity } from '../../protocol/process-identity';
import { pinnedGroupKey, type PinnedGroup } from '../../protocol/view-protocol';
import type { FollowTarget, FollowTargets } from './follow-targets';
import { identityTooltip, treesOf } from './identity-text';

export const FOLLOW_PROCESS_HINT = 'Follow Process…';

/** A pinned group for the helper (id, label, pids) and what the client shows with it. */
export interface FollowedGroup {
  group: PinnedGroup;
  /** Shown while the group is empty (no process reported, exited, root needed). */
  note: string;
  tooltip?: string;
}

export interface FollowView {
  setPinned(groups: PinnedGroup[], extras: ReadonlyMap<string, { pids: number[]; note?: string; tooltip?: string }>): unknown;
  onDidUpdate(listener: () => void): { dispose(): void };
}

export interface ProcessSource {
  processes?(params: ProcessesParams): Promise<ProcessesResult>;
}

/** The pinned group of one target, given its process tree now. */
export function pinnedGroupOf(t: FollowTarget, tree: readonly ProcessIdentity[]): FollowedGroup {
  const group: PinnedGroup = { id: t.id, label: t.label, pids: tree.map((p) => p.pid) };
  const hidden = tree.filter((p) => !p.socketsVisible);
  let note: string;
  if (t.roots.length === 0) {
    note = t.kind === 'debug' ? `The debugger reported no process: ${FOLLOW_PROCESS_HINT}` : `No process yet: ${FOLLOW_PROCESS_HINT}`;
  } else if (tree.length === 0) {
    note = 'Its process has exited';
  } else if (hidden.length) {
    const p = hidden[0];
    note = `pid ${p.pid} runs as ${p.user ?? `uid ${p.uid}`}: its sockets need root (Show All Processes)`;
  } else {
    note = `No sockets yet (${tree.length} process${tree.length === 1 ? '' : 'es'})`;
  }
  const out: FollowedGroup = { group, note };
  if (tree.length) {
    const shown = tree.slice(0, 4).map(identityTooltip).join('\n\n');
    out.tooltip = `${t.label}\n${tree.length} process${tree.length === 1 ? '' : 'es'}\n\n${shown}${tree.length > 4 ? `\n\n… and ${tree.length - 4} more` : ''}`;
  }
  return out;
}

export class FollowService {
  private busy = false;
  private again = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly subscriptions: Array<{ dispose(): void }> = [];
  /** The last trees, by target id (tests and the snapshot command read them). */
  readonly trees = new Map<string, ProcessIdentity[]>();
  private readonly resolved: Array<(pids: number[]) => void> = [];

  constructor(
    private readonly targets: FollowTargets,
    private readonly source: ProcessSource,
    private readonly view: FollowView,
    private readonly log: (message: string) => void,
    private readonly intervalMs: () => number,
  ) {
    this.subscriptions.push(targets.onDidChange(() => this.refresh()), view.onDidUpdate(() => this.refresh()));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    if (this.timer) clearInterval(this.timer);
  }

  /** Brings the pinned groups up to date (soon; coalesced). */
  refresh(): void {
    if (this.busy) { this.again = true; return; }
    this.busy = true;
    void this.resolve().finally(() => {
      this.busy = false;
      if (this.again) { this.again = false; this.refresh(); }
    });
  }

  /** After each resolve: every followed pid (the history records their sockets' tcp_info). */
  onDidResolve(listener: (pids: number[]) => void): { dispose(): void } {
    this.resolved.push(listener);
    return { dispose: () => { const i = this.resolved.indexOf(listener); if (i >= 0) this.resolved.splice(i, 1); } };
  }

  /** Resolves once the pinned groups reflect the targets as they are now. */
  async settle(): Promise<void> {
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
    await this.resolve();
  }

  private async resolve(): Promise<void> {
    const targets = this.targets.list();
    this.schedule(targets.length > 0);
    const roots = [...new Set(targets.flatMap((t) => t.roots))];
    let processes: ProcessIdentity[] = [];
    if (roots.length && this.source.processes) {
      try {
        processes = (await this.source.processes({ pids: roots, children: true })).processes;
      } catch (e) {
        this.log(`follow: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
    this.trees.clear();
    const followed = targets.map((t) => {
      const tree = treesOf(processes, t.roots);
      this.trees.set(t.id, tree);
      return pinnedGroupOf(t, tree);
    });
    const extras = new Map(followed.map((f) => [pinnedGroupKey(f.group.id), { pids: f.group.pids, note: f.note, ...(f.tooltip ? { tooltip: f.tooltip } : {}) }]));
    await this.view.setPinned(followed.map((f) => f.group), extras);
    const pids = followed.flatMap((f) => f.group.pids);
    for (const l of this.resolved) l(pids);
  }

  /** While anything is followed, trees are read at the view's refresh interval even when no socket changed. */
  private schedule(on: boolean): void {
    if (on && !this.timer) this.timer = setInterval(() => this.refresh(), Math.max(500, this.intervalMs()));
    else if (!on && this.timer) { clearInterval(this.timer); this.timer = undefined; }
  }
}
