// sockscope's text output against ss's for the same flags and filters, in one namespace with the
// standard population (whitespace runs collapsed; ss's column layout is also matched exactly
// for the plain listings).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Netns } from './lib/netns';
import { standardPopulation, startInNewNetns, type PopulatedNetns } from './lib/population';
import { buildCli, normalizeText, runCli, runSs } from './lib/ss';

let ns: Netns;
let env: PopulatedNetns | undefined;
let tmp: string;

/**
 * Timer countdowns move between two runs: keep the timer's name only. Netlink sock_diag sockets
 * (protocol 4) are the dumping tools' own and differ by nature.
 */
const stripTimers = (lines: string[]): string[] => lines
  .filter((l) => !/^nl \S+ \d+ \d+ 4:/.test(l))
  .map((l) => l.replace(/timer:\(([a-z]+),[^)]*\)/g, 'timer:($1)'));

function compare(args: string[], opts: { exact?: boolean; timers?: boolean } = {}): void {
  const ss = runSs(ns.name, args);
  const mine = runCli(['-N', ns.name, ...args]);
  assert.equal(mine.status, 0, mine.stderr);
  assert.equal(ss.status, 0, ss.stderr);
  if (opts.exact) {
    assert.equal(mine.stdout, ss.stdout);
    return;
  }
  const a = normalizeText(mine.stdout);
  const b = normalizeText(ss.stdout);
  assert.deepEqual(opts.timers ? stripTimers(a) : a, opts.timers ? stripTimers(b) : b);
}

