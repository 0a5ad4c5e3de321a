// The Sockets view's page source at a recorded moment ("Show Sockets at This Moment"): the same
// SocketSource the live view reads (src/client/tree/socket-source.ts), answering `openView` with
// the groups, counts and pages of the sockets a recording listed then (history/moment), built here
// as the helper's view builds them from the kernel. So the tree, its grouping, paging and group
// filters are the live view's own; only the data is from the past. Read only: no kill, no lookup of
// live sockets, no watches. No vscode import (unit tests drive it).
import { stateName, type MomentRow } from '../../protocol/history-requests';
import type { Capabilities, KillResult, NamespaceInfo, SocketKey } from '../../protocol/helper-protocol';
import type { SocketRecord, StateName } from '../../protocol/socket-record';
import {
  FLAT_GROUP, UNKNOWN_GROUP, type ViewChangedNotification, type ViewGroup, type ViewGroupBy, type ViewOpenParams, type ViewPage,
  type ViewPageRequest, type ViewQuery, type ViewRow, type ViewRowsResult, type ViewUpdateParams,
} from '../../protocol/view-protocol';
import type { OpenRecording } from './history-client';
import type { Disposable, SocketSource, ViewHandle } from '../tree/socket-source';

/** The label of the group of sockets no process was known for, in a recording. */
export const NO_RECORDED_PROCESS_LABEL = 'No recorded process';

const NO_RATES = { sendBps: null, recvBps: null, retransPerSec: null, rttUs: null } as const;

/** A recorded socket as the tree's record (no queues, no tcp_info: a recording keeps neither). */
export function momentRecord(r: MomentRow): SocketRecord {
  const v6 = (r.localAddress ?? '').includes(':') || (r.peerAddress ?? '').includes(':');
  return {
    netid: r.netid as SocketRecord['netid'], state: stateName(r.state) as StateName, family: v6 ? 'inet6' : 'inet',
    recvQ: 0, sendQ: 0, localAddress: r.localAddress, localPort: r.localPort, peerAddress: r.peerAddress, peerPort: r.peerPort,
    iface: null, inode: 0, uid: 0, cookie: r.id.toString(16),
    processes: r.pid === null ? [] : [{ pid: r.pid, name: r.command ?? '?', fd: 0 }],
  };
}

