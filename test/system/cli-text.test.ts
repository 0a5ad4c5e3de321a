// sockscope's text output against ss's for the same flags and filters, in one namespace with the
// standard population (whitespace runs collapsed; ss's column layout is also matched exactly
// for the plain listings).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('-p: the last row with the longest users:(...) cell pads no other row (ss\'s width rule), byte for byte', async () => {
    // One listener held by six descriptors has the longest Process cell; a capture is reordered so its
    // socket comes last, and ss and sockscope replay it (TCPDIAG_FILE) with -p.
    const holder = spawn('ip', ['netns', 'exec', ns.name, 'python3', '-c', `
import socket, os, sys, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', 7950)); l.listen()
fds = [os.dup(l.fileno()) for _ in range(5)]
print('ready', flush=True)
sys.stdin.read()`], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise((r) => holder.stdout!.once('data', r));
      const capture = join(tmp, 'users.bin');
      assert.equal(runSs(ns.name, ['-ta', '-D', capture]).status, 0);
      const buf = readFileSync(capture);
      const msgs: Buffer[] = [];
      let done: Buffer | null = null;
      for (let off = 0; off + 16 <= buf.length; off += (buf.readUInt32LE(off) + 3) & ~3) {
        const m = buf.subarray(off, off + buf.readUInt32LE(off));
        if (m.readUInt16LE(4) === 3) { done ??= m; continue; }
        msgs.push(m);
      }
      // inet_diag_msg after the 16-byte header: family, state, timer, retrans, then the sport (big-endian).
      const held = msgs.findIndex((m) => m.readUInt16BE(16 + 4) === 7950 && m[16 + 1] === 10);
      assert.ok(held >= 0, 'the listener is in the capture');
      const reordered = join(tmp, 'users-last.bin');
      writeFileSync(reordered, Buffer.concat([...msgs.filter((_, i) => i !== held), msgs[held], done!]));
      const ssOut = spawnSync('ss', ['-tanp'], { encoding: 'utf8', env: { ...process.env, TCPDIAG_FILE: reordered } });
      assert.equal(ssOut.status, 0, ssOut.stderr);
      const lines = ssOut.stdout.trimEnd().split('\n');
      const users = (l: string): number => (/users:\(.*\)/.exec(l)?.[0].length ?? 0);
      assert.match(lines[lines.length - 1], /:7950 .*users:\(\("python3",pid=\d+,fd=\d+\)(,\("python3",pid=\d+,fd=\d+\)){5}\)/);
      assert.ok(lines.slice(1, -1).every((l) => users(l) < users(lines[lines.length - 1])), 'the last row has the longest users cell');
      const mine = runCli(['-tanp'], { TCPDIAG_FILE: reordered });
      assert.equal(mine.status, 0, mine.stderr);
      assert.equal(mine.stdout, ssOut.stdout);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('kernel bytecode and the userspace recheck agree (no fallback needed)', () => {
    const r = runCli(['-N', ns.name, '-tan', 'dport', '>=', ':7003'], { SOCKSCOPE_DEBUG: '1' });
    assert.equal(r.status, 0);
    assert.ok(!/refused the filter bytecode/.test(r.stderr), r.stderr);
  });
});
