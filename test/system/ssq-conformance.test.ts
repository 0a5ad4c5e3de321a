// Conformance of the filter language with the installed ss: every query of
// test/fixtures/ssq/conformance.txt runs through `ss -N NS -n -e -H <query>` and
// `sockscope -N NS --json <query>` in one namespace with a varied population. Where ss accepts,
// both return the same sockets (netid, state, local, peer, inode); where ss rejects, sockscope exits 2
// with `filter error at column N`, except the documented extensions (spec section 3), which it
// accepts and answers like ss answers their portable form.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createNetns, type Netns } from './lib/netns';
import { buildCli, CLI, parseSs } from './lib/ss';
import { CORPUS_SECTIONS, loadCorpus, type CorpusEntry, type CorpusSection } from '../fixtures/ssq/corpus';
import { startSsqPopulation, type SsqPopulation } from '../fixtures/ssq/population';
import { NETIDS, STATE_NAMES, type SocketRecord } from '../../src/protocol/socket-record';
import { format, parseArgv, STATE_WORDS } from '../../src/ssq/index';
import { shellSplit } from '../../src/ssq/shell';

const hasSs = spawnSync('ss', ['-V']).status === 0;

/** Queries in flight at once (each runs ss, then node): the machine has 2 shared cores. */
const PARALLEL = 2;

interface Run { status: number | null; stdout: string; stderr: string }

/** Without NODE_EXTRA_CA_CERTS: some sandboxes set it, and every node start then reads a CA bundle. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

function exec(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 30_000, env: ENV }, (err, stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      const status = err ? (typeof code === 'number' ? code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

async function pool<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  }));
  return out;
}

/** Netlink protocol numbers for sockscope's names (ss -n prints the number). */
const NL_PROTO: Record<string, number> = {
  rtnl: 0, unused: 1, usersock: 2, fw: 3, tcpdiag: 4, nflog: 5, xfrm: 6, selinux: 7, iscsi: 8, audit: 9,
  fiblookup: 10, connector: 11, nft: 12, ip6fw: 13, dec: 14, uevent: 15, genl: 16, scsitrans: 18, ecryptfs: 19, rdma: 20, crypto: 21, smc: 22,
};

const INET_NETIDS = new Set(['tcp', 'udp', 'mptcp']);

interface Cols { netid: boolean; state: boolean }

/**
 * Netlink sockets of the kernel (port 0) and of the population; ss and sockscope run side by side
 * and each sees the other's own sock_diag and rtnetlink sockets.
 */
function populationNetlink(port: number): boolean {
  return port === 0 || port === 4242 || port === pop.info.pid;
}

/** The comparable identity of a socket. Columns ss hid (one table / one state) are left out. */
function key(k: { netid: string; state: string; local: string; peer: string; inode: string }, cols: Cols): string | null {
  return `${cols.netid ? k.netid : '?'} ${cols.state ? k.state : '?'} ${k.local} ${k.peer} ${k.inode}`;
}

function recordKeys(recs: SocketRecord[], cols: Cols): string[] {
  const out: string[] = [];
  for (const r of recs) {
    let local: string;
    let peer: string;
    let inode = '-';
    if (r.netid.startsWith('u_')) {
      local = `${r.localAddress ?? '*'} ${r.localPort}`;
      peer = `* ${r.peerPort}`;
    } else if (r.netid.startsWith('p_')) {
      local = '-';
      peer = '-';
      inode = String(r.inode);
    } else if (r.netid === 'nl') {
      const proto = NL_PROTO[r.localAddress ?? ''] ?? r.localAddress;
      if (!populationNetlink(r.localPort)) continue;
      local = `${proto}:${r.localPort}`;
      peer = '*';
    } else {
      local = `${r.localAddress}%${r.iface ?? ''}:${r.localPort}`;
      peer = `${r.peerAddress}:${r.peerPort}`;
      if (INET_NETIDS.has(r.netid)) inode = String(r.inode);
    }
    out.push(key({ netid: r.netid, state: r.state, local, peer, inode }, cols)!);
  }
  return out.sort();
}

