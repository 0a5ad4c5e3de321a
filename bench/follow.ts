// Following a process tree (issue 13's figures): with BENCH_SOCKETS (100,000) TCP sockets in a
// namespace and the Sockets view's watch running (2 s, with processes), the helper's extra CPU for
// following a tree of 50 processes (a `processes` request with children every refresh, as the
// client's FollowService makes), and the client's follow work per refresh (trees, pinned groups,
// the model's pinned-group update) on a model holding every socket. A report: always exits 0.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ProcessesResult, WatchUpdateNotification } from '../src/protocol/helper-protocol';
import { WatchState } from '../src/protocol/watch-state';
import { pinnedGroupOf } from '../src/client/follow/follow-service';
import { FollowTargets } from '../src/client/follow/follow-targets';
import { treesOf } from '../src/client/follow/identity-text';
import { startHelper } from '../test/system/lib/helper-rpc';
import { startBenchPopulation } from './population';

const SECONDS = Number(process.env.BENCH_TICKS ?? 10) * 2;

function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_SOCKETS ?? 100_000);
  console.log(`\nfollow benchmark: ${total} TCP sockets, a tree of 50 processes ...`);
  const pop = await startBenchPopulation(total, Number(process.env.BENCH_PROCESSES ?? 10));
  // A tree of 50: a shell and 49 children.
  const tree = spawn('sh', ['-c', 'for i in $(seq 49); do sleep 600 & done; wait'], { stdio: 'ignore', detached: true });
  const h = await startHelper();
  try {
    const netns = { name: pop.ns.name };
    const state = new WatchState();
    let ticks = 0;
    h.onMessage((m) => {
      if (m.method !== 'watch/update') return;
      const u = m.params as WatchUpdateNotification;
      state.apply(u);
      if (u.last) ticks++;
    });
    await h.result('watch', { watchId: 'view', intervalMs: 2000, query: { netns, netids: ['tcp'], extensions: { processes: true } } });
    while (ticks === 0) await sleep(100);
    await sleep(4000);
    const window = async (during?: () => Promise<void>): Promise<number> => {
      const c0 = cpuMs(h.pid);
      const t0 = Date.now();
      let stop = false;
      const loop = (async () => { while (!stop && during) { await during(); await sleep(2000); } })();
      await sleep(SECONDS * 1000);
      stop = true;
      await loop;
      return (cpuMs(h.pid) - c0) / (Date.now() - t0) * 100;
    };
    const plain = await window();
    let last: ProcessesResult | undefined;
    const follow = await window(async () => { last = await h.result<ProcessesResult>('processes', { pids: [tree.pid!], children: true }); });
    console.log(`tree: ${last?.processes.length ?? 0} processes`);

    // The client's follow work per refresh (the helper holds the sockets and matches the pids): the
    // trees of the targets from one answer and the pinned groups with their notes and tooltips. The
    // tree also holds one population process (a tree that has sockets).
    const holder = pop.holders[0].pid!;
    const targets = new FollowTargets();
    const t = targets.add('debug:bench', 'debug', 'bench', [tree.pid!, holder]);
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await h.result<ProcessesResult>('processes', { pids: t.roots, children: true });
      const t0 = process.hrtime.bigint();
      const trees = treesOf(r.processes, t.roots);
      // Every other refresh a process comes or goes (the group is rebuilt from the pid index).
      const group = pinnedGroupOf(t, i % 2 ? trees.slice(1) : trees);
      JSON.stringify(group);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const clientMs = times.reduce((a, b) => a + b, 0) / times.length;
    const rows = [
      ['case', 'helper CPU % of one core', 'target', 'client ms per refresh', 'target'],
      ['view watch 2 s, -p', plain.toFixed(2), '', '', ''],
      ['  + following a 50-process tree', follow.toFixed(2), '', '', ''],
      ['  extra for following', (follow - plain).toFixed(2), '<= 2', clientMs.toFixed(2), '< 20'],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
    console.log(`view: ${state.records.size} sockets`);
  } finally {
    await h.close();
    try { process.kill(-tree.pid!, 'SIGKILL'); } catch { /* gone */ }
    await pop.stop();
  }
}

main().catch((e) => { console.error(`follow benchmark failed: ${e instanceof Error ? e.message : String(e)}`); });
