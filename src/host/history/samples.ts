// A recorded socket's tcp_info samples (`tcp_samples`: the charted and followed sockets, one row per
// refresh), oldest first, for `history/samples` and `sockscope log --samples`.
import type { HistorySamplesResult, TcpSample } from '../../protocol/history-requests';
import type { Recording } from './queries';

export function samplesOf(rec: Recording, socketId: number, since: number, until: number, limit: number): HistorySamplesResult {
  const total = rec.db.get<{ n: number }>('SELECT count(*) AS n FROM tcp_samples WHERE socket = ? AND at BETWEEN ? AND ?', [socketId, since, until]);
  const samples: TcpSample[] = [];
  for (const r of rec.db.iterate<{ at: number; info: string }>('SELECT at, info FROM tcp_samples WHERE socket = ? AND at BETWEEN ? AND ? ORDER BY at LIMIT ?', [socketId, since, until, limit])) {
    let info: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(r.info);
      info = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : {};
    } catch {
      // A row another tool wrote badly: its time is still a sample.
      info = {};
    }
    samples.push({ at: Number(r.at), info });
  }
  return { total: Number(total?.n ?? 0), samples };
}
