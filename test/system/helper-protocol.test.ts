// The helper process (dist/helper.js) over real JSON-RPC on stdio: dumps in a test namespace match
// `ss -N`, lookup/kill/destroy events, a fuzzed stdin never kills it, closing stdin ends it, and a
// watch's snapshot + deltas reproduce a fresh dump exactly after ~1,000 connections churned.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { DumpChunkNotification, WatchUpdateNotification } from '../../src/protocol/helper-protocol';
import type { SocketRecord } from '../../src/protocol/socket-record';
import { WatchState, recordKey } from '../../src/protocol/watch-state';
import { buildHelper, HELPER_JS, HelperRpc, startHelper } from './lib/helper-rpc';
import { createNetns, type Netns } from './lib/netns';
import { PopulationBuilder, standardPopulation, type RunningPopulation } from './lib/population';

async function dump(h: HelperRpc, params: Record<string, unknown>): Promise<SocketRecord[]> {
  const stream = `s${Math.random().toString(36).slice(2, 10)}`;
  const records: SocketRecord[] = [];
  h.onMessage((m) => {
    if (m.method === 'dump/chunk' && (m.params as DumpChunkNotification).stream === stream) records.push(...(m.params as DumpChunkNotification).records);
  });
  const r = await h.call('dump', { ...params, stream });
  if (r.error) throw new Error(`dump: ${r.error.message}`);
  assert.equal((r.result as { count: number }).count, records.length);
  return records;
}

/** ss's cookies (tcp, udp) and inodes (unix) in a namespace. */
function ssInventory(ns: string): { cookies: Set<string>; unixInodes: Set<number> } {
  const inet = execFileSync('ss', ['-N', ns, '-tuaenH'], { encoding: 'utf8' });
  const cookies = new Set<string>();
  for (const line of inet.split('\n')) {
    const m = / sk:([0-9a-f]+)/.exec(line);
    if (m) cookies.add(m[1]);
  }
  const unix = execFileSync('ss', ['-N', ns, '-xaH'], { encoding: 'utf8' });
  const unixInodes = new Set<number>();
  for (const line of unix.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w.length >= 6) unixInodes.add(Number(w[5]));
  }
  return { cookies, unixInodes };
}