/** Numeric order of an address text (IPv4 as a number, IPv6 by its groups), for the address sort. */
function addressKey(a: string | null): string {
  if (a === null) return '';
  if (!a.includes(':')) return a.split('.').map((p) => p.padStart(3, '0')).join('.');
  const [head, tail = ''] = a.split('::');
  const h = head ? head.split(':') : [], t = tail ? tail.split(':') : [];
  const groups = [...h, ...new Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return 'z' + groups.map((g) => g.padStart(4, '0')).join(':');
}

/** The live view's address order: kind, state, local address and port, peer address and port. */
function compareRows(a: MomentRow, b: MomentRow): number {
  return a.netid.localeCompare(b.netid) || a.state - b.state
    || addressKey(a.localAddress).localeCompare(addressKey(b.localAddress)) || a.localPort - b.localPort
    || addressKey(a.peerAddress).localeCompare(addressKey(b.peerAddress)) || a.peerPort - b.peerPort || a.id - b.id;
}

export interface MomentSourceOptions {
  /** The live source, for what a moment does not change (capabilities, namespaces). */
  live: Pick<SocketSource, 'capabilities' | 'listNamespaces'>;
}

export class MomentSource implements SocketSource {
  /** The refresh shown (after the first answer). */
  shownAt: number | null = null;

  constructor(readonly recording: OpenRecording, readonly at: number, private readonly opts: MomentSourceOptions) {}

  openView(options: Omit<ViewOpenParams, 'viewId'>, onChanged: (n: ViewChangedNotification) => void, onError?: (err: Error) => void): ViewHandle {
    let state = { query: options.query, groupBy: options.groupBy, expanded: options.expanded ?? [] };
    let seq = 0;
    let disposed = false;
    let rows: Promise<MomentRow[]> | undefined;
    const filtered = new Map<string, Promise<Set<number>>>();
    const load = (): Promise<MomentRow[]> => (rows ??= this.load(state.query));
    const groupFilter = (text: string): Promise<Set<number>> => {
      let f = filtered.get(text);
      if (!f) {
        f = this.recording.moment({ at: this.at, filter: text }).then((m) => new Set(m.sockets.map((s) => s.id)));
        filtered.set(text, f);
      }
      return f;
    };
    const send = async (reset: boolean): Promise<number> => {
      const mine = ++seq;
      try {
        const all = await load();
        const n = await this.notification(all, state.groupBy, state.expanded, mine, reset, groupFilter);
        if (!disposed) onChanged(n);
      } catch (e) {
        if (!disposed) onError?.(e instanceof Error ? e : new Error(String(e)));
      }
      return mine;
    };
    void send(true);
    return {
      update: async (changes: Omit<ViewUpdateParams, 'viewId'>) => {
        let reset = false;
        if (changes.query) { state = { ...state, query: changes.query }; rows = undefined; reset = true; }
        if (changes.groupBy && changes.groupBy !== state.groupBy) { state = { ...state, groupBy: changes.groupBy }; }
        if (changes.expanded) state = { ...state, expanded: changes.expanded };
        return send(reset);
      },
      rows: async (page: ViewPageRequest): Promise<ViewRowsResult> => {
        const p = await this.page(await load(), state.groupBy, page, groupFilter);
        return { total: p.total, rows: p.rows };
      },
      dispose: () => { disposed = true; },
    };
  }

  private async load(query: ViewQuery): Promise<MomentRow[]> {
    const m = await this.recording.moment({ at: this.at, ...(query.filter ? { filter: query.filter } : {}) });
    this.shownAt = m.at;
    const netids = query.netids ? new Set<string>(query.netids) : null;
    const states = query.states ? new Set<string>(query.states) : null;
    return m.sockets
      .filter((s) => (!netids || netids.has(s.netid)) && (!states || states.has(stateName(s.state))) && (query.pid === undefined || s.pid === query.pid)
        && (!query.cookies || query.cookies.includes(s.id.toString(16))))
      .sort(compareRows);
  }

  private keyOf(r: MomentRow, groupBy: ViewGroupBy): string {
    if (groupBy === 'flat') return FLAT_GROUP;
    if (groupBy === 'state') return `s:${stateName(r.state)}`;
    return r.pid === null ? UNKNOWN_GROUP : `p:${r.pid}`;
  }

  private groups(all: MomentRow[], groupBy: ViewGroupBy): ViewGroup[] {
    if (groupBy === 'flat') return [{ key: FLAT_GROUP, kind: 'flat', label: 'All sockets', count: all.length }];
    const counts = new Map<string, { n: number; row: MomentRow }>();
    for (const r of all) {
      const k = this.keyOf(r, groupBy);
      const c = counts.get(k);
      if (c) c.n++; else counts.set(k, { n: 1, row: r });
    }
    const list = [...counts].sort((a, b) => (a[0] === UNKNOWN_GROUP ? 1 : 0) - (b[0] === UNKNOWN_GROUP ? 1 : 0) || b[1].n - a[1].n || a[0].localeCompare(b[0]));
    return list.map(([key, { n, row }]): ViewGroup => {
      if (groupBy === 'state') { const s = stateName(row.state) as StateName; return { key, kind: 'state', label: s, state: s, count: n }; }
      if (key === UNKNOWN_GROUP) return { key, kind: 'unknown', label: NO_RECORDED_PROCESS_LABEL, count: n };
      const name = row.command ?? '?';
      return { key, kind: 'process', label: `${name} (${row.pid})`, pid: row.pid!, processName: name, count: n };
    });
  }

  private async page(all: MomentRow[], groupBy: ViewGroupBy, req: ViewPageRequest, groupFilter: (t: string) => Promise<Set<number>>): Promise<ViewPage> {
    let members = req.group === FLAT_GROUP ? all : all.filter((r) => this.keyOf(r, groupBy) === req.group);
    let error: string | undefined;
    if (req.filter?.trim()) {
      try {
        const keep = await groupFilter(req.filter.trim());
        members = members.filter((r) => keep.has(r.id));
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        members = [];
      }
    }
    const slice = members.slice(req.offset, req.offset + req.limit);
    const rows: ViewRow[] = slice.map((r) => ({ id: r.id.toString(16), record: momentRecord(r), rates: { ...NO_RATES } }));
    return {
      group: req.group, offset: req.offset, limit: req.limit, ...(req.filter ? { filter: req.filter } : {}), total: members.length,
      ids: rows.map((r) => r.id), rows, ...(error ? { error } : {}),
    };
  }

  private async notification(all: MomentRow[], groupBy: ViewGroupBy, expanded: ViewPageRequest[], seq: number, reset: boolean,
    groupFilter: (t: string) => Promise<Set<number>>): Promise<ViewChangedNotification> {
    const byState = new Map<StateName, number>();
    for (const r of all) { const s = stateName(r.state) as StateName; byState.set(s, (byState.get(s) ?? 0) + 1); }
    return {
      viewId: 'history', seq, reset, total: all.length,
      counts: [...byState].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
      groups: this.groups(all, groupBy),
      pages: await Promise.all(expanded.map((p) => this.page(all, groupBy, p, groupFilter))),
      invisibleProcesses: 0,
    };
  }

  watch(): Disposable { return { dispose: () => undefined }; }
  /** A recorded socket has no live counterpart to read. */
  lookup(): Promise<SocketRecord | null> { return Promise.resolve(null); }
  kill(_keys: SocketKey[]): Promise<KillResult> { return Promise.reject(new Error('a recorded moment is read only: return to live to act on sockets')); }
  listNamespaces(): Promise<NamespaceInfo[]> { return this.opts.live.listNamespaces(); }
  capabilities(): Promise<Capabilities> { return this.opts.live.capabilities(); }
}
