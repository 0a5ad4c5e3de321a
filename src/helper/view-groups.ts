// One pass over a view's store: which sockets the view holds (its exposed/pid filters), the
// groups they fall in (by process, state or flat, plus pinned process sets) with their counts and
// labels, the counts by state, and the members of the groups someone expanded. Pure over the
// store and a process map, so unit tests drive it with synthetic sockets.
import { TCP_STATE } from '../fields/socket-states';
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
  /** The one pid holding the inode, -1 when several processes do (read byInode), 0 when none known. */
  pidOf(inode: number): number;
  /** A process's name (comm), for the group of a socket found by pidOf. */
  nameOf(pid: number): string | undefined;
  /** Inodes the map did not know, to look for on a budget (their processes show from the next refresh). */
  unknown(inodes: number[]): void;
  /** A number that changes whenever any socket's list of processes changes (a view's tally is kept while it holds). */
  generation: number;
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
const { LISTEN, CLOSE: UNCONN } = TCP_STATE;
const INET_NETIDS = new Set(['tcp', 'udp', 'raw', 'mptcp']);
const AF_INET = 2;
const AF_NETLINK = 16;
/** Kernel state numbers with a name: 0 (unknown), 1 (ESTAB) ... 13 (BOUND-INACTIVE). */
const STATE_TEXT_SIZE = STATE_NAMES.length + 1;
/** The store's state column is a byte. */
const STATE_SLOTS = 256;

