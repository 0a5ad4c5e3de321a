// `sockscope exporter` reloads its .ssq files: an edit (written in place or renamed over the file, as
// editors save) changes the exported queries; a file that does not parse keeps the last good queries
// and says where and why; SIGHUP reloads too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetns, type Netns } from './lib/netns';
import { PopulationBuilder, type RunningPopulation } from './lib/population';
import { buildCli } from './lib/ss';
import { sample, startExporter, type RunningExporter } from './lib/exporter';

let ns: Netns;
let pop: RunningPopulation;
let exp: RunningExporter;
let tmp: string;
let file: string;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Scrapes until `ok` holds for the metrics (a reload lands after its debounce), or fails with the last body. */
async function until(ok: (metrics: string) => boolean, what: string): Promise<string> {
  let body = '';
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(150)) {
    body = (await exp.get('/metrics')).body;
    if (ok(body)) return body;
  }
  assert.fail(`${what}; last metrics:\n${body.split('\n').filter((l) => l.startsWith('sockscope_query_sockets')).join('\n')}\nstderr:\n${exp.stderr()}`);
}

describe('sockscope exporter reloads its query files', { timeout: 90_000 }, () => {
  before(async () => {
    buildCli();
    ns = createNetns('exp-reload');
    tmp = mkdtempSync(join(tmpdir(), 'sockscope-exporter-reload-'));
    pop = await new PopulationBuilder().tcpListener('127.0.0.1', 8601).tcpListener('127.0.0.1', 8602).start(ns);
    file = join(tmp, 'health.ssq');
    writeFileSync(file, '[first]\n-tl sport = :8601\n');
    exp = await startExporter(['--queries', file, '-N', ns.name]);
  });
  after(async () => {
    await exp?.stop();
    await pop?.stop();
    ns?.remove();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('an edit written in place replaces the queries', async () => {
    assert.equal(sample((await exp.get('/metrics')).body, 'sockscope_query_sockets{query="first"}'), 1);
    writeFileSync(file, '[first]\n-tl sport = :8601\n\n[both]\n-tl sport >= :8601\n');
    const m = await until((b) => sample(b, 'sockscope_query_sockets{query="both"}') === 2, 'the new query is exported');
    assert.equal(sample(m, 'sockscope_query_sockets{query="first"}'), 1);
    assert.match(exp.stderr(), /reloaded 2 queries/);
  });

  it('a file renamed over it (how editors save) replaces them too; a query that went is gone', async () => {
    const next = join(tmp, 'health.ssq.tmp');
    writeFileSync(next, '[second]\n-tl sport = :8602\n');
    renameSync(next, file);
    const m = await until((b) => sample(b, 'sockscope_query_sockets{query="second"}') === 1, 'the renamed file is read');
    assert.equal(sample(m, 'sockscope_query_sockets{query="first"}'), undefined);
    assert.equal(sample(m, 'sockscope_query_sockets{query="both"}'), undefined);
  });

  it('a file that does not parse keeps the last good queries and says where and why', async () => {
    writeFileSync(file, '[second]\n-tl sport = :8602\n\n[broken]\n-tl dport =\n');
    for (const deadline = Date.now() + 15_000; !/reload failed/.test(exp.stderr()) && Date.now() < deadline;) await sleep(100);
    assert.match(exp.stderr(), /sockscope: exporter: reload failed, keeping the last 1 queries: .*health\.ssq:5:\d+: .*expected a port/);
    const m = (await exp.get('/metrics')).body;
    assert.equal(sample(m, 'sockscope_query_sockets{query="second"}'), 1);
    assert.equal(sample(m, 'sockscope_query_sockets{query="broken"}'), undefined);
    assert.equal(exp.child.exitCode, null, 'still running');
  });

  it('SIGHUP reloads', async () => {
    // Written while nobody watches would be missed: SIGHUP is the way to say "read them again".
    writeFileSync(file, '[third]\n-tl sport >= :8601\n');
    await until((b) => sample(b, 'sockscope_query_sockets{query="third"}') === 2, 'the fixed file is read');
    const before = (exp.stderr().match(/reloaded/g) ?? []).length;
    exp.child.kill('SIGHUP');
    for (const deadline = Date.now() + 15_000; (exp.stderr().match(/reloaded/g) ?? []).length === before && Date.now() < deadline;) await sleep(100);
    assert.match(exp.stderr().split('\n').filter((l) => /reloaded/.test(l)).pop() ?? '', /reloaded 1 queries \(SIGHUP\)/);
  });
});
