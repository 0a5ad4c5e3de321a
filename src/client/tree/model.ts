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
}

export interface GroupInfo {
  key: string;
  kind: 'pinned' | 'process' | 'unknown' | 'state' | 'flat';
  label: string;
  pid?: number;
  processName?: string;
  state?: StateName;
  count: number;
  /** Pinned groups: a line shown when the group has no sockets, and its tooltip. */
  note?: string;
  tooltip?: string;
  /** Pinned groups: the processes it holds now. */
  pids?: number[];
}

/** A group of a set of processes shown first (a debug session, a task, a terminal, a followed process). */
export interface PinnedGroup {
  /** [A-Za-z0-9_.:-], unique among pinned groups. */
  id: string;
  label: string;
  pids: readonly number[];
  /** Shown instead of an empty group (no process reported yet, root needed, ...). */
  note?: string;
  tooltip?: string;
}

export const pinnedKey = (id: string): string => `f:${id}`;

/** What the view knows of a process beyond its comm: its label (`node server.js`) and tooltip. */
export interface ProcessLabel {
  label: string;
  tooltip?: string;
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

/** inet sockets before unix, packet and netlink ones: what a developer looks for first. */
function familyRank(s: SocketRecord): number {
  return s.family === 'inet' || s.family === 'inet6' ? 0 : s.family === 'unix' ? 1 : 2;
}

export function compareSockets(a: SocketRecord, b: SocketRecord): number {
  return (
    familyRank(a) - familyRank(b) ||
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
  /** Members that are inet sockets (groups with some come first). */
  inet: number;
}

interface Pin {
  spec: PinnedGroup;
  pids: Set<number>;
}

export class SocketTreeModel {
  private readonly sockets = new Map<string, SocketRecord>();
  private readonly groupMap = new Map<string, Group>();
  private helperIsRoot = false;
  private groupBy: GroupBy;
  private filter: LocalFilter;
  private readonly stateCounts = new Map<StateName, number>();
  private visible = 0;
  private pins: Pin[] = [];
  /** pid -> keys of the sockets it holds (every socket, filtered or not), for pinned groups. */
  private readonly byPid = new Map<number, Set<string>>();
  private readonly labels = new Map<number, ProcessLabel>();

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
      const inet = familyRank(old) === 0 ? 1 : 0;
      for (const key of this.groupKeys(old)) {
        const g = this.groupMap.get(key);
        if (!g) continue;
        if (g.members.delete(recordKey(old))) g.inet -= inet;
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
      const inet = familyRank(s) === 0 ? 1 : 0;
      for (const key of this.groupKeys(s)) {
        let g = this.groupMap.get(key);
        if (!g) { g = { info: this.groupInfo(key, s), members: new Set(), inet: 0 }; this.groupMap.set(key, g); structure = true; }
        const k = recordKey(s);
        if (!g.members.has(k)) { g.members.add(k); g.inet += inet; }
        g.info.count = g.members.size;
        g.sorted = undefined;
        dirty.add(key);
      }
    };
    for (const key of delta.removed) {
      const old = this.sockets.get(key);
      if (!old) continue;
      drop(old);
      this.index(old, key, false);
      this.sockets.delete(key);
    }
    for (const s of [...delta.added, ...delta.changed]) {
      const key = recordKey(s);
      const old = this.sockets.get(key);
      if (old) { drop(old); this.index(old, key, false); }
      this.sockets.set(key, s);
      this.index(s, key, true);
      add(s);
    }
    for (const key of dirty) {
      const g = this.groupMap.get(key);
      // Pinned groups stay while pinned, empty or not.
      if (g && g.members.size === 0 && g.info.kind !== 'pinned') { this.groupMap.delete(key); structure = true; }
    }
    return { structure, groups: [...dirty].filter((k) => this.groupMap.has(k)), counts };
  }

  private index(s: SocketRecord, key: string, add: boolean): void {
    for (const p of s.processes ?? []) {
      let set = this.byPid.get(p.pid);
      if (add) {
        if (!set) this.byPid.set(p.pid, (set = new Set()));
        set.add(key);
      } else if (set) {
        set.delete(key);
        if (set.size === 0) this.byPid.delete(p.pid);
      }
    }
  }

  /**
   * Groups in display order: pinned groups first (in the order given), then the grouping's own;
   * process groups holding inet sockets before those with only unix ones. In flat mode, the pinned
   * groups and the single group holding every visible socket.
   */
  groups(): GroupInfo[] {
    const pinned = this.pins.map((p) => this.groupMap.get(pinnedKey(p.spec.id))?.info).filter((g): g is GroupInfo => g !== undefined);
    const rest = [...this.groupMap.values()].filter((g) => g.info.kind !== 'pinned');
    if (this.groupBy === 'state') {
      rest.sort((a, b) => (STATE_ORDER.get(a.info.state ?? '') ?? 99) - (STATE_ORDER.get(b.info.state ?? '') ?? 99));
    } else {
      rest.sort((ga, gb) => {
        const a = ga.info, b = gb.info;
        if (a.kind === 'unknown') return 1;
        if (b.kind === 'unknown') return -1;
        return Number(gb.inet > 0) - Number(ga.inet > 0) ||
          cmp((a.processName ?? '').toLowerCase(), (b.processName ?? '').toLowerCase()) || (a.pid ?? 0) - (b.pid ?? 0);
      });
    }
    return [...pinned, ...rest.map((g) => g.info)];
  }

  /** Pinned groups in display order. */
  get pinned(): readonly PinnedGroup[] { return this.pins.map((p) => p.spec); }

  /**
   * Sets the pinned groups. Only groups whose processes, label or note changed are rebuilt (from
   * the pid index, not a pass over every socket).
   */
  setPinned(specs: readonly PinnedGroup[]): ModelChange {
    const before = new Map(this.pins.map((p) => [p.spec.id, p]));
    const next: Pin[] = [];
    const dirty: string[] = [];
    let structure = specs.length !== this.pins.length || specs.some((s, i) => this.pins[i]?.spec.id !== s.id);
    for (const spec of specs) {
      const old = before.get(spec.id);
      before.delete(spec.id);
      const pids = new Set(spec.pids);
      const samePids = old !== undefined && old.pids.size === pids.size && [...pids].every((p) => old.pids.has(p));
      const pin: Pin = { spec, pids };
      next.push(pin);
      if (old && samePids && old.spec.label === spec.label && old.spec.note === spec.note && old.spec.tooltip === spec.tooltip) { pin.pids = old.pids; continue; }
      const key = pinnedKey(spec.id);
      const g: Group = { info: { key, kind: 'pinned', label: spec.label, count: 0, pids: [...pids] }, members: new Set(), inet: 0 };
      if (spec.note !== undefined) g.info.note = spec.note;
      if (spec.tooltip !== undefined) g.info.tooltip = spec.tooltip;
      for (const pid of pids) {
        for (const k of this.byPid.get(pid) ?? []) {
          const sock = this.sockets.get(k);
          if (!sock || !this.isVisible(sock) || g.members.has(k)) continue;
          g.members.add(k);
          if (familyRank(sock) === 0) g.inet++;
        }
      }
      g.info.count = g.members.size;
      this.groupMap.set(key, g);
      dirty.push(key);
      if (!old) structure = true;
    }
    for (const gone of before.keys()) { this.groupMap.delete(pinnedKey(gone)); structure = true; }
    this.pins = next;
    return { structure, groups: dirty, counts: false };
  }

  /** Labels for process groups by pid (`node server.js (4242)`); a pid not given keeps its comm. */
  setProcessLabels(labels: ReadonlyMap<number, ProcessLabel>): ModelChange {
    const groups: string[] = [];
    for (const [pid, l] of labels) {
      const old = this.labels.get(pid);
      if (old && old.label === l.label && old.tooltip === l.tooltip) continue;
      this.labels.set(pid, l);
      const g = this.groupMap.get(`p:${pid}`);
      if (g) { g.info = { ...g.info, label: `${l.label} (${pid})`, processName: l.label, ...(l.tooltip ? { tooltip: l.tooltip } : {}) }; groups.push(g.info.key); }
    }
    return { structure: groups.length > 0, groups, counts: false };
  }

  /** Pids of process groups, for the view to ask the helper what they are. */
  processPids(): number[] {
    const out: number[] = [];
    for (const g of this.groupMap.values()) if (g.info.kind === 'process' && g.info.pid !== undefined) out.push(g.info.pid);
    return out;
  }

  /** Forgets labels of processes no group shows (pids are reused). */
  pruneLabels(): void {
    for (const pid of this.labels.keys()) if (!this.groupMap.has(`p:${pid}`)) this.labels.delete(pid);
  }

  hasLabel(pid: number): boolean { return this.labels.has(pid); }

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
    this.byPid.clear();
    this.visible = 0;
    const all = [...this.sockets.values()];
    this.sockets.clear();
    const pins = this.pins.map((p) => p.spec);
    this.pins = [];
    this.applyDelta({ added: all, removed: [], changed: [] });
    this.setPinned(pins);
    return { structure: true, groups: [], counts: true };
  }

  private groupKeys(s: SocketRecord): string[] {
    const keys = this.ownGroupKeys(s);
    if (this.pins.length === 0) return keys;
    for (const pin of this.pins) if ((s.processes ?? []).some((p) => pin.pids.has(p.pid))) keys.push(pinnedKey(pin.spec.id));
    return keys;
  }

  private ownGroupKeys(s: SocketRecord): string[] {
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
    if (key.startsWith('f:')) return { key, kind: 'pinned', label: key.slice(2), count: 0 };
    const pid = Number(key.slice(2));
    const known = this.labels.get(pid);
    if (known) return { key, kind: 'process', label: `${known.label} (${pid})`, pid, processName: known.label, count: 0, ...(known.tooltip ? { tooltip: known.tooltip } : {}) };
    const name = s.processes?.find((p) => p.pid === pid)?.name ?? '?';
    return { key, kind: 'process', label: `${name} (${pid})`, pid, processName: name, count: 0 };
  }
}
