// Socket counts by state over a time range, in equal buckets (what a stacked chart draws): each
// bucket shows the counts of its last refresh. For the whole namespace or a process they come from
// the `counts` table; for a query (the ss filter language) from the sockets themselves, swept once in
// time order: each socket's life is cut into intervals of one state, the intervals that match the
// query add one at their start and take it off after their end, and the counts are read at each
// bucket's refresh. O(sockets log sockets), not sockets x buckets.
import { stateName, type HistoryTimelineResult, type TimelineSeries } from '../../protocol/history-requests';
import type { Recording } from './queries';
import type { RowMatch } from './row-filter';
import { NETIDS } from './schema';

export interface BucketSpec { from: number; to: number; buckets: number }

interface Buckets { bucketMs: number; starts: number[]; at: (number | null)[] }

/** The buckets of [from, to] and the last refresh in each. */
function bucketsOf(rec: Recording, spec: BucketSpec): Buckets {
  const span = Math.max(1, spec.to - spec.from + 1);
  const bucketMs = Math.max(1, Math.ceil(span / spec.buckets));
  const n = Math.max(1, Math.ceil(span / bucketMs));
  const starts = Array.from({ length: n }, (_, i) => spec.from + i * bucketMs);
  const at: (number | null)[] = new Array<number | null>(n).fill(null);
  for (const r of rec.db.iterate<{ at: number }>('SELECT at FROM ticks WHERE at >= ? AND at <= ? ORDER BY at', [spec.from, spec.to])) {
    const t = Number(r.at);
    at[Math.min(n - 1, Math.floor((t - spec.from) / bucketMs))] = t;
  }
  return { bucketMs, starts, at };
}

function result(spec: BucketSpec, b: Buckets, byState: Map<number, number[]>): HistoryTimelineResult {
  const series: TimelineSeries[] = [...byState].map(([state, counts]) => ({ state, name: stateName(state), counts }));
  const sum = (s: TimelineSeries): number => s.counts.reduce((a, c) => a + c, 0);
  series.sort((a, c) => sum(c) - sum(a) || a.state - c.state);
  return { from: spec.from, to: spec.to, bucketMs: b.bucketMs, starts: b.starts, at: b.at, series };
}

/** Counts from the counts table: every process, or one pid (0: sockets of no known process). */
export function timelineOfCounts(rec: Recording, spec: BucketSpec, pid?: number): HistoryTimelineResult {
  const b = bucketsOf(rec, spec);
  const t = rec.timeline(spec.from, spec.to, pid);
  const index = new Map<number, number>();
  t.at.forEach((at, i) => index.set(at, i));
  const byState = new Map<number, number[]>();
  for (const [state, series] of t.byState) {
    const counts = b.at.map((at) => (at === null ? 0 : series[index.get(at) ?? -1] ?? 0));
    if (counts.some((c) => c > 0)) byState.set(state, counts);
  }
  return result(spec, b, byState);
}

/** Counts of the sockets a query matches (its state words and expression, with each socket's state then). */
export function timelineOfQuery(rec: Recording, spec: BucketSpec, match: RowMatch | null): HistoryTimelineResult {
  const b = bucketsOf(rec, spec);
  rec.refreshNames();
  const overlap = 'seen_from IS NOT NULL AND seen_from <= ?2 AND (seen_to IS NULL OR seen_to >= ?1)';
  const changes = new Map<number, { at: number; state: number }[]>();
  for (const c of rec.db.iterate<{ socket: number; at: number; state: number }>(
    `SELECT c.socket, c.at, c.state FROM state_changes c JOIN sockets s ON s.id = c.socket WHERE ${overlap.replace(/seen_/g, 's.seen_')} ORDER BY c.socket, c.at`, [spec.from, spec.to])) {
    const id = Number(c.socket);
    let list = changes.get(id);
    if (!list) changes.set(id, (list = []));
    list.push({ at: Number(c.at), state: Number(c.state) });
  }
  // [time, state, +1 | -1]: +1 from the interval's start, -1 from just after its end.
  const events: [number, number, number][] = [];
  for (const r of rec.db.iterate<Record<string, number | null>>(
    `SELECT id, netid, local_addr, local_port, peer_addr, peer_port, first_state, seen_from, seen_to FROM sockets WHERE ${overlap}`, [spec.from, spec.to])) {
    const row = {
      netid: NETIDS[Number(r.netid)] ?? 'tcp', state: Number(r.first_state),
      localAddress: rec.name(r.local_addr), localPort: Number(r.local_port), peerAddress: rec.name(r.peer_addr), peerPort: Number(r.peer_port),
    };
    const seenFrom = Number(r.seen_from), seenTo = r.seen_to === null ? Infinity : Number(r.seen_to);
    const steps = [{ at: -Infinity, state: row.state }, ...(changes.get(Number(r.id)) ?? [])];
    for (let i = 0; i < steps.length; i++) {
      const start = Math.max(seenFrom, steps[i].at);
      const end = Math.min(seenTo, i + 1 < steps.length ? steps[i + 1].at - 1 : Infinity);
      if (start > end) continue;
      row.state = steps[i].state;
      if (match && !match(row)) continue;
      events.push([start, row.state, 1]);
      if (end !== Infinity) events.push([end + 1, row.state, -1]);
    }
  }
  events.sort((x, y) => x[0] - y[0]);
  const live = new Map<number, number>();
  const byState = new Map<number, number[]>();
  let e = 0;
  b.at.forEach((at, i) => {
    if (at === null) return;
    for (; e < events.length && events[e][0] <= at; e++) live.set(events[e][1], (live.get(events[e][1]) ?? 0) + events[e][2]);
    for (const [state, n] of live) {
      if (n === 0) continue;
      let counts = byState.get(state);
      if (!counts) byState.set(state, (counts = new Array<number>(b.at.length).fill(0)));
      counts[i] = n;
    }
  });
  return result(spec, b, byState);
}
