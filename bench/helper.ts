// The helper process under load (issue 4's figures): with BENCH_SOCKETS (100,000) TCP sockets in
// a namespace, the helper's CPU for a 2 s watch of all of them (plain, and with processes as the
// Sockets view asks), the client-side work per refresh (parse + apply the updates), and a 10 Hz
// watch of one socket by cookie. A report, not a test: it always exits 0.
// BENCH_NETNS=<name> measures an existing namespace's TCP sockets (left running) instead of
// creating a population.
import { readFileSync } from 'node:fs';
import type { WatchUpdateNotification } from '../src/protocol/helper-protocol';
import type { SocketRecord } from '../src/protocol/socket-record';
import { WatchState } from '../src/protocol/watch-state';
import { startHelper, type HelperRpc } from '../test/system/lib/helper-rpc';
import { startBenchPopulation } from './population';

const TICKS = Number(process.env.BENCH_TICKS ?? 10);
/** Errors the watches reported (a figure measured through an error means nothing). */
const errors = new Set<string>();

function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** Helper CPU over `seconds` of a new watch, after `warmMs`; with keepWatching the watch goes on (see cpuWindow). */
async function measureWatch(h: HelperRpc, id: string, params: Record<string, unknown>, seconds: number, warmMs = 0, keepWatching = false): Promise<{ cpu: number; clientMsPerTick: number; records: number; ticks: number }> {
  const state = new WatchState();
  let clientMs = 0;
  let ticks = 0;
  let snapshotDone = false;
  h.onMessage((m) => {
    if (m.method !== 'watch/update') return;
    const u = m.params as WatchUpdateNotification;
    if (u.watchId !== id) return;
    if (u.error !== undefined) errors.add(`${id}: ${u.error}`);
    const t = process.hrtime.bigint();
    state.apply(u);
    if (snapshotDone) clientMs += Number(process.hrtime.bigint() - t) / 1e6;
    if (u.last) { if (snapshotDone) ticks++; snapshotDone = true; }
  });
  await h.result('watch', { watchId: id, ...params });
  while (!snapshotDone) await new Promise((r) => setTimeout(r, 100));
  if (warmMs) await new Promise((r) => setTimeout(r, warmMs));
  const c0 = cpuMs(h.pid);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = (cpuMs(h.pid) - c0) / (Date.now() - t0) * 100;
  if (keepWatching) return { cpu, clientMsPerTick: ticks ? clientMs / ticks : 0, records: state.records.size, ticks };
  await h.result('unwatch', { watchId: id });
  return { cpu, clientMsPerTick: ticks ? clientMs / ticks : 0, records: state.records.size, ticks };
}

/** Helper CPU % over the next `seconds`, after `waitMs`, of whatever it is doing. */
async function cpuWindow(h: HelperRpc, seconds: number, waitMs = 0): Promise<number> {
  if (waitMs) await new Promise((r) => setTimeout(r, waitMs));
  const c0 = cpuMs(h.pid);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return (cpuMs(h.pid) - c0) / (Date.now() - t0) * 100;
}

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_SOCKETS ?? 100_000);
  const reuse = process.env.BENCH_NETNS;
  console.log(reuse ? `\nhelper benchmark: namespace ${reuse} (existing) ...` : `\nhelper benchmark: creating ${total} TCP sockets ...`);
  const pop = reuse ? undefined : await startBenchPopulation(total, Number(process.env.BENCH_PROCESSES ?? 10));
  const h = await startHelper();
  try {
    const netns = { name: reuse ?? pop!.ns.name };
    const rows: string[][] = [['case', 'helper CPU % of one core', 'target', 'records', 'client ms per refresh']];
    const plain = await measureWatch(h, 'plain', { intervalMs: 2000, query: { netns, netids: ['tcp'] } }, 2 * TICKS);
    rows.push(['watch 2 s, all sockets', plain.cpu.toFixed(1), '< 10', String(plain.records), plain.clientMsPerTick.toFixed(2)]);
    const procs = await measureWatch(h, 'procs', { intervalMs: 2000, query: { netns, netids: ['tcp'], extensions: { processes: true } } }, 2 * TICKS);
    rows.push(['watch 2 s, all sockets, -p', procs.cpu.toFixed(1), '< 10', String(procs.records), procs.clientMsPerTick.toFixed(2)]);

    // The single-socket watch in a helper of its own: in the first one the heap the 100,000-record
    // watches left behind is still being collected, which is not this watch's cost.
    const h2 = await startHelper();
    try {
      const records: SocketRecord[] = [];
      h2.onMessage((m) => { if (m.method === 'dump/chunk' && (m.params as { stream: string }).stream === 'one') records.push(...(m.params as { records: SocketRecord[] }).records); });
      await h2.result('dump', { stream: 'one', netns, netids: ['tcp'], states: ['ESTAB'], filter: 'sport = :900' });
      const one = records[0];
      // A 100 ms watch runs little code often: V8 takes its first half minute to compile it, a
      // one-time cost shown apart from the steady state the target is about.
      const single = await measureWatch(h2, 'one', { intervalMs: 100, socket: one, netns, extensions: { tcpInfo: true } }, TICKS, 3000, true);
      const steady = await cpuWindow(h2, 2 * TICKS, 20_000);
      await h2.result('unwatch', { watchId: 'one' });
      rows.push(['watch 10 Hz, one socket by cookie (tcp_info), steady', steady.toFixed(2), '< 1', String(single.records), single.clientMsPerTick.toFixed(3)]);
      rows.push([`  same, its first ${TICKS} s after 3 s (JIT warm-up)`, single.cpu.toFixed(2), '', '', '']);
      const after = await measureWatch(h, 'one-after', { intervalMs: 100, socket: one, netns, extensions: { tcpInfo: true } }, TICKS);
      rows.push(['  same, in the helper that ran the big watches', after.cpu.toFixed(2), '', String(after.records), after.clientMsPerTick.toFixed(3)]);
    } finally {
      await h2.close();
    }
    for (const e of errors) console.log(`watch error: ${e}`);

    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
    console.log(`helper RSS ${(h.rssKiB() / 1024).toFixed(0)} MiB`);
  } finally {
    await h.close();
    await pop?.stop();
  }
}

main().catch((e) => { console.error(`helper benchmark failed: ${e instanceof Error ? e.message : String(e)}`); });