describe('sockscope text output matches ss', { timeout: 120_000 }, () => {
  before(async () => {
    buildCli();
    tmp = mkdtempSync(join(tmpdir(), 'sockscope-cli-text-'));
    ({ ns } = env = await startInNewNetns('cli', standardPopulation(`cli-text-${process.pid}`)));
  });
  after(async () => {
    await env?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  for (const flags of [['-tan'], ['-xa'], ['-uan'], ['-tanp'], ['-uanm'], ['-ltn'], ['-4tan'], ['-6tan'], ['-tuan'], ['-wa'], ['-0a'], ['-0ae'], ['-0ap'], ['-xae'], ['-xam']]) {
    it(`ss ${flags.join(' ')} (byte for byte)`, () => compare(flags, { exact: true }));
  }
  // Cgroups with -N: ss enters the namespace's mounts with a fresh /sys, where the cgroup2 mount is gone,
  // and prints unreachable:ID; --cgroup prints the cgroup again after the -e details.
  for (const flags of [['-tan', '--cgroup'], ['-tlne', '--cgroup'], ['-uane', '--cgroup']]) {
    it(`ss -N NS ${flags.join(' ')}: cgroup text (byte for byte)`, () => compare(flags, { exact: true }));
  }
  // -e shows the timers too, which count down between the two runs.
  it('ss -N NS -tane: cgroup text', () => compare(['-tane'], { timers: true }));
  for (const flags of [['-tanH'], ['-ta'], ['-t'], ['-tn', 'state', 'established'], ['-tan', 'state', 'time-wait'], ['-an', 'exclude', 'listening'], ['-tano'], ['-xanp']]) {
    it(`ss ${flags.join(' ')}`, () => compare(flags, { timers: true }));
  }

  it('-i prints the tcp_info line like ss (idle connections; last* ages masked)', () => {
    const mask = (lines: string[]): string[] => lines.map((l) => l.replace(/\b(lastsnd|lastrcv|lastack):\d+/g, '$1:N'));
    for (const flags of [['-tni'], ['-tnio'], ['-tnim', 'state', 'established']]) {
      // The population's SYN-SENT socket retransmits (rto, backoff, segs_out, retrans change): when
      // that happens between the two runs, compare again.
      for (let attempt = 0; ; attempt++) {
        const mine = runCli(['-N', ns.name, ...flags]);
        assert.equal(mine.status, 0, mine.stderr);
        const a = mask(stripTimers(normalizeText(mine.stdout)));
        const b = mask(stripTimers(normalizeText(runSs(ns.name, flags).stdout)));
        if (attempt < 2 && JSON.stringify(a) !== JSON.stringify(b)) continue;
        assert.deepEqual(a, b, flags.join(' '));
        break;
      }
    }
  });

  it('-H drops the header', () => {
    const r = runCli(['-N', ns.name, '-tanH']);
    assert.equal(r.status, 0);
    assert.ok(!/^State/.test(r.stdout));
    assert.ok(/^LISTEN/.test(r.stdout));
  });

  it('-m prints the skmem line like ss', () => {
    const mine = normalizeText(runCli(['-N', ns.name, '-tnm', 'state', 'listening']).stdout);
    const ss = normalizeText(runSs(ns.name, ['-tnm', 'state', 'listening']).stdout);
    assert.deepEqual(mine, ss);
    assert.ok(mine.some((l) => l.startsWith('skmem:(r0,rb')));
  });

  const filters: string[][] = [
    ['sport', '=', ':7001'],
    ['dport', '>=', ':7003'],
    ['(', 'sport', '=', ':7001', 'or', 'dport', '=', ':7001', ')'],
    ['src', '10.77.0.0/16'],
    ['dst', '[::1]'],
    ['not', 'src', '127.0.0.1'],
    ['fwmark', '0x2a'],
    ['dev', 'ssv0'],
    ['autobound'],
    ['src', '10.77.0.1:7002'],
    ['src', '10.77.0.2'],
  ];
  for (const f of filters) {
    it(`filter: ${f.join(' ')}`, () => compare(['-tan', ...f], { timers: true }));
  }

  it('filter on unix paths and abstract names', () => {
    compare(['-xa', 'src', '@sockscope-*']);
    compare(['-xa', 'src', `/tmp/sockscope-cli-text-${process.pid}.*`]);
  });

  it('-F FILE reads the expression from a file (comments skipped)', () => {
    const file = join(tmp, 'filter.ssq');
    writeFileSync(file, '# the listeners on lo\nsport = :7001\nor sport = :7002\n');
    const mine = runCli(['-N', ns.name, '-tan', '-F', file]);
    assert.equal(mine.status, 0, mine.stderr);
    assert.deepEqual(normalizeText(mine.stdout), normalizeText(runSs(ns.name, ['-tan', 'sport', '=', ':7001', 'or', 'sport', '=', ':7002']).stdout));
  });

  it('plain inet rows come from the WebAssembly writer, with the bytes the JavaScript path prints', () => {
    // Both writers read one capture of the TCP sockets (TCPDIAG_FILE), so both print the same sockets
    // with the same tcp_info: two live dumps differ whenever a connection moves between them (the race
    // this test once lost). UDP is read live: the population's UDP sockets do not change.
    const capture = join(tmp, 'wasm-rows.bin');
    const cap = runCli(['-N', ns.name, '-tai', '-D', capture]);
    assert.equal(cap.status, 0, cap.stderr);
    for (const args of [['-tan'], ['-tani'], ['-tuan'], ['-uan'], ['-tn', 'state', 'established']]) {
      const fast = runCli(['-N', ns.name, ...args], { SOCKSCOPE_DEBUG: '1', TCPDIAG_FILE: capture });
      assert.equal(fast.status, 0, fast.stderr);
      assert.ok(!/no WebAssembly row writer/.test(fast.stderr), fast.stderr);
      const js = runCli(['-N', ns.name, ...args], { SOCKSCOPE_DEBUG: '1', SOCKSCOPE_WASM: '0', TCPDIAG_FILE: capture });
      assert.match(js.stderr, /no WebAssembly row writer/);
      assert.equal(fast.stdout, js.stdout, args.join(' '));
    }
  });

  it('kernel bytecode and the userspace recheck agree (no fallback needed)', () => {
    const r = runCli(['-N', ns.name, '-tan', 'dport', '>=', ':7003'], { SOCKSCOPE_DEBUG: '1' });
    assert.equal(r.status, 0);
    assert.ok(!/refused the filter bytecode/.test(r.stderr), r.stderr);
  });
});
