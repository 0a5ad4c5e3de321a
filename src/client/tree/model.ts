// The Sockets view's data model, free of `vscode` so node:test exercises it directly.
// It keeps every socket by cookie, applies watch deltas, groups the visible sockets (by process,
// by state, or flat), and reports which groups changed so the tree refreshes only those.
import { STATE_NAMES, type SocketRecord, type StateName } from '../../protocol/socket-record';
import { recordKey } from '../../protocol/watch-state';
import type { SocketDelta } from './socket-source';
import { isExposedListener } from './model-exposure';
import { kindOf, type SocketKind } from './model-kinds';

export type GroupBy = 'process' | 'state' | 'flat';
export const GROUP_BYS: readonly GroupBy[] = ['process', 'state', 'flat'];

export const UNKNOWN_GROUP = 'p:unknown';
export const FLAT_GROUP = 'all';
export const UNKNOWN_PROCESS_LABEL = 'Unknown process (run as root to see)';
/**
 * With root the helper inspects every process it can: a socket left without one is held by the kernel
 * (TIME-WAIT, orphaned) or by a process hidden even from root, so "run as root" would be a wrong hint.
 */
export const NO_VISIBLE_PROCESS_LABEL = 'No visible process';

/** Filters applied in the extension host, on top of the ss filter the helper applies. */
export interface LocalFilter {
  kinds?: ReadonlySet<SocketKind>;
  states?: ReadonlySet<StateName>;
  exposedOnly?: boolean;
  pid?: number;
  /** Only these sockets (by cookie): a finding's evidence. */
  cookies?: ReadonlySet<string>;
}

export interface GroupInfo {
  key: string;
  kind: 'process' | 'unknown' | 'state' | 'flat';
  label: string;
  pid?: number;
  processName?: string;
  state?: StateName;
  count: number;
}

export interface ModelChange {
  /** Groups appeared or disappeared (or the grouping changed): refresh from the root. */
  structure: boolean;
  /** Groups whose count or members changed. */
  groups: string[];
  /** Visible socket counts changed (status bar). */
  counts: boolean;
}

const STATE_ORDER = new Map<string, number>(STATE_NAMES.map((s, i) => [s, i]));

