// `sockscope check`: a namespace with a known number of established connections on a port; the
// exit status follows the thresholds (0 OK, 1 WARNING, 2 CRITICAL) and is 3 for a broken file or
// a missing namespace. The counts are compared with `ss` in the same namespace.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetns, type Netns } from './lib/netns';
import { PopulationBuilder, type RunningPopulation } from './lib/population';
import { buildCli, runCli, runSs } from './lib/ss';

const PORT = 8443;
const CONNECTIONS = 5;

let ns: Netns;
let pop: RunningPopulation;
let tmp: string;

function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

function check(args: string[]): { status: number | null; stdout: string } {
  const r = runCli(['check', ...args]);
  return { status: r.status, stdout: r.stdout };
}

describe('sockscope check', { timeout: 60_000 }, () => {
  before(async () => {
    buildCli();
    ns = createNetns('check');
    tmp = mkdtempSync(join(tmpdir(), 'sockscope-check-'));
    const b = new PopulationBuilder().tcpListener('127.0.0.1', PORT);
    for (let i = 0; i < CONNECTIONS; i++) b.tcpConnection('127.0.0.1', PORT, { unread: i === 0 ? 100 : 0 });
    pop = await b.start(ns);
  });
  after(async () => {
    await pop?.stop();
    ns?.remove();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const QUERY = `-t state established sport = :${PORT}`;

  it('counts what ss counts', () => {
    const ss = runSs(ns.name, ['-Htn', 'state', 'established', 'sport', '=', `:${PORT}`]).stdout.split('\n').filter(Boolean).length;
    assert.equal(ss, CONNECTIONS);
    const r = check([file('count.ssq', `[https]\n@warn count > 100\n${QUERY}\n`), '-N', ns.name]);
    assert.equal(r.stdout, `https OK: ${CONNECTIONS} (warn > 100) | https=${CONNECTIONS};100;\n`);
    assert.equal(r.status, 0);
  });

  it('exits 0, 1, 2 as the thresholds are crossed', () => {
    const at = (warn: number, error: number) => check([file(`t${warn}-${error}.ssq`, `[https]\n@warn count > ${warn}\n@error count > ${error}\n${QUERY}\n`), '-N', ns.name]);
    const ok = at(CONNECTIONS, CONNECTIONS + 1);
    assert.equal(ok.status, 0, ok.stdout);
    assert.match(ok.stdout, /^https OK: 5 \(warn > 5, error > 6\) \| https=5;5;6\n$/);
    const warn = at(CONNECTIONS - 1, CONNECTIONS);
    assert.equal(warn.status, 1, warn.stdout);
    assert.match(warn.stdout, /^https WARNING: 5 \(warn > 4, error > 5\) \| https=5;4;5\n$/);
    const crit = at(CONNECTIONS - 2, CONNECTIONS - 1);
    assert.equal(crit.status, 2, crit.stdout);
    assert.match(crit.stdout, /^https CRITICAL: 5 /);
  });

  it('aggregates fields (recvQ, rtt) and says when there is nothing to aggregate', () => {
    const r = check([file('agg.ssq', `[https]\n@warn max(recvQ) >= 100\n@error p99(rtt) > 10s\n${QUERY}\n\n[nobody]\n@error max(rtt) > 1us\n-t state established sport = :9\n`), '-N', ns.name]);
    assert.equal(r.status, 1, r.stdout);
    const [https, nobody] = r.stdout.split('\n');
    assert.match(https, /^https WARNING: 5, max\(recvQ\) 100B \(warn >= 100\), p99\(rtt\) \d+(\.\d+)?(us|ms) \(error > 10s\) \| https=5;; 'https max\(recvQ\)'=100B;100; 'https p99\(rtt\)'=[\d.]+us;;10000000$/);
    assert.match(nobody, /^nobody OK: 0, max\(rtt\) no sockets \(error > 1us, counted as ok\) \| nobody=0;; 'nobody max\(rtt\)'=U;;1$/);
  });

  it('--query picks queries; one dump serves them all; --json has an object per query', () => {
    const f = file('two.ssq', `[a]\n@warn count > 1\n${QUERY}\n[b]\n@error count < 1\n-tl sport = :${PORT}\n[c]\n-t sport = :1\n`);
    const r = check([f, '-N', ns.name, '--query', 'a', '--query', 'b', '--json']);
    assert.equal(r.status, 1);
    const objs = JSON.parse(r.stdout) as { name: string; status: string; count: number; thresholds: { holds: boolean }[] }[];
    assert.deepEqual(objs.map((o) => [o.name, o.status, o.count]), [['a', 'WARNING', 5], ['b', 'OK', 1]]);
    assert.deepEqual(objs[0].thresholds.map((t) => t.holds), [true]);
  });

  it('is listed by sockscope --help and has its own --help', () => {
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: sockscope /);
    assert.match(help.stdout, /\n {3}check +evaluate the thresholds/);
    assert.match(help.stdout, /\n {3}exporter +serve Prometheus metrics/);
    assert.match(runCli(['check', '--help']).stdout, /exits\n0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN/);
  });

  it('exits 3 for a file that does not parse, a missing query, a missing namespace', () => {
    const broken = check([file('broken.ssq', `[https]\n@warn p99(rtt) > 200KiB\n${QUERY}\n`), '-N', ns.name]);
    assert.equal(broken.status, 3);
    assert.match(broken.stdout, /^SOCKSCOPE UNKNOWN: .*broken\.ssq:2:\d+: unit `KiB` does not fit p99\(rtt\)/);
    const outside = check([file('outside.ssq', `@warn count > 1\n${QUERY}\n`), '-N', ns.name]);
    assert.equal(outside.status, 3);
    assert.match(outside.stdout, /outside\.ssq:1:1: a threshold directive belongs inside a named query/);
    assert.equal(check([file('ok.ssq', `[a]\n${QUERY}\n`), '-N', ns.name, '--query', 'zz']).status, 3);
    const nons = check([file('ok2.ssq', `[a]\n${QUERY}\n`), '-N', 'sockscope-no-such-netns']);
    assert.equal(nons.status, 3);
    assert.match(nons.stdout, /namespace "sockscope-no-such-netns" not found/);
    assert.equal(check([join(tmp, 'missing.ssq')]).status, 3);
  });
});
