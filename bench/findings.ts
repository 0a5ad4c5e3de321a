// Issue 15's figures over 100,000 TCP sockets: `sockscope doctor` against `ss -tanp` (paired,
// interleaved whole-process runs; target < 1.5x), and the rules' own work per refresh in a running
// helper (the `findings` request's rulesMs; target < 20 ms). A report, not a test: it always exits 0.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startBenchPopulation } from './population';
import { startHelper } from '../test/system/lib/helper-rpc';
import { readFileSync } from 'node:fs';
import { PROTOCOL_VERSION, type FindingsChangedNotification, type FindingsResult } from '../src/protocol/helper-protocol';
import type { HelperRpc } from '../test/system/lib/helper-rpc';

const CLI = resolve(__dirname, '..', 'dist', 'cli.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const RUN_ENV: NodeJS.ProcessEnv = { ...process.env };
delete RUN_ENV.NODE_EXTRA_CA_CERTS;

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const WATCH_S = Number(process.env.BENCH_WATCH_SECONDS ?? 20);
const TICKS_PER_S = 100;

/** utime + stime of a process in clock ticks. */
function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
}

/** The helper's CPU (% of a core) and RSS over WATCH_S seconds after `start` (and a settling refresh). */
async function idleCost(h: HelperRpc, what: string, start: () => Promise<void>): Promise<{ cpu: number; rssMiB: number }> {
  await start();
  await new Promise((r) => setTimeout(r, 5000));
  const t0 = performance.now();
  const c0 = cpuTicks(h.pid);
  let rss = 0;
  while (performance.now() - t0 < WATCH_S * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    rss = Math.max(rss, h.rssKiB());
  }
  const cpu = ((cpuTicks(h.pid) - c0) / TICKS_PER_S) / ((performance.now() - t0) / 1000) * 100;
  void what;
  return { cpu, rssMiB: rss / 1024 };
}

/** Wall-clock ms of one run; doctor exits 1 when it finds an error, which is not a failure here. */
function timed(ns: string, argv: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'ignore', 'pipe'], env: RUN_ENV, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_SOCKETS ?? 100_000);
  const reuse = process.env.BENCH_NETNS;
  console.log(reuse ? `\nfindings benchmark: namespace ${reuse}` : `\nfindings benchmark: creating ${total} TCP sockets ...`);
  const pop = reuse ? undefined : await startBenchPopulation(total, Number(process.env.BENCH_PROCESSES ?? 10));
  const ns = reuse ?? pop!.ns.name;
  try {
    const doctor = [process.execPath, CLI, 'doctor', '--json'];
    const ss = ['ss', '-tanp'];
    timed(ns, ss); timed(ns, doctor);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      if (i % 2) { b.push(timed(ns, doctor)); a.push(timed(ns, ss)); } else { a.push(timed(ns, ss)); b.push(timed(ns, doctor)); }
    }
    const ratio = median(b) / median(a);
    console.log(`ss -tanp ${median(a).toFixed(0)} ms, sockscope doctor ${median(b).toFixed(0)} ms: ratio ${ratio.toFixed(2)} (target < 1.5: ${ratio < 1.5 ? 'ok' : 'MISSED'})`);

    const h = await startHelper();
    try {
      await h.result('initialize', { protocolVersion: PROTOCOL_VERSION });
      const netns = { name: ns };
      // Now: the Sockets view's session (refreshing every 2 s) with a findings watch on it.
      let last: FindingsResult | undefined;
      const notes: FindingsChangedNotification[] = [];
      h.onMessage((m) => { if (m.method === 'findings/changed') notes.push(m.params as FindingsChangedNotification); });
      const viewOnly = await idleCost(h, 'view alone', async () => {
        await h.result('view/open', { viewId: 'bench', intervalMs: 2000, query: { netns }, groupBy: 'process' });
      });
      const withFindings = await idleCost(h, 'view + findings watch', async () => {
        await h.result('findings/watch', { netns });
      });
      const rules: number[] = [];
      const rulesCpu: number[] = [];
      for (let i = 0; i < 6; i++) {
        last = await h.result<FindingsResult>('findings', { netns });
        rules.push(last.rulesMs); rulesCpu.push(last.rulesCpuMs);
        await new Promise((r) => setTimeout(r, 300));
      }
      const fromView = notes.filter((n) => n.source === 'view');
      const r = median(rulesCpu);
      console.log(`helper findings from the view's store over ${last!.sockets} sockets: rules ${r.toFixed(1)} ms CPU per refresh (target < 20: ${r < 20 ? 'ok' : 'MISSED'}; wall ${median(rules).toFixed(1)} ms); ${last!.findings.length} findings; ${fromView.length} findings/changed notifications from the view in ${WATCH_S} s of unchanged sockets`);
      console.log(`helper idle at a 2 s refresh: view alone ${viewOnly.cpu.toFixed(1)}% CPU, ${viewOnly.rssMiB.toFixed(0)} MiB; view + findings ${withFindings.cpu.toFixed(1)}% CPU, ${withFindings.rssMiB.toFixed(0)} MiB (issue 17 budget: <= 5%, <= 150 MB = 143 MiB)`);
      // Before: no view, each call a dump of the findings' own (what every refresh cost until the
      // findings read the view's store). Last: its objects would inflate the RSS measured above.
      await h.result('view/close', { viewId: 'bench' });
      const dumpRules: number[] = [];
      for (let i = 0; i < 4; i++) {
        last = await h.result<FindingsResult>('findings', { netns });
        dumpRules.push(last.rulesCpuMs);
      }
      console.log(`helper findings from their own dump over ${last!.sockets} sockets: rules ${median(dumpRules).toFixed(1)} ms CPU per run`);

    } finally {
      await h.close();
    }
  } finally {
    await pop?.stop();
  }
}

main().catch((e) => { console.error(`findings benchmark failed: ${e instanceof Error ? e.message : String(e)}`); });
