// The sockets of a recorded moment (after a filter), and what differs between two moments: what
// appeared, what went, what changed state. Sockets are the same socket when they have the same row.
import type { HistoryCompareResult, HistoryMomentResult, MomentRow, StateChange } from '../../protocol/history-requests';
import type { Recording } from './queries';
import type { RowMatch } from './row-filter';

export function momentOf(rec: Recording, at: number, match: RowMatch | null, limit: number): HistoryMomentResult {
  rec.refreshNames();
  const m = rec.socketsAt(at);
  const sockets = match ? m.sockets.filter(match) : m.sockets;
  return { at: m.at, total: sockets.length, sockets: sockets.length > limit ? sockets.slice(0, limit) : sockets };
}

/** `to` null: the recording's last refresh. */
export function compareMoments(rec: Recording, from: number, to: number | null, match: RowMatch | null, limit: number): HistoryCompareResult {
  const end = to ?? rec.span()?.to ?? from;
  const a = momentOf(rec, from, match, Infinity);
  const b = momentOf(rec, end, match, Infinity);
  const before = new Map<number, MomentRow>();
  for (const s of a.sockets) before.set(s.id, s);
  const appeared: MomentRow[] = [], changed: StateChange[] = [];
  for (const s of b.sockets) {
    const old = before.get(s.id);
    if (!old) appeared.push(s);
    else {
      if (old.state !== s.state) changed.push({ socket: s, before: old.state });
      before.delete(s.id);
    }
  }
  const went = [...before.values()];
  const truncated = appeared.length > limit || went.length > limit || changed.length > limit;
  return { fromAt: a.at, toAt: b.at, appeared: appeared.slice(0, limit), went: went.slice(0, limit), changed: changed.slice(0, limit), truncated };
}