/** ss -H -n -e lines -> keys; also says which of the Netid/State columns ss printed. */
function ssKeys(text: string, recs: SocketRecord[]): { keys: string[]; cols: Cols } {
  const cols: Cols = { netid: true, state: true };
  const lines = text.split('\n').filter((l) => l.trim() && !/^\s/.test(l));
  const recNetids = new Set(recs.map((r) => r.netid));
  const guess = recNetids.size === 1 ? [...recNetids][0] : '?';
  const keys: string[] = [];
  for (const line of lines) {
    const w = line.trim().split(/\s+/);
    let netid = w[0];
    if (!(NETIDS as readonly string[]).includes(w[0])) { cols.netid = false; netid = guess; w.unshift(netid); }
    if (!(STATE_NAMES as readonly string[]).includes(w[1])) { cols.state = false; w.splice(1, 0, 'UNCONN'); }
    const state = w[1];
    const [s] = parseSs(w.join(' '));
    let local: string;
    let peer: string;
    let inode = '-';
    if (netid.startsWith('u_')) {
      local = `${s.localAddress ?? '*'} ${s.localPort}`;
      peer = `* ${s.peerPort}`;
    } else if (netid.startsWith('p_')) {
      // ss -n prints protocol numbers and interface names oddly ([2048]:*, *:ssv0): compare by inode
      local = '-';
      peer = '-';
      inode = /\bino:(\d+)/.exec(line)?.[1] ?? '-';
    } else if (netid === 'nl') {
      const [proto, port] = w[4].split(':');
      if (!populationNetlink(Number(port))) continue;
      local = `${proto}:${port}`;
      peer = '*';
    } else {
      local = `${s.localAddress}%${s.iface ?? ''}:${s.localPort}`;
      peer = `${s.peerAddress}:${s.peerPort}`;
      if (INET_NETIDS.has(netid)) inode = String(s.inode ?? '-');
    }
    keys.push(key({ netid, state, local, peer, inode }, cols)!);
  }
  return { keys: keys.sort(), cols };
}

function diff(ss: string[], mine: string[]): string {
  const a = new Map<string, number>();
  for (const k of ss) a.set(k, (a.get(k) ?? 0) + 1);
  const extra: string[] = [];
  for (const k of mine) {
    const n = a.get(k) ?? 0;
    if (n > 0) a.set(k, n - 1);
    else extra.push(k);
  }
  const missing = [...a].flatMap(([k, n]) => Array(n).fill(k) as string[]);
  return [...missing.map((k) => `  only ss:        ${k}`), ...extra.map((k) => `  only sockscope: ${k}`)].join('\n');
}

let ns: Netns;
let pop: SsqPopulation;
let corpus: CorpusEntry[];
let ran = 0;

const ssRun = (argv: string[]): Promise<Run> => exec('ss', ['-N', ns.name, '-n', '-e', '-H', ...argv]);
const cliRun = (argv: string[]): Promise<Run> => exec(process.execPath, [CLI, '-N', ns.name, '--json', ...argv]);

const FILTER_ERROR = /^sockscope: filter error at (?:line \d+, )?column (\d+)(?: of \S+)?: \S.*$/;

/** Compares sockscope's sockets with ss's for one accepted query; returns a failure text or null. */
function compare(e: CorpusEntry, ss: Run, cli: Run, label = ''): string | null {
  if (cli.status !== 0) return `${e.text}${label}: sockscope exit ${cli.status}: ${cli.stderr.trim()}`;
  let recs: SocketRecord[];
  try {
    recs = JSON.parse(cli.stdout) as SocketRecord[];
  } catch {
    return `${e.text}${label}: sockscope printed no JSON array: ${cli.stdout.slice(0, 200)}`;
  }
  const s = ssKeys(ss.stdout, recs);
  const mine = recordKeys(recs, s.cols);
  const d = diff(s.keys, mine);
  return d ? `${e.text}${label}: different sockets (ss ${s.keys.length}, sockscope ${mine.length})\n${d}` : null;
}

async function check(e: CorpusEntry): Promise<string | null> {
  ran++;
  const [ss, cli] = await Promise.all([ssRun(e.argv), cliRun(e.argv)]);
  const ssOk = ss.status === 0;
  const expectSsOk = e.section === 'same' || e.section === 'stricter' || e.section === 'accepted';
  if (ssOk !== expectSsOk) return `${e.text}: corpus expects ss to ${expectSsOk ? 'accept' : 'reject'} it, but ss ${ssOk ? 'accepts' : `rejects (${ss.status}): ${ss.stderr.trim().split('\n').pop()}`}`;
  switch (e.section) {
    case 'same':
      return compare(e, ss, cli);
    case 'accepted':
      return cli.status === 0 ? null : `${e.text}: sockscope exit ${cli.status}: ${cli.stderr.trim()}`;
    case 'error':
    case 'stricter': {
      const lines = cli.stderr.trim().split('\n');
      const m = FILTER_ERROR.exec(lines[0] ?? '');
      if (cli.status !== 2 || !m || lines.length !== 1) return `${e.text}: expected exit 2 and one \`filter error at column N\` line, got exit ${cli.status}: ${cli.stderr.trim() || cli.stdout.slice(0, 120)}`;
      const col = Number(m[1]);
      const width = ['-N', ns.name, ...e.argv].join(' ').length + 1;
      if (e.argv.includes('-F') ? col < 1 : col < 1 || col > width) return `${e.text}: column ${col} outside the command line (1..${width})`;
      return null;
    }
    case 'option-error': {
      const lines = cli.stderr.trim().split('\n');
      if (cli.status !== 2 || lines.length !== 1 || !lines[0].startsWith('sockscope: ')) return `${e.text}: expected exit 2 and one \`sockscope: ...\` line, got exit ${cli.status}: ${cli.stderr.trim()}`;
      return null;
    }
    case 'extension': {
      const parsed = parseArgv(e.argv);
      if (!parsed.usesExtensions) return `${e.text}: parser does not flag the extension (usesExtensions false)`;
      const portable = shellSplit(format(parsed), []).map((w) => w.text);
      const ssPortable = await ssRun(portable);
      if (ssPortable.status !== 0) return `${e.text}: ss rejects the portable form \`${portable.join(' ')}\`: ${ssPortable.stderr.trim()}`;
      return compare(e, ssPortable, cli, ` (vs ss ${portable.join(' ')})`);
    }
  }
}

