// Socket history (issue 14's figures). With BENCH_HISTORY_SOCKETS (10,000) TCP sockets in a namespace
// and BENCH_HISTORY_RATE (100) connections opened and closed per second, side by side in one run for
// BENCH_HISTORY_SECONDS (30): the CPU of `sockscope record` (root: closes from destroy events), of the
// plain watch (the same refreshes, nothing recorded: bench/history-plain-watch.ts) and of the cron
// workaround (`ss -tani` to /dev/shm each second); the database's growth per closed connection. Then,
// on recordings built for the purpose: `sockscope log --since 1h` over an hour at that rate, and the
// sockets listed at a moment in a 100,000-socket recording. A report, not a test: it always exits 0.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBenchPopulation } from './population';
import { cachedCodeServerNode, runtimeLabel } from './runtimes';
import { emptyBatch } from '../src/host/history/batch';
import { HistoryWriter } from '../src/host/history/writer';
import { Recording } from '../src/host/history/queries';

const SOCKETS = Number(process.env.BENCH_HISTORY_SOCKETS ?? 10_000);
const RATE = Number(process.env.BENCH_HISTORY_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_HISTORY_SECONDS ?? 30);
const CLI = resolve(__dirname, '..', 'dist', 'cli.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** utime + stime (+ waited-for children's, for the cron loop), ms. */
function cpuMs(pid: number, children = false): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0)) * 10;
}

const CHURN = `
import socket, time, sys
rate = int(sys.argv[1])
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', 7601)); l.listen(1024); l.setblocking(False)
print('ready', flush=True)
n = 0; t0 = time.time()
while True:
    c = socket.create_connection(('127.0.0.1', 7601)); c.sendall(b'x' * 200)
    try:
        a, _ = l.accept(); a.recv(1000); a.sendall(b'y' * 300); a.close()
    except BlockingIOError: pass
    c.close(); n += 1
    delay = t0 + n / rate - time.time()
    if delay > 0: time.sleep(delay)
`;

/**
 * The data's size and the closed connections of the recording at `path`, read on `node` (the runtime
 * that records it): a WebAssembly reader cannot share a file node:sqlite is writing (no shared memory),
 * and reading the other way round would measure the wrong engine anyway.
 */
