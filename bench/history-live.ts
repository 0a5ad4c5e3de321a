// The VS Code recorder's cost in the helper (issue 14, against issue 17's helper budget of 5% CPU):
// a view's store of 100,000 sockets refreshed with 100 connections opened and 100 closed per refresh,
// with and without the recorder fed from it (src/helper/history-recording.ts), the database written
// on the writer's thread. CPU of the whole process (every thread) per refresh, and as % of a core at
// the view's default 2 s interval. No kernel: the engine's Sockets are synthetic (the refresh itself,
// without the dump, is what the recorder adds to). BENCH_SOCKETS (100000), BENCH_REFRESHES (20).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SocketStore } from '../src/helper/socket-store';
import { LiveRecording } from '../src/helper/history-recording';
import { fakeSocket, fakeProcesses, type FakeSpec } from '../test/unit/helper/fake-sockets';
import { ensureFolder } from '../src/cli/history-path';
import { createPrivateFile } from '../src/host/history/sqlite';

const N = Number(process.env.BENCH_SOCKETS ?? 100_000);
const REFRESHES = Number(process.env.BENCH_REFRESHES ?? 20);
const CHURN = 100;

/** Every socket of the run, made once (refresh r lists sockets r*CHURN .. r*CHURN+N: CHURN close and CHURN open each time). */
function pool(): ReturnType<typeof fakeSocket>[] {
  const out = [];
  for (let c = 1; c <= N + (REFRESHES + 1) * CHURN; c++) {
    const f: FakeSpec = { cookie: c, state: c % 50 === 0 ? 'LISTEN' : 'ESTAB', local: [10, 0, (c >> 8) & 255, c & 255], peer: [10, 1, (c >> 16) & 255, (c >> 8) & 255], localPort: 1024 + (c % 60000), peerPort: 443, inode: c };
    out.push(fakeSocket(f));
  }
  return out;
}
const sockets = pool();

async function measure(record: boolean): Promise<{ msPerRefresh: number; bytes?: number; feedMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-bench-live-'));
  const path = join(dir, 'h.db');
  ensureFolder(path);
  createPrivateFile(path);
  const holders = new Map<number, { pid: number; name: string; fd: number }[]>();
  for (let c = 1; c <= N + (REFRESHES + 2) * CHURN; c++) holders.set(c, [{ pid: 1000 + (c % 10), name: `p${c % 10}`, fd: 3 }]);
  const procs = fakeProcesses(holders);
  const store = new SocketStore({ capacity: N * 2 });
  const live = record ? await LiveRecording.start({ path, retention: {}, kernelEvents: false, processes: () => procs, onFailed: (m) => { throw new Error(m); } }) : undefined;
  if (live) store.onRefresh(live.onRefresh);
  const round = (r: number) => (on: (s: ReturnType<typeof fakeSocket>) => void): void => { for (let i = r * CHURN; i < r * CHURN + N; i++) on(sockets[i]); };
  store.refresh(round(0));
  // The first sightings of 100,000 sockets are one large batch: let the writer finish it first.
  if (record) await new Promise((r) => setTimeout(r, 8000));
  const t0 = process.cpuUsage();
  if (live) live.feedMs = 0;
  for (let r = 1; r <= REFRESHES; r++) store.refresh(round(r));
  const feedMs = live ? live.feedMs / REFRESHES : 0;
  await live?.stop();
  const used = process.cpuUsage(t0);
  const bytes = record ? statSync(path).size : undefined;
  rmSync(dir, { recursive: true, force: true });
  return { msPerRefresh: (used.user + used.system) / 1000 / REFRESHES, bytes, feedMs };
}

async function main(): Promise<void> {
  const plain = await measure(false);
  const recorded = await measure(true);
  const extra = recorded.msPerRefresh - plain.msPerRefresh;
  console.log(`history (VS Code recorder in the helper): ${N} sockets, ${CHURN} opened and ${CHURN} closed per refresh, ${REFRESHES} refreshes`);
  console.log(`  store refresh alone: ${plain.msPerRefresh.toFixed(1)} ms CPU per refresh`);
  console.log(`  with the recorder:   ${recorded.msPerRefresh.toFixed(1)} ms CPU per refresh (all threads, writes included): +${extra.toFixed(1)} ms`);
  console.log(`  of which on the refresh's thread (the feed: store pass, recorder, batch): ${recorded.feedMs.toFixed(1)} ms; the rest is the writer's thread`);
  console.log(`  recorder's share at the 2 s default interval: ${(extra / 2000 * 100).toFixed(2)}% of a core (helper budget 5%); at 1 s: ${(extra / 1000 * 100).toFixed(2)}%`);
  console.log(`  database after ${REFRESHES * CHURN} closed connections (and ${N} first sightings): ${((recorded.bytes ?? 0) / 1024 / 1024).toFixed(1)} MB`);
}

void main();
