// Issue 15's figures over 100,000 TCP sockets: `sockscope doctor` against `ss -tanp` (paired,
// interleaved whole-process runs; target < 1.5x), and the rules' own work per refresh in a running
// helper (the `findings` request's rulesMs; target < 20 ms). A report, not a test: it always exits 0.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startBenchPopulation } from './population';
import { startHelper } from '../test/system/lib/helper-rpc';
import { PROTOCOL_VERSION, type FindingsResult } from '../src/protocol/helper-protocol';

const CLI = resolve(__dirname, '..', 'dist', 'cli.js');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const RUN_ENV: NodeJS.ProcessEnv = { ...process.env };
delete RUN_ENV.NODE_EXTRA_CA_CERTS;

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

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
      const rules: number[] = [];
      const rulesCpu: number[] = [];
      const whole: number[] = [];
      let last: FindingsResult | undefined;
      for (let i = 0; i < 6; i++) {
        const t0 = performance.now();
        last = await h.result<FindingsResult>('findings', { netns: { name: ns } });
        whole.push(performance.now() - t0);
        if (i > 0) { rules.push(last.rulesMs); rulesCpu.push(last.rulesCpuMs); } // the first call compiles the rules
      }
      const r = median(rulesCpu);
      console.log(`helper findings over ${last!.sockets} sockets: rules ${r.toFixed(1)} ms CPU per refresh (target < 20: ${r < 20 ? 'ok' : 'MISSED'}; wall ${median(rules).toFixed(1)} ms), whole request ${median(whole).toFixed(0)} ms (dump with tcp_info, processes, /proc reads, firewall); ${last!.findings.length} findings`);
    } finally {
      await h.close();
    }
  } finally {
    await pop?.stop();
  }
}

main().catch((e) => { console.error(`findings benchmark failed: ${e instanceof Error ? e.message : String(e)}`); });
