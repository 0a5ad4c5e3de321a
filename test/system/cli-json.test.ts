// `sockscope --json -N NS` against `ss -N NS` over a varied population: same sockets (netid,
// state, queues, addresses, ports, interface, inode), same tcp_info rtt/cwnd/mss on idle
// connections, same processes with -p.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Netns } from './lib/netns';
import { standardPopulation, startInNewNetns, type PopulatedNetns, type RunningPopulation } from './lib/population';
import { buildCli, parseSs, runCli, runSs, type SsSocket } from './lib/ss';
import type { SocketRecord } from '../../src/protocol/socket-record';
import { SockDiag } from '../../src/netlink/index';
import { toSocketRecord } from '../../src/host/record';
import { JsonArrayWriter } from '../../src/cli/json';
import { Output } from '../../src/cli/output';
import { readProcessMap } from '../../src/host/process-map';

let ns: Netns;
let pop: RunningPopulation;
let env: PopulatedNetns | undefined;

function cliJson(args: string[]): SocketRecord[] {
  const r = runCli(['--json', '-N', ns.name, ...args]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as SocketRecord[];
}

/** The fields ss shows, as one comparable line per socket. */
function keyOf(s: Pick<SsSocket, 'netid' | 'state' | 'recvQ' | 'sendQ' | 'localAddress' | 'localPort' | 'peerAddress' | 'peerPort' | 'iface'> & { inode?: number }): string {
  return [s.netid, s.state, s.recvQ, s.sendQ, `${s.localAddress}%${s.iface ?? ''}:${s.localPort}`, `${s.peerAddress}:${s.peerPort}`, s.inode ?? '-'].join(' ');
}

function recordKey(r: SocketRecord): string {
  // ss's netlink unix lines never name the peer (always `*`).
  return keyOf({ ...r, peerAddress: r.family === 'unix' ? null : r.peerAddress, inode: r.inode || undefined });
}

function connKey(r: { localAddress: string | null; localPort: number; peerAddress: string | null; peerPort: number }): string {
  return `${r.localAddress}:${r.localPort}>${r.peerAddress}:${r.peerPort}`;
}

describe('sockscope --json matches ss', { timeout: 120_000 }, () => {
  before(async () => {
    buildCli();
    ({ ns, pop } = env = await startInNewNetns('cli', standardPopulation(`cli-json-${process.pid}`)));
  });
  after(async () => {
    await env?.stop();
  });

  for (const flags of [['-tuxa'], ['-ta'], ['-t'], ['-ua'], ['-xa'], ['-4ta'], ['-6ta'], ['-tl'], ['-wa']]) {
    it(`same sockets as ss ${flags.join(' ')}`, () => {
      const ss = parseSs(runSs(ns.name, ['-ne', ...flags]).stdout, flags[0].replace(/[-aln46e]/g, '').length === 1 ? { t: 'tcp', u: 'udp', x: undefined, w: 'raw' }[flags[0].replace(/[-aln46e]/g, '')] : undefined);
      const mine = cliJson(flags);
      const expected = ss.map((s) => keyOf({ ...s, inode: undefined })).sort();
      const actual = mine.map((r) => recordKey({ ...r, inode: 0 })).sort();
      assert.deepEqual(actual, expected);
      // Socket inodes, where ss shows them (-e on netlink dumps; not in its /proc fallback).
      const inodes = new Set(mine.map((r) => r.inode));
      for (const s of ss) if (s.inode !== undefined) assert.ok(inodes.has(s.inode), `no socket with inode ${s.inode}`);
      if (flags[0] === '-tuxa') assert.ok(actual.length >= 30, `population too small: ${actual.length}`);
    });
  }

  it('the streamed JSON serializer equals JSON.stringify(toSocketRecord(s)) for every socket', () => {
    const processes = readProcessMap().byInode;
    const interfaceName = (i: number) => (i === 0 ? undefined : `if${i}`);
    const writer = new JsonArrayWriter(new Output(1), { processes, interfaceName });
    const diag = SockDiag.open({ netnsPath: ns.path });
    let n = 0;
    try {
      diag.dump({ kinds: ['tcp', 'udp', 'raw', 'unix', 'packet', 'netlink'], states: (1 << 14) - 1, ext: { info: true, cong: true, mem: true, shutdown: true, mark: true, cgroup: true, tos: true } }, (s) => {
        assert.equal(writer.socketJson(s), JSON.stringify(toSocketRecord(s, { processes, interfaceName })));
        n++;
      });
    } finally {
      diag.close();
    }
    assert.ok(n >= 30);
  });

  it('the population has every state and feature it promises', () => {
    const all = cliJson(['-tuxa']);
    const states = new Set(all.map((r) => `${r.netid} ${r.state}`));
    for (const want of ['tcp LISTEN', 'tcp ESTAB', 'tcp TIME-WAIT', 'tcp CLOSE-WAIT', 'tcp FIN-WAIT-2', 'tcp SYN-SENT', 'udp UNCONN', 'udp ESTAB', 'u_str LISTEN', 'u_str ESTAB', 'u_dgr UNCONN', 'u_seq ESTAB']) {
      assert.ok(states.has(want), `no ${want} socket`);
    }
    assert.ok(all.some((r) => r.mark === 0x2a), 'no socket with SO_MARK 0x2a');
    assert.ok(all.some((r) => r.iface === 'ssv0'), 'no socket bound to ssv0');
    assert.ok(all.some((r) => r.localAddress?.startsWith('@sockscope-')), 'no abstract unix socket');
    assert.ok(all.some((r) => r.family === 'inet6' && r.localAddress?.startsWith('::ffff:')), 'no v4-mapped socket');
    assert.ok(all.some((r) => r.recvQ === 100), 'no socket with unread data');
  });

  it('same tcp_info rtt, cwnd and mss on idle connections as ss -ti', () => {
    const ss = parseSs(runSs(ns.name, ['-tni']).stdout, 'tcp').filter((s) => s.state === 'ESTAB');
    const mine = new Map(cliJson(['-ti']).filter((r) => r.state === 'ESTAB').map((r) => [connKey(r), r]));
    assert.ok(ss.length >= 8);
    for (const s of ss) {
      const r = mine.get(connKey(s));
      assert.ok(r?.tcpInfo, `no tcpInfo for ${connKey(s)}`);
      const rtt = /\brtt:([\d.]+)\//.exec(s.info ?? '');
      const cwnd = /\bcwnd:(\d+)/.exec(s.info ?? '');
      const mss = /\bmss:(\d+)/.exec(s.info ?? '');
      assert.ok(rtt && cwnd && mss, `ss printed no rtt/cwnd/mss: ${s.info}`);
      assert.equal(Number(r.tcpInfo.rtt) / 1000, Number(rtt[1]), `rtt of ${connKey(s)}`);
      assert.equal(r.tcpInfo.snd_cwnd, Number(cwnd[1]), `cwnd of ${connKey(s)}`);
      assert.equal(r.tcpInfo.snd_mss, Number(mss[1]), `mss of ${connKey(s)}`);
    }
  });

  it('same processes as ss -p', () => {
    const ss = parseSs(runSs(ns.name, ['-tuxanpe']).stdout);
    const mine = cliJson(['-tuxap']);
    const byKey = new Map(mine.map((r) => [`${r.netid} ${r.inode || connKey(r)}`, r]));
    let withProcs = 0;
    for (const s of ss) {
      const id = s.netid.startsWith('u_') ? s.localPort : s.inode || connKey(s);
      const r = byKey.get(`${s.netid} ${id}`);
      assert.ok(r, `sockscope lacks ${keyOf(s)}`);
      const procs = (r?.processes ?? []).map((p) => `${p.name}/${p.pid}/${p.fd}`).sort();
      assert.deepEqual(procs, s.processes ?? [], `processes of ${keyOf(s)}`);
      if (procs.length) withProcs++;
    }
    assert.ok(withProcs >= 20, `only ${withProcs} sockets had processes`);
    assert.ok(mine.some((r) => r.processes?.some((p) => p.pid === pop.info.pid && p.name === 'python3')));
  });
});
