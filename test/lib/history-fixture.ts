// A recording written through the real writer (src/host/history/writer.ts), for the history views' tests
// and benchmark: `rows` closed connections spread over `spanMs`, listed by a refresh each second (fewer
// over long spans) while open, and listeners that stay; the per-state counts are those of what the refreshes
// listed, so the timeline and a moment's sockets agree. Batches of 50,000 keep memory flat at a million rows.
import { HistoryWriter } from '../../src/host/history/writer';
import { emptyBatch } from '../../src/host/history/batch';

export interface FixtureOptions {
  rows: number;
  /** The last refresh (ms); default now. */
  end?: number;
  /** How long the recording lasts (ms); default one hour. */
  spanMs?: number;
}

const COMMANDS = ['curl', 'nginx', 'postgres', 'node', 'python3', 'sshd', 'redis-server', 'java'];
/** Kernel states at the close: mostly TIME-WAIT and CLOSE (7), some FIN-WAIT/LAST-ACK. */
const FINAL = [6, 6, 6, 7, 7, 4, 9, 5];
const LISTEN = 10;
const LISTENERS = [443, 80, 5432, 6379];

export function buildLogRecording(path: string, o: FixtureOptions): { from: number; to: number; rows: number } {
  const end = o.end ?? Date.now();
  const span = o.spanMs ?? 3600_000;
  const from = end - span;
  // The refreshes: one each `step` seconds (one an hour's worth of points at most), ticks 0..last.
  const seconds = Math.max(1, Math.floor(span / 1000));
  const step = Math.max(1, Math.floor(seconds / 3600));
  const last = Math.floor(seconds / step);
  const tickAt = (j: number): number => from + j * step * 1000;
  // ESTAB sockets listed per process at each tick, as +1/-1 where a connection's listing starts and ends.
  const estab = COMMANDS.map(() => new Int32Array(last + 2));
  const w = new HistoryWriter(path, { retention: { maxAgeMs: 10 * 365 * 86400_000, maxBytes: 1e12 } });
  let id = w.nextId;
  const per = 50_000;
  for (let done = 0; done < o.rows; done += per) {
    const b = emptyBatch();
    for (let i = done; i < Math.min(o.rows, done + per); i++) {
      // Closes come in waves (the rate rises and falls by 30%), so the timeline has a shape.
      const u = i / o.rows;
      const closedAt = from + Math.floor(span * (u + (0.3 * Math.sin(6 * Math.PI * u)) / (6 * Math.PI)));
      const duration = 5 + ((i * 7919) % 120_000);
      const openedAt = Math.max(from - 60_000, closedAt - duration);
      const k = i % COMMANDS.length;
      const v6 = i % 7 === 0;
      // Listed by the refreshes between its open and its close; none for a connection shorter than the gap.
      const first = Math.max(0, Math.ceil((openedAt - from) / (step * 1000)));
      const lastSeen = Math.min(last, Math.floor((closedAt - from - 1) / (step * 1000)));
      const seen = first <= lastSeen;
      b.opened.push({
        id, netid: i % 11 === 0 ? 1 : 0, netns: null,
        localAddress: v6 ? '::1' : `10.0.${k}.1`, localPort: 20000 + (i % 40000),
        peerAddress: v6 ? '::1' : `192.168.${(i >> 8) % 250}.${i % 250}`, peerPort: [443, 80, 5432, 6379, 22][i % 5],
        pid: 1000 + k, command: COMMANDS[k], state: 1, openedAt, seenFrom: seen ? tickAt(first) : null,
      });
      if (seen) {
        b.gone.push([id, tickAt(lastSeen)]);
        estab[k][first]++;
        estab[k][lastSeen + 1]--;
      }
      b.closed.push({
        id, at: closedAt, by: i % 3 === 0 ? 2 : 1, state: FINAL[i % FINAL.length],
        bytesSent: (i * 2654435761) % 5_000_000, bytesReceived: (i * 40503) % 20_000_000, retrans: i % 17 === 0 ? i % 9 : 0,
      });
      id++;
    }
    w.write(b, 0);
  }
  // A listener in each of the first processes, listed from the start to the end.
  const listeners = emptyBatch();
  for (let k = 0; k < LISTENERS.length; k++) {
    listeners.opened.push({
      id: id++, netid: 0, netns: null, localAddress: '0.0.0.0', localPort: LISTENERS[k], peerAddress: '0.0.0.0', peerPort: 0,
      pid: 1000 + k, command: COMMANDS[k], state: LISTEN, openedAt: from - 3600_000, seenFrom: from,
    });
  }
  w.write(listeners, 0);
  // The counts of what the refreshes listed: every (pid, state) at full refreshes (every 60th), changes between.
  const running = new Int32Array(COMMANDS.length);
  let previous = new Map<string, number>();
  for (let done = 0; done <= last; done += 600) {
    const b = emptyBatch();
    for (let j = done; j <= Math.min(last, done + 599); j++) {
      const at = tickAt(j);
      const full = j % 60 === 0;
      const now = new Map<string, number>();
      for (let k = 0; k < COMMANDS.length; k++) {
        running[k] += estab[k][j];
        if (running[k] > 0 || previous.has(`${1000 + k}:1`)) now.set(`${1000 + k}:1`, running[k]);
        if (k < LISTENERS.length) now.set(`${1000 + k}:${LISTEN}`, 1);
      }
      let listed = 0;
      for (const [key, n] of now) {
        listed += n;
        if (full || previous.get(key) !== n) { const [pid, state] = key.split(':').map(Number); b.counts.push([at, pid, state, n]); }
      }
      b.ticks.push([at, listed, full ? 1 : 0]);
      previous = now;
    }
    w.write(b, 0);
  }
  w.close();
  return { from, to: tickAt(last), rows: o.rows };
}
