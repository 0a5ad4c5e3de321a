// The Sockets view at server scale (issue 17), in code-server: with BENCH_SOCKETS (100,000) TCP sockets
// in a namespace held by BENCH_VIEW_PROCESSES (6) processes, code-server, its extension host, the helper
// and Chromium all run inside that namespace (bench/view-inner.ts), and the inner script measures what a
// user waits for and what the view costs, next to `ss -tan` over the same sockets. A report, not a test:
// it always exits 0 and asserts nothing.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startBenchPopulation } from './population';
import { helperRuntime, viewFigures, type ViewFigures } from './view-helper';

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_SOCKETS ?? 100_000);
  const processes = Number(process.env.BENCH_VIEW_PROCESSES ?? 6);
  console.log(`\nSockets view benchmark (issue 17): creating ${total} TCP sockets in ${processes} processes ...`);
  const pop = await startBenchPopulation(total, processes);
  try {
    // The view alone (no workbench, no other user of the helper), with the readers the extension starts
    // (recorder, findings feed), then in code-server.
    // BENCH_VIEW_CASES (a comma list of alone, readers, code-server; all by default) runs some of them.
    const cases = new Set((process.env.BENCH_VIEW_CASES ?? 'alone,readers,code-server').split(',').map((c) => c.trim()));
    const idle = Number(process.env.BENCH_VIEW_IDLE_SECONDS ?? 20);
    const none: ViewFigures = { rows: [] };
    const own = cases.has('alone') ? await viewFigures(pop.ns.name, idle) : none;
    const withReaders = cases.has('readers') ? await viewFigures(pop.ns.name, idle, true) : none;
    const figures = own.rows.length ? own.rows : withReaders.rows;
    const ssTan = spawnSync('ip', ['netns', 'exec', pop.ns.name, 'python3', '-c',
      "import resource,subprocess,time\nt=time.monotonic(); subprocess.run(['ss','-tan'],stdout=subprocess.DEVNULL)\nprint(round((time.monotonic()-t)*1000), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss//1024)"], { encoding: 'utf8' });
    const [ssMs, ssMiB] = ssTan.stdout.trim().split(' ');
    console.log(`\nThe view's own figures at ${pop.sockets + processes} TCP sockets (HelperClient + view model in node, the helper it starts, on ${helperRuntime().label}):`);
    const table = [['measure', 'view alone', 'with recorder + findings', 'target'],
      ...figures.map(([what, , target], i) => [what, own.rows[i]?.[1] ?? '', withReaders.rows[i]?.[1] ?? '', target]),
      ['ss -tan over the same sockets', `${ssMs} ms, ${ssMiB} MiB`, '', '']];
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  '));
    if (!cases.has('code-server')) return;
    const r = spawnSync('ip', ['netns', 'exec', pop.ns.name, process.execPath, '--import', 'tsx', join(__dirname, 'view-inner.ts')], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_VIEW_SOCKETS: String(pop.sockets + processes), BENCH_VIEW_GROUP: String(pop.sockets / processes + 1) },
      timeout: 10 * 60_000,
    });
    if (r.status !== 0) console.log(`view benchmark: the inner run ended with ${r.status ?? r.signal}`);
  } finally {
    await pop.stop();
  }
}

main().catch((e) => { console.error(`view benchmark failed: ${e instanceof Error ? e.message : String(e)}`); });