describe('helper process protocol', () => {
  let ns: Netns;
  let pop: RunningPopulation | undefined;
  let h: HelperRpc;

  before(async () => {
    buildHelper();
    ns = createNetns('helper');
    pop = await standardPopulation(`helper-${process.pid}`).start(ns);
    h = await startHelper();
  });

  after(async () => {
    await h?.close();
    await pop?.stop();
    ns?.remove();
  });

  it('answers initialize with the protocol version and capabilities, refuses other versions', async () => {
    const h2 = new HelperRpc();
    await h2.ready();
    const early = await h2.call('capabilities');
    assert.equal(early.error?.code, -32002, 'requests before initialize are refused');
    const bad = await h2.call('initialize', { protocolVersion: 99 });
    assert.equal(bad.error?.code, -32010);
    const ok = await h2.result<{ protocolVersion: number; capabilities: { root: boolean; netAdmin: boolean } }>('initialize', { protocolVersion: 1 });
    assert.equal(ok.protocolVersion, 1);
    assert.equal(ok.capabilities.root, true);
    assert.equal(ok.capabilities.netAdmin, true);
    await h2.close();
  });

  it('dumps the test namespace like ss -N (tcp, udp by cookie; unix by inode)', async () => {
    const records = await dump(h, { netns: { name: ns.name }, netids: ['tcp', 'udp', 'u_str', 'u_dgr', 'u_seq'], chunkSize: 7 });
    const ss = ssInventory(ns.name);
    const cookies = new Set(records.filter((r) => r.netid === 'tcp' || r.netid === 'udp').map((r) => r.cookie));
    const unix = new Set(records.filter((r) => r.netid.startsWith('u_')).map((r) => r.inode));
    assert.ok(ss.cookies.size >= 20, `population visible to ss (${ss.cookies.size})`);
    assert.deepEqual([...cookies].sort(), [...ss.cookies].sort());
    assert.deepEqual([...unix].sort(), [...ss.unixInodes].sort());
    const states = new Set(records.map((r) => r.state));
    for (const s of ['LISTEN', 'ESTAB', 'TIME-WAIT', 'CLOSE-WAIT', 'FIN-WAIT-2', 'SYN-SENT', 'UNCONN']) assert.ok(states.has(s as never), `has ${s}`);
  });

  it('applies ssq filter text like ss does, and refuses a bad filter or -F', async () => {
    for (const filter of ['dport = :7001 or sport = :7001', 'src 10.77.0.0/16', 'state listening', 'state established ( sport = :7002 or dport = :7002 )']) {
      const records = await dump(h, { netns: { name: ns.name }, netids: ['tcp'], filter });
      const args = ['-N', ns.name, '-taenH', ...filter.split(' ')];
      const ss = execFileSync('ss', args, { encoding: 'utf8' });
      const cookies = new Set<string>();
      for (const line of ss.split('\n')) { const m = / sk:([0-9a-f]+)/.exec(line); if (m) cookies.add(m[1]); }
      assert.ok(cookies.size > 0, `ss finds sockets for ${filter}`);
      assert.deepEqual(records.map((r) => r.cookie).sort(), [...cookies].sort(), filter);
    }
    const bad = await h.call('dump', { stream: 's', filter: 'dport = = :22' });
    assert.equal(bad.error?.code, -32013);
    const file = await h.call('dump', { stream: 's', filter: '-F /etc/shadow' });
    assert.ok(file.error, '-F refused');
    assert.doesNotMatch(file.error.message, /root:/);
  });

  it('watches one socket by lookup: snapshot of one record, removal when it is killed', async () => {
    const records = await dump(h, { netns: { name: ns.name }, netids: ['tcp'], states: ['ESTAB'] });
    const target = records.find((r) => r.localPort === 7004 || r.peerPort === 7004)!;
    const updates: WatchUpdateNotification[] = [];
    h.onMessage((m) => { if (m.method === 'watch/update' && (m.params as WatchUpdateNotification).watchId === 'one') updates.push(m.params as WatchUpdateNotification); });
    await h.result('watch', { watchId: 'one', intervalMs: 100, socket: target, netns: { name: ns.name }, extensions: { tcpInfo: true } });
    await h.wait(() => updates.length > 0, 10000, 'first update');
    assert.equal(updates[0].snapshot, true);
    assert.deepEqual(updates[0].added.map((r) => r.cookie), [target.cookie]);
    await h.result('kill', { sockets: [target], netns: { name: ns.name } });
    await h.wait(() => updates.some((u) => u.removed.includes(target.cookie)), 10000, 'removal');
    await h.result('unwatch', { watchId: 'one' });
  });

  it('dumps with processes: the population process is named', async () => {
    const records = await dump(h, { netns: { name: ns.name }, netids: ['tcp'], states: ['LISTEN'], extensions: { processes: true } });
    assert.ok(records.length >= 8);
    for (const r of records) assert.ok(r.processes?.some((p) => p.pid === pop!.info.pid), `listener ${r.localPort} has its process`);
  });

  it('looks one socket up by cookie and kills one', async () => {
    const records = await dump(h, { netns: { name: ns.name }, netids: ['tcp'], states: ['ESTAB'], extensions: { tcpInfo: true } });
    const target = records.find((r) => r.localPort === 7001 || r.peerPort === 7001)!;
    assert.ok(target, 'an established connection on 7001');
    const found = await h.result<{ record: SocketRecord | null }>('lookup', { socket: target, netns: { name: ns.name }, extensions: { tcpInfo: true } });
    assert.equal(found.record?.cookie, target.cookie);
    assert.equal(found.record?.inode, target.inode);
    assert.ok(found.record?.tcpInfo && 'rtt' in found.record.tcpInfo, 'tcp_info with the lookup');

    const killed = await h.result<{ killed: string[]; failed: unknown[] }>('kill', { sockets: [target], netns: { name: ns.name } });
    assert.deepEqual(killed.killed, [target.cookie]);
    const gone = await h.result<{ record: SocketRecord | null }>('lookup', { socket: target, netns: { name: ns.name } });
    assert.equal(gone.record, null);
    const again = await h.result<{ killed: string[]; failed: Array<{ error: string }> }>('kill', { sockets: [target], netns: { name: ns.name } });
    assert.equal(again.killed.length, 0);
    assert.equal(again.failed.length, 1);
  });

  it('refuses namespaces that are not names under /run/netns or live pids', async () => {
    for (const netns of [{ name: '../../etc/passwd' }, { name: 'a/b' }, { name: '..' }, { name: '' }, { pid: 0 }, { pid: -1 }, { pid: 1.5 }, { name: 'x', pid: 1 }, { path: '/etc' }]) {
      const r = await h.call('dump', { stream: 's1', netns });
      assert.equal(r.error?.code, -32602, JSON.stringify(netns));
    }
    const missing = await h.call('dump', { stream: 's1', netns: { name: `sockscope-missing-${process.pid}` } });
    assert.equal(missing.error?.code, -32011);
    const deadPid = await h.call('dump', { stream: 's1', netns: { pid: 4_000_000 } });
    assert.equal(deadPid.error?.code, -32011);
  });

  it('lists the named test namespace and the own one', async () => {
    const r = await h.result<{ namespaces: Array<{ name?: string; current: boolean; pid?: number; processName?: string }> }>('listNamespaces');
    const mine = r.namespaces.find((n) => n.name === ns.name);
    assert.ok(mine, 'test namespace listed');
    assert.equal(mine.pid !== undefined, true, 'labelled with a process living there');
    assert.equal(r.namespaces.filter((n) => n.current).length, 1);
  });

  it('survives fuzzed stdin: every bad line gets an error or is dropped, memory stays bounded', async () => {
    const before = h.messages.length;
    const cases: Array<[string | Uint8Array, number | null]> = [
      ['{not json\n', -32700],
      ['[]\n', -32600],
      ['null\n', -32600],
      ['"text"\n', -32600],
      ['42\n', -32600],
      ['{"jsonrpc":"1.0","id":1,"method":"dump"}\n', -32600],
      ['{"jsonrpc":"2.0","id":{},"method":"dump"}\n', -32600],
      ['{"jsonrpc":"2.0","id":2,"method":7}\n', -32600],
      ['{"jsonrpc":"2.0","id":3,"method":"exec","params":{"cmd":"id"}}\n', -32601],
      ['{"jsonrpc":"2.0","id":4,"method":"readFile","params":["/etc/shadow"]}\n', -32601],
      ['{"jsonrpc":"2.0","id":5,"method":"dump","params":{"stream":5}}\n', -32602],
      ['{"jsonrpc":"2.0","id":6,"method":"dump","params":["s"]}\n', -32602],
      ['{"jsonrpc":"2.0","id":7,"method":"dump","params":{"stream":"s","netids":"tcp"}}\n', -32602],
      ['{"jsonrpc":"2.0","id":8,"method":"dump","params":{"stream":"s","extra":1}}\n', -32602],
      ['{"jsonrpc":"2.0","id":9,"method":"lookup","params":{"socket":{"cookie":"zz"}}}\n', -32602],
      ['{"jsonrpc":"2.0","id":10,"method":"watch","params":{"watchId":"w","intervalMs":1,"query":{}}}\n', -32602],
      ['{"jsonrpc":"2.0","id":11,"method":"watch","params":{"watchId":"w","intervalMs":1000}}\n', -32602],
      ['{"jsonrpc":"2.0","id":12,"method":"kill","params":{"sockets":[{}]}}\n', -32602],
      ['{"jsonrpc":"2.0","id":13,"method":"unwatch","params":{"watchId":"nope"}}\n', -32015],
      [`{"jsonrpc":"2.0","id":14,"method":"dump","params":{"stream":"s","filter":"${'a'.repeat(70000)}"}}\n`, -32602],
      ['{"jsonrpc":"2.0","id":15,"method":"__proto__"}\n', -32601],
      ['{"jsonrpc":"2.0","id":16,"method":"dump","params":{"stream":"s","__proto__":{"x":1}}}\n', -32602],
      ['{"jsonrpc":"2.0","id":17,"method":"shutdown","params":{"now":true}}\n', -32602],
      ['{"jsonrpc":"2.0","id":18,"method":"initialize","params":{}}\n', -32602],
      ['{"jsonrpc":"2.0","id":19,"method":"listNamespaces","params":{"root":"/"}}\n', -32602],
      ['{"jsonrpc":"2.0","id":20,"method":"dump","params":{"stream":"s","states":["LISTEN","bogus"]}}\n', -32602],
      ['{"jsonrpc":"2.0","id":21,"result":1}\n', null],
      ['{"jsonrpc":"2.0","method":"someNotification","params":{}}\n', null],
      ['\n\n   \n', null],
      ['['.repeat(200000) + '\n', -32700],
    ];
    for (const [line, code] of cases) {
      await h.writeRaw(line);
      const probe = await h.call('capabilities', undefined, 20000);
      assert.ok(probe.result, `alive after ${String(line).slice(0, 60)}`);
      if (code !== null) {
        const replies = h.messages.slice(before).filter((m) => m.error?.code === code);
        assert.ok(replies.length > 0, `error ${code} for ${String(line).slice(0, 60)}`);
      }
    }
    // A 10 MB line (valid JSON start, never finished within the limit) and a 10 MB line of nothing.
    const big = '{"jsonrpc":"2.0","id":99,"method":"dump","params":{"stream":"s","filter":"' + 'x'.repeat(10 * 1024 * 1024) + '"}}\n';
    await h.writeRaw(big);
    await h.writeRaw(Buffer.alloc(10 * 1024 * 1024, 0x41));
    await h.writeRaw('\n');
    await h.wait((m) => m.id === null && m.error?.code === -32600 && /longer than/.test(m.error.message), 20000, 'too-long error');
    assert.equal(h.messages.some((m) => m.id === 99), false, 'the oversized request never ran');
    // Binary garbage, newlines included.
    for (let i = 0; i < 16; i++) await h.writeRaw(randomBytes(64 * 1024));
    await h.writeRaw('\n');
    const after = await h.call('capabilities', undefined, 20000);
    assert.ok(after.result, 'answers a valid request after the garbage');
    const rss = h.rssKiB();
    assert.ok(rss < 200 * 1024, `RSS ${rss} KiB stays bounded`);
    assert.equal(h.child.exitCode, null);
  });

  it('reads a flood of requests only as fast as it answers them (bounded memory)', async () => {
    const h2 = await startHelper();
    try {
      let answered = 0;
      h2.onMessage((m) => { if (m.error?.code === -32601) answered++; });
      const n = 100_000;
      const line = (i: number): string => `{"jsonrpc":"2.0","id":"f${i}","method":"flood","params":{"pad":"${'p'.repeat(200)}"}}\n`;
      let peak = 0;
      const sampler = setInterval(() => { try { peak = Math.max(peak, h2.rssKiB()); } catch { /* exited */ } }, 20);
      const batch: string[] = [];
      for (let i = 0; i < n; i++) {
        batch.push(line(i));
        if (batch.length === 1000) { await h2.writeRaw(batch.join('')); batch.length = 0; }
      }
      for (let i = 0; i < 600 && answered < n; i++) await new Promise((r) => setTimeout(r, 50));
      clearInterval(sampler);
      assert.equal(answered, n, 'every request answered');
      assert.ok(peak < 200 * 1024, `peak RSS ${peak} KiB`);
      assert.ok((await h2.call('capabilities')).result);
    } finally {
      await h2.close();
    }
  });

  it('streams destroy events for sockets that close', async () => {
    const ns2 = createNetns('helper');
    let p2: RunningPopulation | undefined;
    try {
      p2 = await new PopulationBuilder().tcpListener('127.0.0.1', 7300).tcpConnection('127.0.0.1', 7300).start(ns2);
      await h.result('subscribeDestroyed', { subscriptionId: 'd1', netns: { name: ns2.name } });
      const got: SocketRecord[] = [];
      h.onMessage((m) => { if (m.method === 'destroyed' && (m.params as { subscriptionId: string }).subscriptionId === 'd1') got.push((m.params as { record: SocketRecord }).record); });
      await p2.stop();
      p2 = undefined;
      await h.wait((m) => m.method === 'destroyed' && (m.params as { subscriptionId: string }).subscriptionId === 'd1', 10000, 'destroyed');
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(got.some((r) => r.netid === 'tcp' && (r.localPort === 7300 || r.peerPort === 7300)));
      await h.result('unsubscribeDestroyed', { subscriptionId: 'd1' });
    } finally {
      await p2?.stop();
      ns2.remove();
    }
  });

  it('watch: snapshot + deltas reproduce a fresh dump after 1,000 connections in bursts', async () => {
    const ns3 = createNetns('helper');
    let p3: RunningPopulation | undefined;
    const state = new WatchState();
    let snapshots = 0;
    let deltaTicks = 0;
    let removedSeen = 0;
    try {
      h.onMessage((m) => {
        if (m.method !== 'watch/update') return;
        const u = m.params as WatchUpdateNotification;
        if (u.watchId !== 'burst') return;
        state.apply(u);
        if (u.part === 0) { if (u.snapshot) snapshots++; else deltaTicks++; }
        removedSeen += u.removed.length;
      });
      // Processes as the Sockets view asks for them: the fingerprint path covers them too.
      const query = { netids: ['tcp'], netns: { name: ns3.name }, extensions: { processes: true } };
      await h.result('watch', { watchId: 'burst', intervalMs: 100, query, chunkSize: 50 });
      // The churn runs in a second process in the namespace while the watch ticks.
      const churn = new PopulationBuilder().python(String.raw`
import random
random.seed(4)
lsock = listener('127.0.0.1', 7400, backlog=256)
conns = []
for burst in range(10):
    for i in range(100):
        conns.append(connection(lsock, '127.0.0.1', 7400))
    time.sleep(0.12)
    for pair in random.sample(conns, len(conns) // 2):
        conns.remove(pair)
        first, second = pair if random.random() < 0.5 else pair[::-1]
        keep.remove(first); keep.remove(second)
        first.close(); second.close()
    time.sleep(0.12)
info['open'] = len(conns)
`);
      const running = await churn.start(ns3, 60000);
      p3 = running;
      // Stable now: poll until the watch state equals a fresh dump (the next tick catches up).
      let fresh: SocketRecord[] = [];
      let equal = false;
      for (let i = 0; i < 100 && !equal; i++) {
        await new Promise((r) => setTimeout(r, 200));
        fresh = await dump(h, { ...query });
        const mine = [...state.records.values()].map((r) => JSON.stringify(r)).sort();
        const theirs = fresh.map((r) => JSON.stringify(r)).sort();
        equal = mine.length === theirs.length && mine.every((v, j) => v === theirs[j]);
      }
      await h.result('unwatch', { watchId: 'burst' });
      assert.ok(fresh.length > 500, `many sockets at the end (${fresh.length})`);
      assert.ok(equal, `watch state (${state.records.size}) equals a fresh dump (${fresh.length})`);
      assert.equal(snapshots, 1, 'one snapshot, then deltas');
      assert.ok(deltaTicks >= 3, `delta ticks (${deltaTicks})`);
      assert.ok(removedSeen > 0, 'removals were sent as keys');
      assert.ok(fresh.every((r) => state.records.has(recordKey(r))));
    } finally {
      await p3?.stop();
      ns3.remove();
    }
  });

  it('exits when its parent dies even if stdin stays open', async () => {
    // python holds the helper as its child; stdin (ours) stays open after python is killed.
    const script = `import subprocess, sys, time\np = subprocess.Popen([sys.argv[1], sys.argv[2]])\nprint(p.pid, flush=True)\ntime.sleep(600)`;
    const parent = spawn('python3', ['-c', script, process.execPath, HELPER_JS], { stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).split('\n')[0]))));
      const started = Date.now();
      while (Date.now() - started < 10000 && !readFileSync(`/proc/${pid}/status`, 'utf8').includes('State')) await new Promise((r) => setTimeout(r, 50));
      parent.kill('SIGKILL');
      let alive = true;
      for (let i = 0; i < 100 && alive; i++) {
        await new Promise((r) => setTimeout(r, 100));
        alive = existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      }
      assert.equal(alive, false, 'helper exited after its parent died');
    } finally {
      parent.kill('SIGKILL');
      parent.stdin.end();
    }
  });

  it('exits when stdin closes, and on shutdown', async () => {
    const h2 = await startHelper();
    const code = await h2.close();
    assert.equal(code, 0);
    const h3 = await startHelper();
    const r = await h3.call('shutdown');
    assert.equal(r.result, null);
    assert.equal(await h3.exited, 0);
  });
});
