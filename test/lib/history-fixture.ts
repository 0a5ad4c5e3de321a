// A recording written through the real writer (src/host/history/writer.ts), for the history views' tests
// and benchmark: `rows` closed connections spread over `spanMs`, with a refresh each second and per-state
// counts that rise and fall, so the log table and the timeline have something to show. Batches of 50,000
// keep memory flat at a million rows.
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

export function buildLogRecording(path: string, o: FixtureOptions): { from: number; to: number; rows: number } {
  const end = o.end ?? Date.now();
  const span = o.spanMs ?? 3600_000;
  const from = end - span;
  const w = new HistoryWriter(path, { retention: { maxAgeMs: 10 * 365 * 86400_000, maxBytes: 1e12 } });
  let id = w.nextId;
  const per = 50_000;
  for (let done = 0; done < o.rows; done += per) {
    const b = emptyBatch();
    for (let i = done; i < Math.min(o.rows, done + per); i++) {
      const closedAt = from + Math.floor((i / o.rows) * span);
      const duration = 5 + ((i * 7919) % 120_000);
      const k = i % COMMANDS.length;
      const v6 = i % 7 === 0;
      b.opened.push({
        id, netid: i % 11 === 0 ? 1 : 0, netns: null,
        localAddress: v6 ? '::1' : `10.0.${k}.1`, localPort: 20000 + (i % 40000),
        peerAddress: v6 ? '::1' : `192.168.${(i >> 8) % 250}.${i % 250}`, peerPort: [443, 80, 5432, 6379, 22][i % 5],
        pid: 1000 + k, command: COMMANDS[k], state: 1, openedAt: Math.max(from - 60_000, closedAt - duration), seenFrom: null,
      });
      b.closed.push({
        id, at: closedAt, by: i % 3 === 0 ? 2 : 1, state: FINAL[i % FINAL.length],
        bytesSent: (i * 2654435761) % 5_000_000, bytesReceived: (i * 40503) % 20_000_000, retrans: i % 17 === 0 ? i % 9 : 0,
      });
      id++;
    }
    w.write(b, 0);
  }
  // A refresh each second with every (pid, state) count at full refreshes (every 60th) and changes between.
  const seconds = Math.max(1, Math.floor(span / 1000));
  const step = Math.max(1, Math.floor(seconds / 3600));
  let last = new Map<string, number>();
  for (let done = 0; done <= seconds; done += 600 * step) {
    const b = emptyBatch();
    for (let s = done; s < Math.min(seconds + 1, done + 600 * step); s += step) {
      const at = from + s * 1000;
      const full = (s / step) % 60 === 0;
      const now = new Map<string, number>();
      for (let k = 0; k < 4; k++) {
        const wave = Math.round(40 + 30 * Math.sin((s / seconds) * 6.28 * (k + 1)));
        now.set(`${1000 + k}:1`, wave + k * 5);
        now.set(`${1000 + k}:10`, 1 + k);
        now.set(`${1000 + k}:6`, Math.round(wave / 2));
        if (k === 1) now.set(`${1000 + k}:8`, (s / step) % 300 < 100 ? 12 : 0);
      }
      let listed = 0;
      for (const [key, n] of now) {
        listed += n;
        if (full || last.get(key) !== n) { const [pid, state] = key.split(':').map(Number); b.counts.push([at, pid, state, n]); }
      }
      b.ticks.push([at, listed, full ? 1 : 0]);
      last = now;
    }
    w.write(b, 0);
  }
  w.close();
  return { from, to: from + seconds * 1000, rows: o.rows };
}