export function compareSockets(a: SocketRecord, b: SocketRecord): number {
  return (
    cmp(a.netid, b.netid) ||
    (STATE_ORDER.get(a.state) ?? 99) - (STATE_ORDER.get(b.state) ?? 99) ||
    cmp(a.localAddress ?? '', b.localAddress ?? '') ||
    a.localPort - b.localPort ||
    cmp(a.peerAddress ?? '', b.peerAddress ?? '') ||
    a.peerPort - b.peerPort ||
    cmp(a.cookie, b.cookie)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Group {
  info: GroupInfo;
  members: Set<string>;
  sorted?: SocketRecord[];
}

export class SocketTreeModel {
  private readonly sockets = new Map<string, SocketRecord>();
  private readonly groupMap = new Map<string, Group>();
  private helperIsRoot = false;
  private groupBy: GroupBy;
  private filter: LocalFilter;
  private readonly stateCounts = new Map<StateName, number>();
  private visible = 0;

  constructor(groupBy: GroupBy = 'process', filter: LocalFilter = {}) {
    this.groupBy = groupBy;
    this.filter = filter;
  }

  get grouping(): GroupBy { return this.groupBy; }
  get localFilter(): LocalFilter { return this.filter; }
  /** Sockets known (before local filters). */
  get size(): number { return this.sockets.size; }
  /** Sockets shown (after local filters). */
  get visibleCount(): number { return this.visible; }

  /** A socket by its key (the cookie; see recordKey for sockets without one). */
  get(key: string): SocketRecord | undefined { return this.sockets.get(key); }

  setGrouping(groupBy: GroupBy): ModelChange {
    this.groupBy = groupBy;
    return this.rebuild();
  }

  setLocalFilter(filter: LocalFilter): ModelChange {
    this.filter = filter;
    return this.rebuild();
  }

  /** Forget everything (a new watch starts with a full snapshot in `added`). */
  clear(): ModelChange {
    this.sockets.clear();
    return this.rebuild();
  }

  isVisible(s: SocketRecord): boolean {
    const f = this.filter;
    if (f.kinds && !f.kinds.has(kindOf(s.netid))) return false;
    if (f.states && !f.states.has(s.state)) return false;
    if (f.exposedOnly && !isExposedListener(s)) return false;
    if (f.pid !== undefined && !(s.processes ?? []).some((p) => p.pid === f.pid)) return false;
    if (f.cookies && !f.cookies.has(s.cookie)) return false;
    return true;
  }

  applyDelta(delta: SocketDelta): ModelChange {
    const dirty = new Set<string>();
    let structure = false;
    let counts = false;
    const drop = (old: SocketRecord): void => {
      if (!this.isVisible(old)) return;
      counts = true;
      this.visible--;
      this.countState(old.state, -1);
      for (const key of this.groupKeys(old)) {
        const g = this.groupMap.get(key);
        if (!g) continue;
        g.members.delete(recordKey(old));
        g.info.count = g.members.size;
        g.sorted = undefined;
        dirty.add(key);
      }
    };
    const add = (s: SocketRecord): void => {
      if (!this.isVisible(s)) return;
      counts = true;
      this.visible++;
      this.countState(s.state, 1);
      for (const key of this.groupKeys(s)) {
        let g = this.groupMap.get(key);
        if (!g) { g = { info: this.groupInfo(key, s), members: new Set() }; this.groupMap.set(key, g); structure = true; }
        g.members.add(recordKey(s));
        g.info.count = g.members.size;
        g.sorted = undefined;
        dirty.add(key);
      }
    };
    for (const key of delta.removed) {
      const old = this.sockets.get(key);
      if (!old) continue;
      drop(old);
      this.sockets.delete(key);
    }
    for (const s of [...delta.added, ...delta.changed]) {
      const key = recordKey(s);
      const old = this.sockets.get(key);
      if (old) drop(old);
      this.sockets.set(key, s);
      add(s);
    }
    for (const key of dirty) {
      const g = this.groupMap.get(key);
      if (g && g.members.size === 0) { this.groupMap.delete(key); structure = true; }
    }
    return { structure, groups: [...dirty].filter((k) => this.groupMap.has(k)), counts };
  }

  /** Groups in display order; in flat mode, the single group holding every visible socket. */
  groups(): GroupInfo[] {
    const list = [...this.groupMap.values()].map((g) => g.info);
    if (this.groupBy === 'state') {
      list.sort((a, b) => (STATE_ORDER.get(a.state ?? '') ?? 99) - (STATE_ORDER.get(b.state ?? '') ?? 99));
    } else {
      list.sort((a, b) => {
        if (a.kind === 'unknown') return 1;
        if (b.kind === 'unknown') return -1;
        return cmp((a.processName ?? '').toLowerCase(), (b.processName ?? '').toLowerCase()) || (a.pid ?? 0) - (b.pid ?? 0);
      });
    }
    return list;
  }

  group(key: string): GroupInfo | undefined {
    return this.groupMap.get(key)?.info;
  }

  /** The first `limit` sockets of a group in display order, and how many it holds in all. */
  children(key: string, limit: number): { items: SocketRecord[]; total: number } {
    const g = this.groupMap.get(key);
    if (!g) return { items: [], total: 0 };
    if (!g.sorted) {
      g.sorted = [];
      for (const c of g.members) {
        const s = this.sockets.get(c);
        if (s) g.sorted.push(s);
      }
      g.sorted.sort(compareSockets);
    }
    return { items: g.sorted.slice(0, Math.max(0, limit)), total: g.sorted.length };
  }

  /** Visible socket counts by state, most frequent first. */
  countsByState(): Array<[StateName, number]> {
    return [...this.stateCounts.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
  }

  private countState(state: StateName, by: number): void {
    this.stateCounts.set(state, (this.stateCounts.get(state) ?? 0) + by);
  }

  private rebuild(): ModelChange {
    this.groupMap.clear();
    this.stateCounts.clear();
    this.visible = 0;
    const all = [...this.sockets.values()];
    this.sockets.clear();
    this.applyDelta({ added: all, removed: [], changed: [] });
    return { structure: true, groups: [], counts: true };
  }

  private groupKeys(s: SocketRecord): string[] {
    switch (this.groupBy) {
      case 'flat': return [FLAT_GROUP];
      case 'state': return [`s:${s.state}`];
      case 'process': {
        const procs = s.processes ?? [];
        if (!procs.length) return [UNKNOWN_GROUP];
        return [...new Set(procs.map((p) => `p:${p.pid}`))];
      }
    }
  }

  /** Whether the helper runs as root; decides how sockets without a process are labelled. */
  get privileged(): boolean { return this.helperIsRoot; }

  get unknownProcessLabel(): string { return this.helperIsRoot ? NO_VISIBLE_PROCESS_LABEL : UNKNOWN_PROCESS_LABEL; }

  setPrivileged(root: boolean): ModelChange {
    if (this.helperIsRoot === root) return { structure: false, groups: [], counts: false };
    this.helperIsRoot = root;
    const g = this.groupMap.get(UNKNOWN_GROUP);
    if (!g) return { structure: false, groups: [], counts: false };
    g.info = { ...g.info, label: this.unknownProcessLabel };
    return { structure: false, groups: [UNKNOWN_GROUP], counts: false };
  }

  private groupInfo(key: string, s: SocketRecord): GroupInfo {
    if (key === FLAT_GROUP) return { key, kind: 'flat', label: 'All sockets', count: 0 };
    if (key === UNKNOWN_GROUP) return { key, kind: 'unknown', label: this.unknownProcessLabel, count: 0 };
    if (key.startsWith('s:')) return { key, kind: 'state', label: s.state, state: s.state, count: 0 };
    const pid = Number(key.slice(2));
    const name = s.processes?.find((p) => p.pid === pid)?.name ?? '?';
    return { key, kind: 'process', label: `${name} (${pid})`, pid, processName: name, count: 0 };
  }
}
