// The processes a recording tied sockets to, over the whole recording (`history/processes`): what the
// timeline's process picker lists, so a process that exited before the recording's end, or one on
// the machine another recording came from, can still be chosen. A pid another program reused is one
// entry per command; the busiest first.
import type { HistoryProcessesResult, RecordedProcess } from '../../protocol/history-requests';
import type { Recording } from './queries';

export function recordedProcesses(rec: Recording, limit: number): HistoryProcessesResult {
  const end = rec.db.get<{ at: number | null }>('SELECT max(at) AS at FROM ticks')?.at ?? null;
  const rows = rec.db.all<{ pid: number; command: string | null; n: number; opened: number; last: number | null }>(
    `SELECT s.pid AS pid, c.text AS command, count(*) AS n, min(s.opened_at) AS opened,
       max(coalesce(s.closed_at, s.seen_to, ?)) AS last
     FROM sockets s LEFT JOIN names c ON c.id = s.command
     WHERE s.pid IS NOT NULL AND s.pid > 0
     GROUP BY s.pid, s.command
     ORDER BY n DESC, s.pid`, [end]);
  const processes: RecordedProcess[] = rows.slice(0, limit).map((r) => {
    const from = Number(r.opened);
    return { pid: Number(r.pid), command: r.command, sockets: Number(r.n), from, to: r.last === null ? from : Math.max(from, Number(r.last)) };
  });
  return { total: rows.length, processes };
}
