// `sockscope exporter` in a namespace with known connections: /metrics has the right values (checked
// against ss in the same namespace), /healthz flips to 503 when a query reaches `error`, and
// concurrent scrapes share one dump.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetns, type Netns } from './lib/netns';
import { PopulationBuilder, type RunningPopulation } from './lib/population';
import { buildCli, runCli, runSs } from './lib/ss';
import { sample, startExporter, type RunningExporter } from './lib/exporter';
import { SockDiag } from '../../src/netlink/index';
import { parseDocument } from '../../src/ssq/index';
import { healthQueriesOf } from '../../src/host/health-file';
import { Exporter } from '../../src/cli/commands/exporter';

const PORT = 8443;

let ns: Netns;
let pop: RunningPopulation;
let exp: RunningExporter;
let tmp: string;

describe('sockscope exporter', { timeout: 90_000 }, () => {
  before(async () => {
    buildCli();
    ns = createNetns('exporter');
    tmp = mkdtempSync(join(tmpdir(), 'sockscope-exporter-'));
    // 0.0.0.0:9000 gives the findings engine something to say (a listener on every address).
    const b = new PopulationBuilder().tcpListener('127.0.0.1', PORT).tcpListener('0.0.0.0', 9000);
    for (let i = 0; i < 5; i++) b.tcpConnection('127.0.0.1', PORT);
    pop = await b.start(ns);
    const file = join(tmp, 'health.ssq');
    writeFileSync(file, [
      '[https]', '@warn count > 5', '@error count > 7', '@warn p99(rtt) > 10s', `-t state established sport = :${PORT}`,
      '', '[clients]', `-t state established dport = :${PORT}`, '',
    ].join('\n'));
    exp = await startExporter(['--queries', file, '-N', ns.name, '--findings']);
  });
  after(async () => {
    await exp?.stop();
    await pop?.stop();
    ns?.remove();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('exports the queries, sockets by state, listeners and kernel counters', async () => {
    const r = await exp.get('/metrics');
    assert.equal(r.status, 200);
    const m = r.body;
    assert.equal(sample(m, 'sockscope_query_sockets{query="https"}'), 5);
    assert.equal(sample(m, 'sockscope_query_sockets{query="clients"}'), 5);
    assert.equal(sample(m, 'sockscope_query_state{query="https"}'), 0);
    assert.equal(sample(m, 'sockscope_query_threshold{query="https",level="error",measure="count",cmp=">"}'), 7);
    assert.equal(sample(m, 'sockscope_query_threshold{query="https",level="warn",measure="p99(rtt)",cmp=">"}'), 10);
    assert.ok(sample(m, 'sockscope_query_value{query="https",measure="p99(rtt)"}')! > 0);
    assert.equal(sample(m, 'sockscope_query_rtt_seconds_count{query="https"}'), 5);
    assert.equal(sample(m, 'sockscope_query_rtt_seconds_bucket{le="+Inf",query="https"}'), 5);
    const ssEstab = runSs(ns.name, ['-Htn', 'state', 'established']).stdout.split('\n').filter(Boolean).length;
    assert.equal(sample(m, 'sockscope_sockets{netid="tcp",state="ESTAB"}'), ssEstab);
    assert.equal(sample(m, 'sockscope_sockets{netid="tcp",state="LISTEN"}'), 2);
    assert.equal(sample(m, 'sockscope_listener_backlog{listener="127.0.0.1:8443"}'), 16);
    assert.equal(sample(m, 'sockscope_listener_accept_queue{listener="127.0.0.1:8443"}'), 0);
    assert.equal(typeof sample(m, 'sockscope_tcp_listen_overflows_total'), 'number');
    assert.equal(typeof sample(m, 'sockscope_tcp_listen_drops_total'), 'number');
    // No label names a connection or a peer.
    assert.ok(!/peer|port=|cookie/.test(m.split('\n').filter((l) => !l.startsWith('#')).join('\n')));
  });

  it('counts findings by id and severity as sockscope doctor finds them', async () => {
    const doctor = JSON.parse(runCli(['doctor', '-N', ns.name, '--json']).stdout) as { rule: string; severity: string }[];
    assert.ok(doctor.length > 0, 'the 0.0.0.0 listener is a finding');
    const want = new Map<string, number>();
    for (const f of doctor) want.set(`sockscope_findings{id="${f.rule}",severity="${f.severity}"}`, (want.get(`sockscope_findings{id="${f.rule}",severity="${f.severity}"}`) ?? 0) + 1);
    const m = (await exp.get('/metrics')).body;
    for (const [series, n] of want) assert.equal(sample(m, series), n, series);
    assert.equal(m.split('\n').filter((l) => l.startsWith('sockscope_findings{')).length, want.size);
  });

  it('/healthz answers 200 until a query is in error, then 503 naming it', async () => {
    let h = await exp.get('/healthz');
    assert.equal(h.status, 200, h.body);
    assert.match(h.body, /^ok\nhttps ok: 5 sockets\n/);
    // Three more connections: 8 > 7.
    const more = new PopulationBuilder().tcpListener('127.0.0.2', PORT);
    for (let i = 0; i < 3; i++) more.tcpConnection('127.0.0.2', PORT);
    const extra = await more.start(ns);
    try {
      h = await exp.get('/healthz');
      assert.equal(h.status, 503, h.body);
      assert.match(h.body, /^error: https\nhttps error: 8 sockets \(warn count > 5, error count > 7\)\n/);
      const m = (await exp.get('/metrics')).body;
      assert.equal(sample(m, 'sockscope_query_state{query="https"}'), 2);
      assert.equal(sample(m, 'sockscope_listener_backlog{listener="127.0.0.2:8443"}'), 16);
    } finally {
      await extra.stop();
    }
    h = await exp.get('/healthz');
    assert.equal(h.status, 200, h.body);
  });

  it('20 concurrent scrapes all answer and share dumps', async () => {
    const before = sample((await exp.get('/metrics')).body, 'sockscope_dumps_total')!;
    const all = await Promise.all(Array.from({ length: 20 }, () => exp.get('/metrics')));
    for (const r of all) assert.equal(r.status, 200);
    for (const r of all) assert.equal(sample(r.body, 'sockscope_query_sockets{query="https"}'), 5);
    const after = Math.max(...all.map((r) => sample(r.body, 'sockscope_dumps_total')!));
    assert.ok(after - before <= 20 && after > before, `dumps ${before} -> ${after}`);
  });

  it('scrapes that arrive during a dump share it: one dump at a time (in process)', async () => {
    const diag = SockDiag.open({ netnsPath: ns.path });
    try {
      const queries = healthQueriesOf(parseDocument(`[https]\n-t state established sport = :${PORT}\n`), 'x.ssq').queries;
      const e = new Exporter(diag, queries);
      const scrapes = Array.from({ length: 20 }, () => e.scrape());
      assert.equal(new Set(scrapes).size, 1, 'one promise for all');
      const results = await Promise.all(scrapes);
      assert.equal(e.maxRunning, 1);
      assert.equal(sample(results[19].text, 'sockscope_dumps_total'), 1);
      await Promise.all([e.scrape(), e.scrape()]);
      assert.equal(e.maxRunning, 1);
    } finally {
      diag.close();
    }
  });

  it('refuses a broken file and a missing namespace at start', () => {
    const bad = join(tmp, 'bad.ssq');
    writeFileSync(bad, '[x]\n@warn count >\n-t\n');
    const r = runCli(['exporter', '--queries', bad, '-N', ns.name]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.ssq:2:\d+: expected a number after `count >`/);
    assert.match(runCli(['exporter', '-N', 'sockscope-no-such-netns']).stderr, /namespace "sockscope-no-such-netns" not found/);
    assert.match(runCli(['exporter', '--listen', 'nowhere']).stderr, /--listen takes ADDR:PORT/);
  });
});
