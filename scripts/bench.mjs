#!/usr/bin/env node
// `npm run bench`: build, then compare sockscope with ss over 100,000 TCP sockets (bench/cli-vs-ss.ts), and
// measure the filter language, the helper process, the language server and the Sockets view in code-server
// (one bench file each). BENCH_ONLY=view runs only the Sockets view case (bench/view.ts), BENCH_ONLY=history-views
// only the connection log table's (bench/history-views.ts).
// Environment: BENCH_SOCKETS (default 100000), BENCH_PROCESSES (10), BENCH_ROUNDS (7), BENCH_CASES (names of
// cli-vs-ss.ts cases to run, comma-separated; default all).
import { spawnSync } from 'node:child_process';

const build = spawnSync(process.execPath, ['esbuild.js', '--production'], { stdio: 'inherit' });
if (build.status !== 0) { console.error('bench: build failed'); process.exit(0); }
const only = process.env.BENCH_ONLY;
// The Sockets view at server scale (issue 17): first rows, expand, filters, helper idle cost, extension host memory.
if (only === 'view') { spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/view.ts'], { stdio: 'inherit' }); process.exit(0); }
// The connection log table at 1,000,000 rows in Chromium (issue 14): longest and p95 frame while scrolling.
// The VS Code recorder in the helper (issue 14): its CPU beside a 100,000-socket view's refresh.
if (only === 'history-live') { spawnSync(process.execPath, ['--import', 'tsx', 'bench/history-live.ts'], { stdio: 'inherit' }); process.exit(0); }
if (only === 'history-views') { spawnSync(process.execPath, ['--import', 'tsx', 'bench/history-views.ts'], { stdio: 'inherit' }); process.exit(0); }
spawnSync(process.execPath, ['--import', 'tsx', 'bench/cli-vs-ss.ts'], { stdio: 'inherit' });
// The filter language's figures (issue 3): .ssq parse, evaluator, kernel-filtered query vs ss.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/ssq-issue3.ts'], { stdio: 'inherit' });
// The helper process (issue 4): watch CPU at 100,000 sockets, client work per refresh, 10 Hz single-socket watch.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/helper.ts'], { stdio: 'inherit' });
// Following a process tree (issue 13): the helper's extra CPU and the client's work per refresh.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/follow.ts'], { stdio: 'inherit' });
// The .ssq language server (issue 6): diagnostics after an edit and completion latency over stdio, 10,000-line file.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/lsp.ts'], { stdio: 'inherit' });
// Findings (issue 15): sockscope doctor vs ss -tanp, and the rules' work per refresh in the helper.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/findings.ts'], { stdio: 'inherit' });
// The Prometheus exporter (issue 16): a scrape with five queries vs ss -tan, and 20 concurrent scrapes.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/exporter.ts'], { stdio: 'inherit' });
// The Sockets view at server scale (issue 17).
spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/view.ts'], { stdio: 'inherit' });
// Socket history (issue 14): recorder CPU beside the plain watch and the cron workaround, DB growth, log and moment queries.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/history.ts'], { stdio: 'inherit' });
spawnSync(process.execPath, ['--import', 'tsx', 'bench/history-live.ts'], { stdio: 'inherit' });
// The connection log table (issue 14): a 1,000,000-row recording scrolled in Chromium, frame times.
spawnSync(process.execPath, ['--import', 'tsx', 'bench/history-views.ts'], { stdio: 'inherit' });