/** Listening (LISTEN/UNCONN) inet socket bound to a wildcard address: reachable on every interface. */
export function isExposedSlot(store: SocketStore, slot: number): boolean {
  const st = store.state[slot];
  if (st !== LISTEN && st !== UNCONN) return false;
  if (!store.isInet(slot) || !INET_NETIDS.has(store.netidName(slot))) return false;
  // The local address bytes in place (no view object per socket): all zero is the wildcard.
  const addr = store.addr;
  const base = slot * 32;
  const n = store.family[slot] === AF_INET ? 4 : 16;
  for (let i = 0; i < n; i++) if (addr[base + i] !== 0) return false;
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

/**
 * A netlink socket of the kernel itself (port id 0, ss's `kernel`): no process holds it, so it is
 * not searched for (every namespace has a few; each would cost a search round of every process).
 */
function kernelOwned(store: SocketStore, slot: number): boolean {
  return store.family[slot] === AF_NETLINK && store.localPort[slot] === 0;
}

/** Whether a socket's holders include a pid of the set. */
function heldBy(holders: readonly ProcessRef[] | undefined, pids: ReadonlySet<number>): boolean {
  if (!holders) return false;
  for (let i = 0; i < holders.length; i++) if (pids.has(holders[i].pid)) return true;
  return false;
}

/**
 * What the loop over every socket found. It depends only on which sockets the store holds, their
 * states and their holders, so a view keeps it while the store's orderEpoch and the process map's
 * generation stay (view-session.ts), and an idle refresh does not walk 100,000 sockets again.
 */
export interface GroupTally {
  total: number;
  byState: Uint32Array;
  /** Sockets per pid (grouping by process), and the names the holders' lists gave. */
  byPid: Map<number, number>;
  names: Map<number, string>;
  pinCounts: number[];
  unknownCount: number;
  members: Map<string, number[]>;
  /** Inodes no known process holds (asked for again at each refresh while the tally is kept). */
  unknownInodes: number[];
}

/** The groups of the store: from `tally` when the caller kept one that still holds, else from a new walk. */
export function groupPass(store: SocketStore, o: GroupPassOptions, tally: GroupTally = tallyGroups(store, o)): GroupPass & { tally: GroupTally } {
  if (tally.unknownInodes.length) o.processes?.unknown(tally.unknownInodes);
  return { ...groupsOf(store, tally, o), tally };
}

/**
 * The loop runs over every socket, so it builds nothing per socket: holders by a typed lookup
 * (ProcessLookup.pidOf), counts by state in a typed array, wanted groups resolved to numbers (pid,
 * state) before the loop, and member lists only for those.
 */
function tallyGroups(store: SocketStore, o: GroupPassOptions): GroupTally {
  const byState = new Uint32Array(STATE_SLOTS);
  const byPid = new Map<number, number>();
  const names = new Map<number, string>();
  const pins = o.pinned.map((p) => ({ p, key: pinnedGroupKey(p.id), pids: new Set(p.pids), count: 0 }));
  const members = new Map<string, number[]>();
  for (const k of o.want) members.set(k, []);
  // Wanted groups by what the loop knows of a socket: its pid, its state, or none.
  const wantPid = new Map<number, number[]>();
  const wantState: (number[] | undefined)[] = [];
  let wantUnknown: number[] | undefined;
  let wantFlat: number[] | undefined;
  for (const [key, list] of members) {
    if (key === FLAT_GROUP) wantFlat = list;
    else if (key === UNKNOWN_GROUP) wantUnknown = list;
    else if (key.startsWith('p:')) { const pid = Number(key.slice(2)); if (Number.isInteger(pid)) wantPid.set(pid, list); }
    else if (key.startsWith('s:')) { for (let st = 0; st < STATE_TEXT_SIZE; st++) if (`s:${store.stateNameOf(st)}` === key) wantState[st] = list; }
  }
  const pinLists = pins.map((pin) => members.get(pin.key));
  let unknownCount = 0;
  let total = 0;
  const procs = o.processes;
  const byInode = procs?.byInode;
  const needProcs = o.groupBy === 'process' || pins.length > 0 || o.query.pid !== undefined;
  const unknownInodes: number[] = [];
  const end = store.end;
  const seen = store.seen;
  const states = store.state;
  const inodes = store.inode;
  const pidFilter = o.query.pid;
  const pidFilterSet = new Set(pidFilter === undefined ? [] : [pidFilter]);
  const exposedOnly = o.query.exposedOnly === true;
  const only = o.query.cookies ? new Set(o.query.cookies) : undefined;
  const groupBy = o.groupBy;
  for (let slot = 0; slot < end; slot++) {
    if (seen[slot] === 0) continue;
    if (exposedOnly && !isExposedSlot(store, slot)) continue;
    if (only && !only.has(store.key(slot))) continue;
    // The socket's holders: `pid` when one process holds it (a typed lookup), else `holders` (the
    // list, several processes) or neither (none known).
    let holders: ProcessRef[] | undefined;
    let pid = 0;
    if (needProcs && procs && byInode) {
      const inode = inodes[slot];
      if (inode) {
        const one = procs.pidOf(inode);
        if (one > 0) pid = one;
        else if (one < 0) holders = byInode.get(inode);
        if (pid === 0 && !holders?.length) {
          holders = undefined;
          if (!kernelOwned(store, slot)) unknownInodes.push(inode);
        }
      }
    }
    if (pidFilter !== undefined && !(pid !== 0 ? pid === pidFilter : heldBy(holders, pidFilterSet))) continue;
    total++;
    const st = states[slot];
    byState[st]++;
    for (let i = 0; i < pins.length; i++) {
      if (pid !== 0 ? pins[i].pids.has(pid) : heldBy(holders, pins[i].pids)) { pins[i].count++; pinLists[i]?.push(slot); }
    }
    if (groupBy === 'flat') {
      wantFlat?.push(slot);
    } else if (groupBy === 'state') {
      wantState[st]?.push(slot);
    } else if (groupBy === 'process') {
      if (pid !== 0) {
        const n = byPid.get(pid);
        byPid.set(pid, n === undefined ? 1 : n + 1);
        wantPid.get(pid)?.push(slot);
        continue;
      }
      if (!holders) { unknownCount++; wantUnknown?.push(slot); continue; }
      for (let i = 0; i < holders.length; i++) {
        const p = holders[i].pid;
        // A process holding the socket twice counts it once.
        let dup = false;
        for (let j = 0; j < i; j++) if (holders[j].pid === p) { dup = true; break; }
        if (dup) continue;
        const n = byPid.get(p);
        if (n === undefined) { byPid.set(p, 1); if (!names.has(p)) names.set(p, holders[i].name); } else byPid.set(p, n + 1);
        wantPid.get(p)?.push(slot);
      }
    }
  }
  return { total, byState, byPid, names, pinCounts: pins.map((pin) => pin.count), unknownCount, members, unknownInodes };
}

/** The groups, labels and state counts of a tally (labels are read again each time: a process may exec). */
function groupsOf(store: SocketStore, tally: GroupTally, o: GroupPassOptions): GroupPass {
  const { total, byState, byPid, names, unknownCount, members } = tally;
  const procs = o.processes;
  const groups: ViewGroup[] = o.pinned.map((p, i) => ({ key: pinnedGroupKey(p.id), kind: 'pinned' as const, label: p.label, count: tally.pinCounts[i] }));
  if (o.groupBy === 'flat') {
    groups.push({ key: FLAT_GROUP, kind: 'flat', label: 'All sockets', count: total });
  } else if (o.groupBy === 'state') {
    const list = [...byState.keys()].filter((st) => byState[st] > 0).map((st) => ({ name: store.stateNameOf(st), n: byState[st] }));
    list.sort((a, b) => (STATE_ORDER.get(a.name) ?? 99) - (STATE_ORDER.get(b.name) ?? 99));
    for (const { name, n } of list) groups.push({ key: `s:${name}`, kind: 'state', label: name, state: name, count: n });
  } else {
    const list = [...byPid.entries()].map(([pid, n]) => ({ pid, n, name: o.labelOf?.(pid) ?? names.get(pid) ?? procs?.nameOf(pid) ?? '?' }));
    list.sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()) || a.pid - b.pid);
    for (const { pid, n, name } of list) groups.push({ key: `p:${pid}`, kind: 'process', label: `${name} (${pid})`, pid, processName: name, count: n });
    if (unknownCount) groups.push({ key: UNKNOWN_GROUP, kind: 'unknown', label: o.root ? NO_VISIBLE_PROCESS_LABEL : UNKNOWN_PROCESS_LABEL, count: unknownCount });
  }
  const countList: Array<[StateName, number]> = [];
  for (let st = 0; st < byState.length; st++) if (byState[st] > 0) countList.push([store.stateNameOf(st), byState[st]]);
  countList.sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
  return { total, counts: countList, groups, members };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
