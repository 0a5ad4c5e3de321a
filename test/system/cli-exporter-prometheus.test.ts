// A real Prometheus (Debian's `prometheus`) scrapes `sockscope exporter`: its HTTP API returns the
// expected sockscope_query_sockets values, and every query of the Grafana dashboard in
// contrib/grafana returns data there. Prometheus runs on 127.0.0.1 with a throwaway config and
// data directory, and is stopped after.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createNetns, type Netns } from './lib/netns';
import { PopulationBuilder, type RunningPopulation } from './lib/population';
import { buildCli } from './lib/ss';
import { startExporter, type RunningExporter } from './lib/exporter';

const PROMETHEUS = '/usr/bin/prometheus';
const DASHBOARD = resolve(__dirname, '..', '..', 'contrib', 'grafana', 'sockscope-dashboard.json');
const PORT = 8443;

let ns: Netns;
let pop: RunningPopulation;
let exp: RunningExporter;
let prom: ChildProcess | undefined;
let promAddress = '';
let tmp: string;

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

interface PromVector { metric: Record<string, string>; value: [number, string] }

async function query(expr: string): Promise<PromVector[]> {
  const r = await fetch(`http://${promAddress}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = await r.json() as { status: string; error?: string; data?: { resultType: string; result: PromVector[] } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
  return body.data!.result;
}

/** Polls until `ok` holds (Prometheus scrapes every second); fails with the last value after `ms`. */
async function eventually<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  let err: unknown;
  while (Date.now() < end) {
    try {
      last = await get();
      if (ok(last)) return last;
    } catch (e) { err = e; }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what}: last ${JSON.stringify(last)} ${err ? String(err) : ''}`);
}

/** A dashboard expression with Grafana's variables replaced as "All" and a short rate window would. */
function concrete(expr: string): string {
  return expr.replace(/\$instance/g, '.*').replace(/\$query/g, '.*').replace(/\$__rate_interval/g, '15s');
}

describe('Prometheus scrapes the exporter', { timeout: 120_000, skip: existsSync(PROMETHEUS) ? false : `${PROMETHEUS} is missing (Debian package prometheus)` }, () => {
  before(async () => {
    buildCli();
    ns = createNetns('prom');
    tmp = mkdtempSync(join(tmpdir(), 'sockscope-prom-'));
    const b = new PopulationBuilder().tcpListener('127.0.0.1', PORT);
    for (let i = 0; i < 3; i++) b.tcpConnection('127.0.0.1', PORT);
    pop = await b.start(ns);
    const file = join(tmp, 'health.ssq');
    writeFileSync(file, `[https]\n@warn count > 2\n@error count > 10\n@warn p99(rtt) > 1s\n-t state established sport = :${PORT}\n\n[listeners]\n-tl\n`);
    exp = await startExporter(['--queries', file, '-N', ns.name]);
    const port = await freePort();
    promAddress = `127.0.0.1:${port}`;
    writeFileSync(join(tmp, 'prometheus.yml'), [
      'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s',
      'scrape_configs:', '  - job_name: sockscope', '    static_configs:', `      - targets: ['${exp.address}']`, '',
    ].join('\n'));
    prom = spawn(PROMETHEUS, [
      `--config.file=${join(tmp, 'prometheus.yml')}`, `--storage.tsdb.path=${join(tmp, 'data')}`,
      `--web.listen-address=${promAddress}`, '--log.level=warn',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    prom.stderr!.resume();
  });
  after(async () => {
    if (prom && prom.exitCode === null) {
      await new Promise<void>((r) => { prom!.once('exit', () => r()); prom!.kill('SIGTERM'); setTimeout(() => prom!.kill('SIGKILL'), 5000).unref(); });
    }
    await exp?.stop();
    await pop?.stop();
    ns?.remove();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the HTTP API returns the exporter\'s sockscope_query_sockets', async () => {
    const v = await eventually('sockscope_query_sockets', () => query('sockscope_query_sockets'), (r) => r.length === 2);
    const byQuery = Object.fromEntries(v.map((s) => [s.metric.query, Number(s.value[1])]));
    assert.deepEqual(byQuery, { https: 3, listeners: 1 });
    assert.equal(v[0].metric.job, 'sockscope');
    const state = await query('sockscope_query_state{query="https"}');
    assert.equal(state[0].value[1], '1');
  });

  it('every query of the Grafana dashboard returns data', async () => {
    const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[]; templating: { list: { name: string; definition?: string }[] } };
    const exprs = dash.panels.flatMap((p) => p.targets.map((t) => ({ title: p.title, expr: concrete(t.expr) })));
    assert.ok(exprs.length >= 10);
    // Rates and increases need two samples in their window.
    await eventually('two samples', () => query('count_over_time(sockscope_dumps_total[15s])'), (r) => r.length > 0 && Number(r[0].value[1]) >= 3);
    for (const { title, expr } of exprs) {
      const r = await eventually(`${title}: ${expr}`, () => query(expr), (res) => res.length > 0, 10_000);
      assert.ok(r.length > 0, `${title}: ${expr}`);
    }
    // The template variables' label_values() queries name series that exist.
    for (const v of dash.templating.list) {
      const m = /^label_values\((.*), (\w+)\)$/.exec(v.definition ?? '');
      if (!m) continue;
      const r = await query(concrete(m[1]));
      assert.ok(r.some((s) => s.metric[m[2]] !== undefined), `variable ${v.name}`);
    }
  });
});