async function runSection(section: CorpusSection): Promise<void> {
  const entries = corpus.filter((e) => e.section === section);
  assert.ok(entries.length > 0, `no [${section}] queries`);
  const failures = (await pool(entries, PARALLEL, check)).filter((f): f is string => f !== null);
  assert.equal(failures.length, 0, `${failures.length} of ${entries.length} [${section}] queries differ from ss:\n${failures.join('\n')}`);
}

describe('ssq conformance with ss', { skip: !hasSs && 'ss not installed', timeout: 300_000 }, () => {
  before(async () => {
    buildCli();
    ns = createNetns('ssqconf');
    try {
      pop = await startSsqPopulation(ns);
    } catch (e) {
      ns.remove();
      throw e;
    }
    corpus = loadCorpus(pop.tmp);
  });
  after(async () => {
    await pop?.dispose();
    ns?.remove();
  });

  it('the corpus covers every keyword, operator spelling, state and group', () => {
    const words = new Set(corpus.flatMap((e) => e.argv.flatMap((a) => a.split(/\s+/))));
    const want = [
      'src', 'dst', 'sport', 'dport', 'dev', 'fwmark', 'cgroup', 'autobound', 'state', 'exclude', 'excl',
      '=', '==', 'eq', '!=', 'ne', 'neq', '>', 'gt', '<', 'lt', '>=', 'ge', 'geq', '<=', 'le', 'leq',
      '!', 'not', 'and', '&&', '&', 'or', '||', '|', '(', ')',
      ...Object.keys(STATE_WORDS).filter((w) => w !== 'bound-inactive'),
    ];
    const missing = want.filter((w) => !words.has(w));
    assert.deepEqual(missing, [], `corpus lacks ${missing.join(' ')}`);
    const text = corpus.map((e) => e.text).join('\n');
    for (const form of ['10.77/16', '[fd77::/64]', '[::ffff:', '*:7001', ' :7001', 'inet:', 'inet6:', 'unix:', 'link:', 'netlink:', '@sockscope-', 'localhost', '0x1b59', '015541', ':ssh', 'fwmark = 0x34/0xff', 'dev 1']) {
      assert.ok(text.includes(form), `corpus lacks ${form}`);
    }
    assert.ok(corpus.length >= 300, `corpus has only ${corpus.length} queries`);
  });

  it('the population has what the corpus distinguishes', async () => {
    const r = await cliRun(['-tuxa', '-0', '-A', 'all']);
    assert.equal(r.status, 0, r.stderr);
    const recs = JSON.parse(r.stdout) as SocketRecord[];
    const has = (f: (r: SocketRecord) => boolean, what: string): void => assert.ok(recs.some(f), `population lacks ${what}`);
    has((s) => s.mark === 0x1234, 'mark 0x1234');
    has((s) => s.iface === 'ssv0' && s.family === 'inet6', 'a v6 socket bound to ssv0');
    has((s) => s.localPort === 40001 && s.state === 'LISTEN', 'an explicit bind inside the ephemeral range');
    has((s) => s.netid === 'udp' && s.localAddress === '127.0.0.1' && s.localPort >= 32768 && s.localPort !== 40002, 'a kernel-picked udp port');
    has((s) => s.netid.startsWith('u_') && /^@[0-9a-f]{5}$/.test(s.localAddress ?? ''), 'an autobound abstract unix name');
    has((s) => s.netid.startsWith('p_'), 'a packet socket');
    has((s) => s.netid === 'nl' && s.localPort === 4242, 'a netlink socket with port id 4242');
    has((s) => (s.localAddress ?? '').startsWith(pop.tmp), 'unix paths under the temp dir');
    has((s) => s.localAddress === 'fd78::1', 'the second veth address (v6)');
  });

  for (const section of CORPUS_SECTIONS) {
    it(`[${section}] queries behave as the corpus says, against ss`, () => runSection(section));
  }

  it('ran every query', () => {
    assert.equal(ran, corpus.length);
  });
});
