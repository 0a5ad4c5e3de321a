// Paired, interleaved runs of `ss` and `sockscope` (node dist/cli.js) over 100,000 TCP sockets:
// medians, ratios and peak RSS in one table. A report, not a test: it always exits 0.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBenchPopulation } from './population';

/** `env`: extra environment of sockscope's runs (SOCKSCOPE_WASM=0 measures what the WebAssembly row writer buys). */
interface Case { name: string; ss: string[]; cli: string[]; target: number; env?: NodeJS.ProcessEnv }

const CASES: Case[] = [
  { name: '-tan', ss: ['-tan'], cli: ['-tan'], target: 0.8 },
  { name: '-tan SOCKSCOPE_WASM=0', ss: ['-tan'], cli: ['-tan'], target: 1.0, env: { SOCKSCOPE_WASM: '0' } },
  { name: '-tani', ss: ['-tani'], cli: ['-tani'], target: 0.5 },
  { name: '-tani SOCKSCOPE_WASM=0', ss: ['-tani'], cli: ['-tani'], target: 0.5, env: { SOCKSCOPE_WASM: '0' } },
  { name: '-tanp', ss: ['-tanp'], cli: ['-tanp'], target: 0.3 },
  { name: '--json -tani', ss: ['-tani'], cli: ['--json', '-tani'], target: 1.0 },
];

/** BENCH_CASES: a comma-separated list of case names to run (default: all). */
const ONLY = process.env.BENCH_CASES?.split(',').map((n) => n.trim());
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CLI = resolve(__dirname, '..', 'dist', 'cli.js');
const TIME = '/usr/bin/time';
/**
 * The environment of the timed runs, without NODE_EXTRA_CA_CERTS: a sandbox may set it, and then
 * every node start spends ~35 ms loading certificates that neither tool uses (a user's node has none).
 */
const RUN_ENV: NodeJS.ProcessEnv = { ...process.env };
delete RUN_ENV.NODE_EXTRA_CA_CERTS;

interface Sample { ms: number; cpuMs: number; rssKb: number }

function timed(ns: string, argv: string[], tmp: string, env?: NodeJS.ProcessEnv): Sample {
  const rssFile = join(tmp, 'rss');
  const started = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-f', '%M %U %S', '-o', rssFile, 'ip', 'netns', 'exec', ns, ...argv], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20, env: env ? { ...RUN_ENV, ...env } : RUN_ENV });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  const [rss, user, sys] = readFileSync(rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { ms, cpuMs: (user + sys) * 1000, rssKb: rss };
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

async function main(): Promise<void> {
  if (spawnSync(TIME, ['true']).status !== 0) {
    console.log('installing GNU time for peak RSS ...');
    spawnSync('apt-get', ['install', '-y', '-q', 'time'], { stdio: 'inherit' });
  }
  console.log(process.env.NODE_EXTRA_CA_CERTS !== undefined
    ? 'NODE_EXTRA_CA_CERTS is removed from the environment of the timed runs (it costs every node start ~35 ms of certificate loading)'
    : 'NODE_EXTRA_CA_CERTS is not set (the timed runs get none either)');
  const total = Number(process.env.BENCH_SOCKETS ?? 100_000);
  console.log(`creating ${total} TCP sockets ...`);
  const t0 = Date.now();
  const pop = await startBenchPopulation(total, Number(process.env.BENCH_PROCESSES ?? 10));
  console.log(`${pop.sockets} sockets (+${pop.holders.length} listeners) in ${pop.ns.name} after ${((Date.now() - t0) / 1000).toFixed(1)} s; ${ROUNDS} paired rounds per case`);
  const tmp = mkdtempSync(join(tmpdir(), 'sockscope-bench-'));
  const rows: string[][] = [];
  let peakCli = 0;
  try {
    for (const c of CASES.filter((k) => !ONLY || ONLY.includes(k.name))) {
      const ss: Sample[] = [];
      const cli: Sample[] = [];
      timed(pop.ns.name, ['ss', ...c.ss], tmp); // warm caches for both
      timed(pop.ns.name, [process.execPath, CLI, ...c.cli], tmp, c.env);
      for (let i = 0; i < ROUNDS; i++) {
        // Alternate which goes first so neither always runs on a warmer cache.
        if (i % 2) { cli.push(timed(pop.ns.name, [process.execPath, CLI, ...c.cli], tmp, c.env)); ss.push(timed(pop.ns.name, ['ss', ...c.ss], tmp)); }
        else { ss.push(timed(pop.ns.name, ['ss', ...c.ss], tmp)); cli.push(timed(pop.ns.name, [process.execPath, CLI, ...c.cli], tmp, c.env)); }
      }
      const mSs = median(ss.map((s) => s.ms));
      const mCli = median(cli.map((s) => s.ms));
      const ratio = mCli / mSs;
      const cSs = median(ss.map((s) => s.cpuMs));
      const cCli = median(cli.map((s) => s.cpuMs));
      const rssCli = Math.max(...cli.map((s) => s.rssKb)) / 1024;
      const rssSs = Math.max(...ss.map((s) => s.rssKb)) / 1024;
      peakCli = Math.max(peakCli, rssCli);
      rows.push([`sockscope ${c.name}`, `ss ${c.ss.join(' ')}`, mSs.toFixed(0), mCli.toFixed(0), ratio.toFixed(2), `<= ${c.target.toFixed(1)}`, ratio <= c.target ? 'ok' : 'MISSED', cSs.toFixed(0), cCli.toFixed(0), (cCli / cSs).toFixed(2), rssSs.toFixed(0), rssCli.toFixed(0)]);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await pop.stop();
  }
  const head = ['case', 'vs', 'ss ms', 'cli ms', 'ratio', 'target', '', 'ss cpu', 'cli cpu', 'cpu ratio', 'ss MB', 'cli MB'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((x, i) => (i >= 2 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join('  ');
  console.log('\n' + line(head));
  for (const r of rows) console.log(line(r));
  console.log(`\npeak RSS of sockscope: ${peakCli.toFixed(0)} MB (target < 150 MB: ${peakCli < 150 ? 'ok' : 'MISSED'})`);
  console.log('ms: wall-clock medians of whole processes (ip netns exec ... > /dev/null); cpu: median user+sys ms;');
  console.log('ratios are sockscope / ss; peak RSS from GNU time. On a busy machine wall times mostly measure waiting for a core: see the cpu columns.');
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`load average during the run: ${load} on ${cpus().length} cores`);
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 0; });