function statsOn(node: string, path: string): { bytes: number; closed: number } {
  const script = `
    const { openStore } = require(${JSON.stringify(resolve(__dirname, '../src/host/history/sqlite.ts'))});
    const { Recording } = require(${JSON.stringify(resolve(__dirname, '../src/host/history/queries.ts'))});
    const db = openStore(${JSON.stringify(path)}, { readOnly: true });
    const n = (q) => Number(Object.values(db.get(q))[0]);
    const bytes = (n('PRAGMA page_count') - n('PRAGMA freelist_count')) * n('PRAGMA page_size');
    db.close();
    const rec = new Recording(${JSON.stringify(path)});
    let closed = 0;
    for (const _ of rec.log(0, 1e15)) closed++;
    rec.close();
    process.stdout.write(JSON.stringify({ bytes, closed }));`;
  const r = spawnSync(node, ['--import', 'tsx', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' }, cwd: resolve(__dirname, '..') });
  if (r.status !== 0) throw new Error(`reading ${path} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { bytes: number; closed: number };
}

function closedCount(path: string): number {
  const r = new Recording(path);
  try { let n = 0; for (const _ of r.log(0, 1e15)) n++; return n; } finally { r.close(); }
}

/**
 * The runtimes the recorder runs on, each with its engine: this Node (20 on the reference machine: the
 * WebAssembly SQLite) and code-server's Node 24 from the shared cache (node:sqlite), when present.
 */
function runtimes(): { label: string; node: string }[] {
  const other = cachedCodeServerNode();
  return [process.execPath, ...(other ? [other] : [])].map((node) => ({ label: runtimeLabel(node), node }));
}

async function sideBySide(dir: string): Promise<void> {
  const pop = await startBenchPopulation(SOCKETS, 4);
  const procs: ChildProcess[] = [];
  try {
    const churn = spawn('ip', ['netns', 'exec', pop.ns.name, 'python3', '-u', '-c', CHURN, String(RATE)], { stdio: ['ignore', 'pipe', 'inherit'] });
    procs.push(churn);
    await new Promise((r) => churn.stdout!.once('data', r));
    // Per runtime: `sockscope record` and the plain watch on that same Node, all side by side.
    const runs = runtimes().map((rt, i) => {
      const db = join(dir, `side-${i}.db`);
      const rec = spawn(rt.node, [CLI, 'record', '--db', db, '--interval', '1s', '-N', pop.ns.name], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
      const plain = spawn(rt.node, ['--import', 'tsx', resolve(__dirname, 'history-plain-watch.ts'), pop.ns.path], { stdio: ['ignore', 'ignore', 'inherit'] });
      procs.push(rec, plain);
      return { ...rt, db, rec, plain, c0: { rec: 0, plain: 0 }, b0: 0, n0: 0 };
    });
    const cron = spawn('ip', ['netns', 'exec', pop.ns.name, 'bash', '-c', 'while true; do ss -tani > /dev/shm/sockscope-bench-ss.txt; sleep 1; done'], { stdio: 'ignore' });
    procs.push(cron);
    await sleep(5000); // warm: the first snapshot, JIT, the process map
    // On a loaded machine a recorder may take longer to write its first batch.
    for (const deadline = Date.now() + 30_000; runs.some((r) => !existsSync(r.db)) && Date.now() < deadline;) await sleep(250);
    // The sizes first (a reader takes a second): the CPU window starts after them.
    for (const r of runs) { const st = statsOn(r.node, r.db); r.b0 = st.bytes; r.n0 = st.closed; }
    // ip netns exec execs bash: its pid is the loop's
    const cron0 = cpuMs(cron.pid!, true);
    for (const r of runs) { r.c0 = { rec: cpuMs(r.rec.pid!), plain: cpuMs(r.plain.pid!) }; }
    await sleep(SECONDS * 1000);
    const cronCpu = cpuMs(cron.pid!, true) - cron0;
    const share = (ms: number): string => `${(ms / (SECONDS * 10)).toFixed(2)}% of a core`;
    console.log(`history: ${pop.sockets} sockets, ${RATE} connections/s, ${SECONDS} s side by side; cron ss -tani ${share(cronCpu)}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const c1 = runs.map((r) => ({ rec: cpuMs(r.rec.pid!), plain: cpuMs(r.plain.pid!) }));
    for (const [i, r] of runs.entries()) {
      const recCpu = c1[i].rec - r.c0.rec, plainCpu = c1[i].plain - r.c0.plain;
      r.rec.kill('SIGTERM');
      await new Promise((done) => r.rec.once('exit', done));
      const { bytes: b1, closed: n1 } = statsOn(r.node, r.db);
      const closed = n1 - r.n0;
      console.log(`  ${r.label}:`);
      console.log(`    sockscope record      ${share(recCpu)}; plain watch ${share(plainCpu)}`);
      console.log(`    recorder beyond watch ${share(recCpu - plainCpu)} (target < 3%)`);
      console.log(`    recorder / cron = ${(recCpu / Math.max(1, cronCpu)).toFixed(2)}, beyond-watch / cron = ${((recCpu - plainCpu) / Math.max(1, cronCpu)).toFixed(2)} (target < 0.33)`);
      console.log(`    growth: ${closed} closed connections, ${b1 - r.b0} bytes = ${((b1 - r.b0) / Math.max(1, closed)).toFixed(0)} bytes per closed connection (target < 200)`);
    }
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    rmSync('/dev/shm/sockscope-bench-ss.txt', { force: true });
    await pop.stop();
  }
}

/** An hour at RATE connections per second, written as the recorder writes it (both directions of each). */
function buildHour(path: string, now: number): void {
  const w = new HistoryWriter(path, { retention: { maxAgeMs: 48 * 3600_000 } });
  let id = w.nextId;
  const start = now - 3600_000;
  for (let s = 0; s < 3600; s++) {
    const b = emptyBatch();
    const at = start + s * 1000;
    for (let i = 0; i < RATE; i++) {
      const port = 10000 + ((s * RATE + i) % 50000);
      for (const [lp, pp] of [[port, 443], [443, port]]) {
        b.opened.push({ id, netid: 0, netns: null, localAddress: '10.0.0.1', localPort: lp, peerAddress: '10.0.0.2', peerPort: pp, pid: 1234, command: 'client', state: 1, openedAt: at - 300, seenFrom: null });
        b.closed.push({ id, at: at + i, by: 1, state: 7, bytesSent: 200, bytesReceived: 300, retrans: 0 });
        id++;
      }
    }
    b.ticks.push([at, SOCKETS, s % 60 === 0 ? 1 : 0]);
    w.write(b, 0);
  }
  w.close();
}

/** 100,000 sockets over an hour, each listed for a while, with state changes. */
function buildSockets(path: string, now: number): number {
  const w = new HistoryWriter(path, { retention: { maxAgeMs: 48 * 3600_000 } });
  const start = now - 3600_000;
  let id = w.nextId;
  const b = emptyBatch();
  for (let i = 0; i < 100_000; i++) {
    const from = start + Math.floor(i * 36);
    b.opened.push({ id, netid: 0, netns: null, localAddress: '10.0.0.1', localPort: 1024 + (i % 60000), peerAddress: '10.0.0.2', peerPort: 80, pid: 1234, command: 'client', state: 1, openedAt: from, seenFrom: from });
    b.states.push([id, from + 600_000, 6]);
    b.gone.push([id, from + 1200_000]);
    id++;
  }
  for (let s = 0; s < 3600; s++) b.ticks.push([start + s * 1000, 0, s % 60 === 0 ? 1 : 0]);
  w.write(b, 0);
  w.close();
  return start + 1800_000;
}

function timeIt(f: () => void, rounds = 3): number {
  const t: number[] = [];
  for (let i = 0; i < rounds; i++) { const t0 = process.hrtime.bigint(); f(); t.push(Number(process.hrtime.bigint() - t0) / 1e6); }
  return t.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

/** The sockets at `t` in `path`, timed in a child on `node` (so each engine answers on its runtime). */
function momentOn(node: string, path: string, t: number): { listed: number; ms: number } {
  const script = `
    const { Recording } = require(${JSON.stringify(resolve(__dirname, '../src/host/history/queries.ts'))});
    const rec = new Recording(${JSON.stringify(path)});
    const t = [];
    let listed = 0;
    for (let i = 0; i < 5; i++) { const t0 = process.hrtime.bigint(); listed = rec.socketsAt(${t}).sockets.length; t.push(Number(process.hrtime.bigint() - t0) / 1e6); }
    rec.close();
    process.stdout.write(JSON.stringify({ listed, ms: t.sort((a, b) => a - b)[2] }));`;
  const r = spawnSync(node, ['--import', 'tsx', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' }, cwd: resolve(__dirname, '..') });
  if (r.status !== 0) throw new Error(`moment query failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { listed: number; ms: number };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-bench-history-'));
  try {
    // BENCH_HISTORY_ONLY=queries: the log and moment figures alone (no namespace, a minute sooner).
    if (process.env.BENCH_HISTORY_ONLY !== 'queries') await sideBySide(dir);
    const now = Date.now();
    const hour = join(dir, 'hour.db');
    buildHour(hour, now);
    const rows = closedCount(hour);
    const moments = join(dir, 'moments.db');
    const t = buildSockets(moments, now);
    for (const rt of runtimes()) {
      // Into /dev/null, as `sockscope log … > /dev/null`: JSON Lines, and the table.
      for (const json of [true, false]) {
        const logMs = timeIt(() => {
          const r = spawnSync(rt.node, [CLI, 'log', '--db', hour, '--since', '1h', ...(json ? ['--json'] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
          if (r.status !== 0) throw new Error('sockscope log failed');
        });
        console.log(`  ${rt.label}: sockscope log --since 1h${json ? ' --json' : ''} over ${rows} closed sockets (${RATE}/s, both ends): ${logMs.toFixed(0)} ms (target < 500; load average ${loadavg()[0].toFixed(2)})`);
      }
      const m = momentOn(rt.node, moments, t);
      console.log(`  ${rt.label}: sockets at a moment in a 100,000-socket recording: ${m.listed} sockets in ${m.ms.toFixed(0)} ms (target < 300)`);
    }
  } catch (e) {
    console.log(`history bench failed: ${(e as Error).stack ?? (e as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
