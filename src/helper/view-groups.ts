// One pass over a view's store: which sockets the view holds (its exposed/pid filters), the
// groups they fall in (by process, state or flat, plus pinned process sets) with their counts and
// labels, the counts by state, and the members of the groups someone expanded. Pure over the
// store and a process map, so unit tests drive it with synthetic sockets.
import type { ProcessRef, StateName } from '../protocol/socket-record';
import { STATE_NAMES } from '../protocol/socket-record';
import type { PinnedGroup, ViewGroup, ViewGroupBy, ViewQuery } from '../protocol/view-protocol';
import { FLAT_GROUP, NO_VISIBLE_PROCESS_LABEL, UNKNOWN_GROUP, UNKNOWN_PROCESS_LABEL, pinnedGroupKey } from '../protocol/view-protocol';
import type { SocketStore } from './socket-store';

/** What the pass needs from the helper's process map. */
export interface ProcessLookup {
  byInode: Map<number, ProcessRef[]>;
  /** Processes that could not be read. */
  unreadable: number;
  /** A number that changes when the socket's list of processes changes. */
  serialOf(inode: number): number;
  /** Inodes the map did not know, to look for on a budget (their processes show from the next refresh). */
  unknown(inodes: number[]): void;
}

export interface GroupPass {
  /** Sockets in the view. */
  total: number;
  counts: Array<[StateName, number]>;
  groups: ViewGroup[];
  /** Members (slots) of the requested groups, in slot order. */
  members: Map<string, number[]>;
}

const STATE_ORDER = new Map<string, number>(STATE_NAMES.map((s, i) => [s, i]));
const LISTEN = 10;
const UNCONN = 7;
const INET_NETIDS = new Set(['tcp', 'udp', 'raw', 'mptcp']);

/** Listening (LISTEN/UNCONN) inet socket bound to a wildcard address: reachable on every interface. */
export function isExposedSlot(store: SocketStore, slot: number): boolean {
  const st = store.state[slot];
  if (st !== LISTEN && st !== UNCONN) return false;
  if (!store.isInet(slot) || !INET_NETIDS.has(store.netidName(slot))) return false;
  const a = store.addressBytes(slot, 0);
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

export interface GroupPassOptions {
  groupBy: ViewGroupBy;
  query: ViewQuery;
  pinned: readonly PinnedGroup[];
  /** Group keys whose members to collect. */
  want: ReadonlySet<string>;
  /** Needed for process grouping, pinned groups and the pid filter. */
  processes: ProcessLookup | undefined;
  /** The helper runs as root (decides the unknown group's label). */
  root: boolean;
  /** What a process is (`node server.js`, host/process-identity.ts), for its group's label; else its comm. */
  labelOf?: (pid: number) => string | undefined;
}

export function groupPass(store: SocketStore, o: GroupPassOptions): GroupPass {
  const counts = new Map<number, number>();
  const byPid = new Map<number, number>();
  const names = new Map<number, string>();
  const pins = o.pinned.map((p) => ({ p, pids: new Set(p.pids), count: 0 }));
  const members = new Map<string, number[]>();
  for (const k of o.want) members.set(k, []);
  const want = (key: string, slot: number): void => { members.get(key)?.push(slot); };
  const byState = new Map<number, number>();
  let unknownCount = 0;
  let total = 0;
  const procs = o.processes;
  const needProcs = o.groupBy === 'process' || pins.length > 0 || o.query.pid !== undefined;
  const unknownInodes: number[] = [];
  const end = store.end;
  const pidFilter = o.query.pid;
  const only = o.query.cookies ? new Set(o.query.cookies) : undefined;
  const collectFlat = members.has(FLAT_GROUP);
  for (let slot = 0; slot < end; slot++) {
    if (!store.isLive(slot)) continue;
    if (o.query.exposedOnly && !isExposedSlot(store, slot)) continue;
    if (only && !only.has(store.key(slot))) continue;
    let holders: ProcessRef[] | undefined;
    if (needProcs && procs) {
      const inode = store.inode[slot];
      holders = inode ? procs.byInode.get(inode) : undefined;
      if (inode && holders === undefined) unknownInodes.push(inode);
    }
    if (pidFilter !== undefined && !(holders ?? []).some((h) => h.pid === pidFilter)) continue;
    total++;
    const st = store.state[slot];
    byState.set(st, (byState.get(st) ?? 0) + 1);
    for (const pin of pins) {
      if (holders?.some((h) => pin.pids.has(h.pid))) { pin.count++; want(pinnedGroupKey(pin.p.id), slot); }
    }
    switch (o.groupBy) {
      case 'flat':
        if (collectFlat) members.get(FLAT_GROUP)!.push(slot);
        break;
      case 'state':
        want(`s:${store.stateName(slot)}`, slot);
        break;
      case 'process': {
        if (!holders || holders.length === 0) { unknownCount++; want(UNKNOWN_GROUP, slot); break; }
        for (let i = 0; i < holders.length; i++) {
          const pid = holders[i].pid;
          // A process holding the socket twice counts it once.
          let dup = false;
          for (let j = 0; j < i; j++) if (holders[j].pid === pid) { dup = true; break; }
          if (dup) continue;
          byPid.set(pid, (byPid.get(pid) ?? 0) + 1);
          if (!names.has(pid)) names.set(pid, holders[i].name);
          want(`p:${pid}`, slot);
        }
        break;
      }
    }
  }
  if (unknownInodes.length) procs?.unknown(unknownInodes);

  const groups: ViewGroup[] = pins.map(({ p, count }) => ({ key: pinnedGroupKey(p.id), kind: 'pinned' as const, label: p.label, count }));
  if (o.groupBy === 'flat') {
    groups.push({ key: FLAT_GROUP, kind: 'flat', label: 'All sockets', count: total });
  } else if (o.groupBy === 'state') {
    const states = [...byState.entries()].map(([st, n]) => ({ name: store.stateNameOf(st), n }));
    states.sort((a, b) => (STATE_ORDER.get(a.name) ?? 99) - (STATE_ORDER.get(b.name) ?? 99));
    for (const { name, n } of states) groups.push({ key: `s:${name}`, kind: 'state', label: name, state: name, count: n });
  } else {
    const list = [...byPid.entries()].map(([pid, n]) => ({ pid, n, name: o.labelOf?.(pid) ?? names.get(pid) ?? '?' }));
    list.sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()) || a.pid - b.pid);
    for (const { pid, n, name } of list) groups.push({ key: `p:${pid}`, kind: 'process', label: `${name} (${pid})`, pid, processName: name, count: n });
    if (unknownCount) groups.push({ key: UNKNOWN_GROUP, kind: 'unknown', label: o.root ? NO_VISIBLE_PROCESS_LABEL : UNKNOWN_PROCESS_LABEL, count: unknownCount });
  }
  for (const c of byState) counts.set(c[0], c[1]);
  const countList = [...counts.entries()].map(([st, n]) => [store.stateNameOf(st), n] as [StateName, number]);
  countList.sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
  return { total, counts: countList, groups, members };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
