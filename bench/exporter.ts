// Issue 16's figures: one Prometheus scrape of `sockscope exporter` with five named queries over
// 100,000 TCP sockets, against one `ss -tan` of the same namespace (paired rounds, medians), with
// and with the findings rules (--findings); then 20 concurrent scrapes: all answered, and (in process) never
// more than one dump at a time. A report, not a test: it always exits 0.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBenchPopulation } from './population';
import { SockDiag } from '../src/netlink/index';
import { parseDocument } from '../src/ssq/index';
import { healthQueriesOf } from '../src/host/health-file';
import { Exporter } from '../src/cli/commands/exporter';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CLI = resolve(__dirname, '..', 'dist', 'cli.js');
const RUN_ENV: NodeJS.ProcessEnv = { ...process.env };
delete RUN_ENV.NODE_EXTRA_CA_CERTS;

const QUERIES = `[port-900]
@warn count > 20000
@error p99(rtt) > 1s
-t state established sport = :900

[clients-of-901]
@warn count > 50000
-t state established dport = :901

[listeners]
@warn max(recvQ) > 100
-tl

[established]
@warn p99(rtt) > 200ms
@error count > 200000
-t state established

[low-ports]
@warn sum(sendQ) > 1MiB
-t sport < :1024
`;

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

function ssTan(ns: string): number {
  const t = process.hrtime.bigint();
  const r = spawnSync('ip', ['netns', 'exec', ns, 'ss', '-tan'], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`ss -tan failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function scrape(address: string): Promise<{ ms: number; status: number; body: string }> {
  const t = process.hrtime.bigint();
  const r = await fetch(`http://${address}/metrics`);
  const body = await r.text();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: r.status, body };
}

async function startExporter(file: string, ns: string, extra: string[]): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(process.execPath, [CLI, 'exporter', '--listen', '127.0.0.1:0', '--queries', file, '-N', ns, ...extra], { stdio: ['ignore', 'ignore', 'pipe'], env: RUN_ENV });
  let err = '';
  const address = await new Promise<string>((res, rej) => {
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); const m = /listening on http:\/\/([\d.]+:\d+)\//.exec(err); if (m) res(m[1]); });
    child.once('exit', (c) => rej(new Error(`exporter exited ${c}: ${err}`)));
  });
  return { child, address };
}

const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_SOCKETS ?? 100_000);
  console.log(`\n== exporter (issue 16): five queries over ${total} sockets ==`);
  const pop = await startBenchPopulation(total, Number(process.env.BENCH_PROCESSES ?? 10));
  const tmp = mkdtempSync(join(tmpdir(), 'sockscope-bench-exporter-'));
  const file = join(tmp, 'health.ssq');
  writeFileSync(file, QUERIES);
  const running: ChildProcess[] = [];
  try {
    for (const [label, extra] of [['scrape', []], ['scrape --findings', ['--findings']]] as const) {
      const e = await startExporter(file, pop.ns.name, [...extra]);
      running.push(e.child);
      const warm = await scrape(e.address);
      if (warm.status !== 200) throw new Error(`scrape failed: ${warm.status} ${warm.body.slice(0, 200)}`);
      const ss: number[] = [];
      const sc: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        ss.push(ssTan(pop.ns.name));
        sc.push((await scrape(e.address)).ms);
      }
      const r = median(sc) / median(ss);
      console.log(`${label.padEnd(24)} ${median(sc).toFixed(0).padStart(6)} ms   ss -tan ${median(ss).toFixed(0).padStart(6)} ms   ratio ${r.toFixed(2)}x (target < 1.5x)   query_sockets{established} ${sample(warm.body, 'sockscope_query_sockets{query="established"}')}`);
      if (extra.length === 0) {
        // Twenty at once: they share dumps (single flight); dumps_total says how many ran.
        const before = sample((await scrape(e.address)).body, 'sockscope_dumps_total')!;
        const t = process.hrtime.bigint();
        const all = await Promise.all(Array.from({ length: 20 }, () => scrape(e.address)));
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        const after = Math.max(...all.map((x) => sample(x.body, 'sockscope_dumps_total')!));
        console.log(`20 concurrent scrapes     ${all.filter((x) => x.status === 200).length}/20 answered 200 in ${ms.toFixed(0)} ms; ${after - before} dumps for them`);
      }
      e.child.kill('SIGTERM');
    }
    // In process: scrapes that arrive during a dump share it.
    const diag = SockDiag.open({ netnsPath: pop.ns.path });
    try {
      const ex = new Exporter(diag, healthQueriesOf(parseDocument(QUERIES), 'health.ssq').queries, { netnsPath: pop.ns.path });
      await ex.scrape();
      const t = process.hrtime.bigint();
      const results = await Promise.all(Array.from({ length: 20 }, () => ex.scrape()));
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      console.log(`20 concurrent (in process) ${results.length} answered in ${ms.toFixed(0)} ms; most dumps at a time: ${ex.maxRunning}; dumps: ${sample(results[0].text, 'sockscope_dumps_total')! - 1}`);
    } finally {
      diag.close();
    }
  } catch (e) {
    console.log(`exporter bench failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
    await pop.stop();
  }
}

void main().finally(() => { process.exitCode = 0; });
