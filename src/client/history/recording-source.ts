// The HistorySource the two webviews use, over a recording open in the helper (OpenRecording of
// history-client.ts): the table's column ids become the helper's sort columns, kernel state numbers
// become ss's names, and a growing (live) recording's span is read again when asked.
import { stateName, type HistoryCompareResult, type LogSortColumn, type MomentRow, type RecordedProcess } from '../../protocol/history-requests';
import type { LogColumnId, LogTableRow, TimeRange } from '../../protocol/history-webview';
import type { OpenRecording } from './history-client';
import type { CompareResult, HistorySource, LogPageQuery, RecordedEnd } from './history-source';

/** Each column's sort in the helper: Process sorts by command name. */
export const SORT_COLUMN: Readonly<Record<LogColumnId, LogSortColumn>> = {
  process: 'command', netid: 'netid', local: 'localAddress', peer: 'peerAddress', opened: 'openedAt', closed: 'closedAt',
  duration: 'durationMs', sent: 'bytesSent', received: 'bytesReceived', retrans: 'retrans', state: 'state', closedBy: 'closedBy',
};

const end = (r: MomentRow): RecordedEnd => ({
  netid: r.netid, localAddress: r.localAddress, localPort: r.localPort, peerAddress: r.peerAddress, peerPort: r.peerPort,
  pid: r.pid, command: r.command, state: stateName(r.state),
});

/** The helper's comparison with ss's state names (the report's shape). */
export function compareResultOf(r: HistoryCompareResult): CompareResult {
  return {
    fromAt: r.fromAt, toAt: r.toAt, truncated: r.truncated,
    appeared: r.appeared.map(end), went: r.went.map(end),
    changed: r.changed.map((c) => ({ ...end(c.socket), before: stateName(c.before) })),
  };
}

export class RecordingSource implements HistorySource {
  /** `reopen`: the recording as its owner holds it now (for a live one, opened again: its span grew). */
  constructor(private rec: OpenRecording, readonly label: string, private readonly reopen: () => Promise<OpenRecording>) {}

  get recordingId(): string { return this.rec.id; }
  get path(): string { return this.rec.path; }

  private async use<T>(f: (r: OpenRecording) => Promise<T>): Promise<T> {
    try {
      return await f(this.rec);
    } catch (e) {
      if (!/no recording "/.test(e instanceof Error ? e.message : String(e))) throw e;
      this.rec = await this.reopen();
      return f(this.rec);
    }
  }

  async span(): Promise<TimeRange | null> {
    if (this.rec.info.live) this.rec = await this.reopen();
    const { from, to } = this.rec.info;
    return from === null || to === null ? null : { from, to };
  }

  async log(q: LogPageQuery): Promise<{ total: number; rows: LogTableRow[] }> {
    const r = await this.use((rec) => rec.log({
      ...(q.filter ? { filter: q.filter } : {}),
      ...(q.range.from !== null ? { since: Math.floor(q.range.from) } : {}),
      ...(q.range.to !== null ? { until: Math.floor(q.range.to) } : {}),
      sort: { column: SORT_COLUMN[q.sort.column], descending: q.sort.descending },
      offset: q.offset, limit: q.limit,
    }));
    return {
      total: r.total,
      rows: r.rows.map((x) => ({
        id: x.id, netid: x.netid, localAddress: x.localAddress, localPort: x.localPort, peerAddress: x.peerAddress, peerPort: x.peerPort,
        pid: x.pid, command: x.command, openedAt: x.openedAt, closedAt: x.closedAt, durationMs: x.durationMs,
        bytesSent: x.bytesSent, bytesReceived: x.bytesReceived, retrans: x.retrans, state: stateName(x.state), closedBy: x.closedBy,
      })),
    };
  }

  async timeline(q: Parameters<HistorySource['timeline']>[0]) {
    const scope = q.scope.kind === 'query' ? { kind: 'query' as const, filter: q.queryText ?? '' } : q.scope;
    const r = await this.use((rec) => rec.timeline({ from: Math.floor(q.range.from), to: Math.ceil(q.range.to), buckets: q.buckets, scope }));
    return { at: r.starts, states: r.series.map((s) => ({ state: s.name, counts: s.counts })) };
  }

  /** Every process the recording tied sockets to (not only those at its end), one entry per pid. */
  async processes(): Promise<RecordedProcess[]> {
    const { processes } = await this.use((rec) => rec.processes());
    const byPid = new Map<number, RecordedProcess>();
    for (const p of processes) {
      const seen = byPid.get(p.pid);
      // A pid another program reused: one choice (the timeline's scope is the pid), both names.
      if (!seen) byPid.set(p.pid, { ...p });
      else byPid.set(p.pid, {
        pid: p.pid, command: [seen.command, p.command].filter((c) => c !== null).join(' / ') || null,
        sockets: seen.sockets + p.sockets, from: Math.min(seen.from, p.from), to: Math.max(seen.to, p.to),
      });
    }
    return [...byPid.values()].sort((a, b) => (a.command ?? '').localeCompare(b.command ?? '') || a.pid - b.pid);
  }

  async samples(socketId: number): Promise<Array<{ at: number; info: Record<string, unknown> }>> {
    return (await this.use((rec) => rec.samples({ socketId }))).samples;
  }

}
