// ss's raw captures: `ss -D FILE` / `sockscope -D FILE` write the TCP sock_diag dump, and
// `TCPDIAG_FILE=FILE` makes either read TCP sockets from it. Over the conformance corpus's TCP
// queries, a capture replays through sockscope exactly as through ss (text output, byte for byte),
// whichever tool wrote it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetns, type Netns } from './lib/netns';
import { buildCli, CLI, runCli, runSs } from './lib/ss';
import { loadCorpus, type CorpusEntry } from '../fixtures/ssq/corpus';
import { startSsqPopulation, type SsqPopulation } from '../fixtures/ssq/population';

const hasSs = spawnSync('ss', ['-V']).status === 0;
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

interface Run { status: number | null; stdout: string; stderr: string }
function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 30_000, env: { ...ENV, ...env } }, (err, stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      resolve({ status: err ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
    });
  });
}

/** Queries that dump TCP (a -t in a short cluster, --tcp, or tcp in -A), without options that act or summarize. */
function isTcpQuery(e: CorpusEntry): boolean {
  const a = e.argv;
  if (a.some((w) => /^-[a-zA-Z0-9]*[KEsDN]/.test(w) && !w.startsWith('--') || w === '--kill' || w === '--events' || w === '--summary')) return false;
  const tcp = a.some((w, i) => (/^-[a-zA-Z0-9]*t/.test(w) && !w.startsWith('--')) || w === '--tcp' || ((w === '-A' || w === '--query') && /(^|,)(tcp|inet|all)(,|$)/.test(a[i + 1] ?? '')));
  // A -A that removes tcp again; netlink tables (each process's own netlink sockets differ)
  return tcp && !a.some((w) => /!tcp/.test(w) || /(^|,)(all|netlink)(,|$)/.test(w) || w === '--netlink');
}

let ns: Netns;
let pop: SsqPopulation;
let dir: string;
let queries: CorpusEntry[];

describe('-D and TCPDIAG_FILE', { skip: !hasSs && 'ss not installed', timeout: 300_000 }, () => {
  before(async () => {
    buildCli();
    ns = createNetns('diagfile');
    try { pop = await startSsqPopulation(ns); } catch (e) { ns.remove(); throw e; }
    dir = mkdtempSync(join(tmpdir(), 'sockscope-diag-'));
    queries = loadCorpus(pop.tmp).filter((e) => e.section === 'same' && isTcpQuery(e));
  });
  after(async () => {
    await pop?.dispose();
    ns?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sockscope -D writes what ss -D writes: one dump per family, each ending in NLMSG_DONE', () => {
    const a = join(dir, 'ss.bin');
    const b = join(dir, 'sockscope.bin');
    assert.equal(runSs(ns.name, ['-ta', '-D', a]).status, 0);
    const r = runCli(['-N', ns.name, '-ta', '-D', b]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '', 'nothing on stdout');
    const types = (f: string): number[] => {
      const buf = readFileSync(f);
      const out: number[] = [];
      for (let off = 0; off + 16 <= buf.length; off += (buf.readUInt32LE(off) + 3) & ~3) out.push(buf.readUInt16LE(off + 4));
      return out;
    };
    const ta = types(a), tb = types(b);
    assert.equal(tb.filter((t) => t === 3).length, 2, 'two NLMSG_DONE (IPv4, IPv6)');
    assert.deepEqual(tb.filter((t) => t !== 3).length, ta.filter((t) => t !== 3).length, 'as many socket messages as ss wrote');
    assert.equal(statSync(b).size > 0, true);
    // `-` writes to stdout
    const out = spawnSync(process.execPath, [CLI, '-N', ns.name, '-t', '-D', '-'], { env: ENV });
    assert.equal(out.status, 0);
    assert.ok(out.stdout.length > 0 && out.stdout.readUInt16LE(4) === 20, 'stdout holds the datagrams');
  });

  it('a capture replays identically in ss and sockscope, whichever wrote it, over the corpus TCP queries', async () => {
    assert.ok(queries.length >= 20, `only ${queries.length} TCP queries in the corpus`);
    const captures = { ss: join(dir, 'cap-ss.bin'), sockscope: join(dir, 'cap-sockscope.bin') };
    assert.equal(runSs(ns.name, ['-tai', '-m', '-D', captures.ss]).status, 0);
    const r = runCli(['-N', ns.name, '-tai', '-m', '-D', captures.sockscope]);
    assert.equal(r.status, 0, r.stderr);
    const failures: string[] = [];
    const timeless = (q: CorpusEntry): boolean => !q.argv.some((w) => /^-[a-zA-Z0-9]*[ioem]/.test(w) && !w.startsWith('--') || /^--(info|options|extended|memory)$/.test(w));
    // Two at a time: the machine has 2 shared cores.
    let next = 0;
    await Promise.all([0, 1].map(async () => {
      while (next < queries.length) {
        const q = queries[next++];
        // Both inside the namespace by `ip netns exec` (ss -N remounts /sys, so its cgroup paths differ from a plain run's).
        const args = ['-n', ...q.argv];
        const inNs = (tool: string[], file: string): Promise<Run> => exec('ip', ['netns', 'exec', ns.name, ...tool, ...args], { TCPDIAG_FILE: file });
        // ss's capture through ss and sockscope
        const [s, c] = await Promise.all([inNs(['ss'], captures.ss), inNs([process.execPath, CLI], captures.ss)]);
        if (s.status !== 0) continue; // ss refuses it with a file too (not a replay question)
        if (c.stdout !== s.stdout) failures.push(`ss capture, line ${q.line}: ${q.text}\n--- ss\n${s.stdout}--- sockscope (${c.status}) ${c.stderr}\n${c.stdout}`);
        // sockscope's capture through ss: what ss shows of its own capture (timers and counters aside)
        if (!timeless(q)) continue;
        const b = await inNs(['ss'], captures.sockscope);
        if (b.stdout !== s.stdout) failures.push(`sockscope capture in ss, line ${q.line}: ${q.text}\n--- ss capture\n${s.stdout}--- sockscope capture\n${b.stdout}`);
      }
    }));
    if (failures.length) require("node:fs").writeFileSync("/tmp/diag-failures.txt", failures.join("\n=====\n"));
    assert.equal(failures.length, 0, failures.slice(0, 3).join("\n"));
  });

  it('the two captures hold the same sockets', async () => {
    const out = await Promise.all([join(dir, 'cap-ss.bin'), join(dir, 'cap-sockscope.bin')].map((f) => exec('ss', ['-N', ns.name, '-tn'], { TCPDIAG_FILE: f })));
    assert.equal(out[0].stdout, out[1].stdout);
    assert.ok(out[0].stdout.split('\n').length > 5, out[0].stdout);
  });

  it('a truncated or missing capture is said on stderr', () => {
    const cut = join(dir, 'cut.bin');
    const full = readFileSync(join(dir, 'cap-ss.bin'));
    require('node:fs').writeFileSync(cut, full.subarray(0, 150));
    const r = runCli(['-tn'], { TCPDIAG_FILE: cut });
    assert.match(r.stderr, /unexpected end of TCPDIAG_FILE/);
    const m = runCli(['-tn'], { TCPDIAG_FILE: join(dir, 'none.bin') });
    assert.equal(m.status, 2);
    assert.match(m.stderr, /cannot read TCPDIAG_FILE .*ENOENT/);
  });
});
