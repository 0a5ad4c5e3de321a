// Every rule on snapshots built from captured kernel text, at and around each threshold.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_THRESHOLDS, FindingsSession, parseIptablesSave, parseNftJson, resolveThresholds, runFindings, type Finding, type Snapshot } from '../../../src/findings/index';
import { fixture, proc, snapshot, sock, times } from './snapshot-builder';

const ids = (fs: Finding[], rule?: string): string[] => fs.filter((f) => !rule || f.rule === rule).map((f) => f.id);
const one = (fs: Finding[], id: string): Finding => {
  const f = fs.find((x) => x.id === id);
  assert.ok(f, `no ${id} in ${ids(fs).join(', ')}`);
  return f;
};
const th = (o: Record<string, number>) => resolveThresholds(o).thresholds;

describe('findings on an idle captured namespace', () => {
  it('has none', () => assert.deepEqual(runFindings(snapshot()), []));
  it('every finding has the documented keys', () => {
    const s = snapshot({ sockets: times(5, () => sock({ state: 'CLOSE-WAIT', processes: [proc(7)] })) });
    for (const f of runFindings(s)) {
      assert.deepEqual(Object.keys(f).sort(), ['detail', 'hint', 'id', 'processes', 'rule', 'severity', 'sockets', 'title']);
      assert.ok(!f.title.includes('\n'));
    }
  });
});

describe('close-wait', () => {
  const cw = (n: number, pid = 42) => times(n, () => sock({ state: 'CLOSE-WAIT', processes: [proc(pid, 'web')] }));
  it('warns at the count, not one below', () => {
    assert.deepEqual(ids(runFindings(snapshot({ sockets: cw(4) })), 'close-wait'), []);
    const f = one(runFindings(snapshot({ sockets: cw(5) })), 'close-wait/pid:42');
    assert.equal(f.severity, 'warning');
    assert.equal(f.sockets.length, 5);
    assert.deepEqual(f.processes, [42]);
    assert.match(f.detail, /5 CLOSE-WAIT \(warning at 5, error at 100\)/);
  });
  it('is an error at the error count', () => {
    assert.equal(one(runFindings(snapshot({ sockets: cw(99) })), 'close-wait/pid:42').severity, 'warning');
    assert.equal(one(runFindings(snapshot({ sockets: cw(100) })), 'close-wait/pid:42').severity, 'error');
  });
  it('warns about one old socket where history knows its age', () => {
    const s = cw(1);
    const session = new FindingsSession();
    assert.deepEqual(ids(session.run(snapshot({ sockets: s, takenAt: 0 })), 'close-wait'), []);
    assert.deepEqual(ids(session.run(snapshot({ sockets: s, takenAt: 59_999 })), 'close-wait'), []);
    const f = one(session.run(snapshot({ sockets: s, takenAt: 60_000 })), 'close-wait/pid:42');
    assert.match(f.detail, /at least 60 s \(warning at 60 s\)/);
    // Gone: the finding goes.
    assert.deepEqual(ids(session.run(snapshot({ sockets: [], takenAt: 61_000 }))), []);
  });
  it('groups by process', () => {
    const fs = runFindings(snapshot({ sockets: [...cw(5, 1), ...cw(5, 2), ...cw(4, 3)] }));
    assert.deepEqual(ids(fs, 'close-wait'), ['close-wait/pid:1', 'close-wait/pid:2']);
  });
});

describe('listen-overflow', () => {
  const l = (recvQ: number, sendQ: number) => sock({ state: 'LISTEN', localAddress: '0.0.0.0', localPort: 8080, peerAddress: '0.0.0.0', peerPort: 0, recvQ, sendQ, processes: [proc(9, 'srv')] });
  it('error when Recv-Q reaches the backlog, warning from the fill ratio', () => {
    assert.deepEqual(ids(runFindings(snapshot({ sockets: [l(8, 10)] })), 'listen-overflow'), []);
    assert.equal(one(runFindings(snapshot({ sockets: [l(9, 10)] })), 'listen-overflow/0.0.0.0:8080').severity, 'warning');
    const f = one(runFindings(snapshot({ sockets: [l(10, 10)] })), 'listen-overflow/0.0.0.0:8080');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.processes, [9]);
    assert.match(f.detail, /Recv-Q 10 waiting for accept\(\), backlog \(Send-Q\) 10/);
  });
  it('ListenOverflows that grew between snapshots is an error naming full listeners', () => {
    const prev = snapshot({ counterValues: { 'TcpExt.ListenOverflows': 10, 'TcpExt.ListenDrops': 10 } });
    const cur = snapshot({ takenAt: 1_005_000, sockets: [l(11, 10)], counterValues: { 'TcpExt.ListenOverflows': 13, 'TcpExt.ListenDrops': 13 } });
    const f = one(runFindings(cur, { previous: prev }), 'listen-overflow/counters');
    assert.equal(f.sockets.length, 1);
    assert.match(f.title, /ListenOverflows \+3, ListenDrops \+3 in 5\.0 s/);
    assert.deepEqual(ids(runFindings(prev, { previous: prev }), 'listen-overflow'), []);
  });
  it('since boot, without a previous snapshot, is only information', () => {
    assert.equal(one(runFindings(snapshot({ counterValues: { 'TcpExt.ListenOverflows': 4 } })), 'listen-overflow/since-boot').severity, 'info');
  });
});

describe('syn-backlog', () => {
  const listener = sock({ state: 'LISTEN', localAddress: '0.0.0.0', localPort: 443, peerAddress: '0.0.0.0', peerPort: 0, sendQ: 4096, processes: [proc(5)] });
  const syn = (n: number) => times(n, (i) => sock({ state: 'SYN-RECV', localAddress: '10.0.0.1', localPort: 443, peerPort: 1000 + i }));
  it('warns at the SYN-RECV count on one listener', () => {
    assert.deepEqual(ids(runFindings(snapshot({ sockets: [listener, ...syn(127)] })), 'syn-backlog'), []);
    const f = one(runFindings(snapshot({ sockets: [listener, ...syn(128)] })), 'syn-backlog/0.0.0.0:443');
    assert.equal(f.sockets.length, 129);
    assert.deepEqual(f.processes, [5]);
  });
  it('SYN cookies sent between snapshots', () => {
    const prev = snapshot({ counterValues: { 'TcpExt.SyncookiesSent': 0 } });
    assert.deepEqual(ids(runFindings(prev, { previous: prev }), 'syn-backlog'), []);
    const f = one(runFindings(snapshot({ counterValues: { 'TcpExt.SyncookiesSent': 1 } }), { previous: prev }), 'syn-backlog/syncookies');
    assert.equal(f.severity, 'warning');
  });
});

describe('retransmits', () => {
  const conn = (retrans: number, segs: number) => sock({ tcpInfo: { total_retrans: retrans, segs_out: segs, lost: 0 }, processes: [proc(3)] });
  it('warns at the ratio once enough segments were sent', () => {
    assert.deepEqual(ids(runFindings(snapshot({ sockets: [conn(4, 99)] })), 'retransmits'), [], 'too few segments');
    assert.deepEqual(ids(runFindings(snapshot({ sockets: [conn(4, 100)] })), 'retransmits'), [], '4% is below 5%');
    const f = one(runFindings(snapshot({ sockets: [conn(5, 100)] })), 'retransmits/peer:10.0.0.2');
    assert.match(f.detail, /5 retransmitted of 100 segments sent \(5\.0%/);
    assert.deepEqual(f.processes, [3]);
  });
  it('sums per peer', () => {
    const fs = runFindings(snapshot({ sockets: [conn(3, 60), conn(3, 60)] }));
    assert.equal(one(fs, 'retransmits/peer:10.0.0.2').sockets.length, 2);
  });
  it('the host rate between snapshots', () => {
    const prev = snapshot({ counterValues: { 'Tcp.RetransSegs': 0, 'Tcp.OutSegs': 0 } });
    assert.deepEqual(ids(runFindings(snapshot({ counterValues: { 'Tcp.RetransSegs': 49, 'Tcp.OutSegs': 1000 } }), { previous: prev }), 'retransmits'), []);
    one(runFindings(snapshot({ counterValues: { 'Tcp.RetransSegs': 50, 'Tcp.OutSegs': 1000 } }), { previous: prev }), 'retransmits/host');
  });
});

describe('window-limited', () => {
  const c = (info: Record<string, number>, sendQ = 0) => sock({ sendQ, tcpInfo: info, processes: [proc(8, 'up')] });
  it('receive-window and send-buffer limited at the ratio', () => {
    assert.deepEqual(ids(runFindings(snapshot({ sockets: [c({ busy_time: 2_000_000, rwnd_limited: 999_999 })] })), 'window-limited'), []);
    one(runFindings(snapshot({ sockets: [c({ busy_time: 2_000_000, rwnd_limited: 1_000_000 })] })), 'window-limited/rwnd/pid:8');
    one(runFindings(snapshot({ sockets: [c({ busy_time: 2_000_000, sndbuf_limited: 1_500_000 })] })), 'window-limited/sndbuf/pid:8');
    assert.deepEqual(ids(runFindings(snapshot({ sockets: [c({ busy_time: 999_999, rwnd_limited: 999_999 })] })), 'window-limited'), [], 'not busy long enough');
  });
  it('a zero window with data queued', () => {
    assert.deepEqual(ids(runFindings(snapshot({ sockets: [c({ snd_wnd: 0 }, 0)] })), 'window-limited'), []);
    one(runFindings(snapshot({ sockets: [c({ snd_wnd: 0 }, 1000)] })), 'window-limited/zero-window/pid:8');
  });
});

describe('port-exhaustion', () => {
  const range = { 'net.ipv4.ip_local_port_range': '40000 40099' };
  const conns = (n: number, state: Finding['severity'] | 'TIME-WAIT' = 'warning') => times(n, (i) => sock({ localPort: 40000 + i, state: state === 'TIME-WAIT' ? 'TIME-WAIT' : 'ESTAB' }));
  it('warning at 80% of the range, error at 95%', () => {
    assert.deepEqual(ids(runFindings(snapshot({ sysctlValues: range, sockets: conns(79) })), 'port-exhaustion'), []);
    const id = 'port-exhaustion/10.0.0.1>10.0.0.2:443';
    assert.equal(one(runFindings(snapshot({ sysctlValues: range, sockets: conns(80) })), id).severity, 'warning');
    assert.equal(one(runFindings(snapshot({ sysctlValues: range, sockets: conns(94) })), id).severity, 'warning');
    const f = one(runFindings(snapshot({ sysctlValues: range, sockets: conns(95) })), id);
    assert.equal(f.severity, 'error');
    assert.match(f.detail, /40000-40099 has 100 ports/);
  });
  it('TIME-WAIT to one destination at half the range', () => {
    assert.deepEqual(ids(runFindings(snapshot({ sysctlValues: range, sockets: conns(49, 'TIME-WAIT') })), 'port-exhaustion'), []);
    one(runFindings(snapshot({ sysctlValues: range, sockets: conns(50, 'TIME-WAIT') })), 'port-exhaustion/time-wait:10.0.0.2:443');
  });
  it('an unreadable range is information, not a guess', () => {
    const f = one(runFindings(snapshot({ sysctlValues: { 'net.ipv4.ip_local_port_range': { error: 'permission denied' } }, sockets: conns(3) })), 'port-exhaustion/unreadable');
    assert.equal(f.severity, 'info');
  });
});

describe('orphans and time-wait-buckets', () => {
  it('orphans against tcp_max_orphans', () => {
    const s = (n: number) => snapshot({ counterValues: { 'sockstat.TCP.orphan': n }, sysctlValues: { 'net.ipv4.tcp_max_orphans': '1000' } });
    assert.deepEqual(ids(runFindings(s(799)), 'orphans'), []);
    assert.equal(one(runFindings(s(800)), 'orphans').severity, 'warning');
    assert.equal(one(runFindings(s(1000)), 'orphans').severity, 'error');
  });
  it('TIME-WAIT against tcp_max_tw_buckets, and its overflow counter', () => {
    const s = (n: number, overflow = 0) => snapshot({ counterValues: { 'sockstat.TCP.tw': n, 'TcpExt.TCPTimeWaitOverflow': overflow }, sysctlValues: { 'net.ipv4.tcp_max_tw_buckets': '100' } });
    assert.deepEqual(ids(runFindings(s(79)), 'time-wait-buckets'), []);
    assert.equal(one(runFindings(s(80)), 'time-wait-buckets').severity, 'warning');
    assert.equal(one(runFindings(s(10, 5), { previous: s(10, 0) }), 'time-wait-buckets').severity, 'error');
  });
  it('a cap that cannot be read is information', () => {
    const f = one(runFindings(snapshot({ sysctlValues: { 'net.ipv4.tcp_max_orphans': { error: 'not present' } } })), 'orphans/unreadable');
    assert.equal(f.severity, 'info');
    assert.match(f.detail, /tcp_max_orphans: not present/);
  });
});

describe('fd-limit', () => {
  const p = (fds: number, limit: number | null) => ({ pid: 77, name: 'db', fds: { value: fds }, fdLimit: { value: limit } });
  it('warning at 80%, error at 95%', () => {
    const s = (fds: number, limit: number | null) => snapshot({ processes: [p(fds, limit)], sockets: [sock({ processes: [proc(77, 'db')] })] });
    assert.deepEqual(ids(runFindings(s(79, 100)), 'fd-limit'), []);
    assert.equal(one(runFindings(s(80, 100)), 'fd-limit/pid:77').severity, 'warning');
    const f = one(runFindings(s(95, 100)), 'fd-limit/pid:77');
    assert.equal(f.severity, 'error');
    assert.equal(f.sockets.length, 1);
    assert.deepEqual(ids(runFindings(s(1e6, null)), 'fd-limit'), [], 'unlimited');
  });
  it('limits that cannot be read are information naming the processes', () => {
    const f = one(runFindings(snapshot({ processes: [{ pid: 5, name: 'x', fds: { error: 'permission denied' }, fdLimit: { value: 1024 } }] })), 'fd-limit/unreadable');
    assert.equal(f.severity, 'info');
    assert.deepEqual(f.processes, [5]);
  });
  it('thresholds are overridable', () => {
    const s = snapshot({ processes: [p(50, 100)] });
    assert.deepEqual(ids(runFindings(s), 'fd-limit'), []);
    assert.deepEqual(ids(runFindings(s, { thresholds: th({ 'fd-limit.ratio': 0.5 }) }), 'fd-limit'), ['fd-limit/pid:77']);
  });
});

describe('exposed-no-firewall and udp-amplification', () => {
  const listen = (port: number, address = '0.0.0.0') => sock({ state: 'LISTEN', localAddress: address, localPort: port, peerAddress: address, peerPort: 0, processes: [proc(2, 'svc')] });
  const udp = (port: number, address = '0.0.0.0', v6only?: boolean) => sock({ netid: 'udp', state: 'UNCONN', localAddress: address, localPort: port, peerAddress: address, peerPort: 0, ...(v6only === undefined ? {} : { v6only }) });
  const withNft = (s: Partial<Snapshot>) => snapshot({ ...s, firewall: { rulesets: [parseNftJson(fixture('nft-ruleset.json'))], problems: [] } });
  it('no ruleset: every wildcard listener is exposed, loopback ones are not', () => {
    const fs = runFindings(snapshot({ sockets: [listen(22), listen(80, '127.0.0.1'), listen(8080, '::')] }));
    assert.deepEqual(ids(fs, 'exposed-no-firewall'), ['exposed-no-firewall/tcp:0.0.0.0:22', 'exposed-no-firewall/tcp:[::]:8080']);
  });
  it('the captured nft ruleset (policy drop): nothing reaches an unmentioned port', () => {
    const fs = runFindings(withNft({ sockets: [listen(22), listen(8050), listen(9999), listen(7000), listen(7001)] }));
    assert.deepEqual(ids(fs, 'exposed-no-firewall'), []);
  });
  it('an unread firewall source: only information, never exposed', () => {
    const fs = runFindings(snapshot({ sockets: [listen(22)], firewall: { rulesets: [], problems: ['nft: not installed'] } }));
    assert.deepEqual(ids(fs, 'exposed-no-firewall'), ['exposed-no-firewall/not-evaluated']);
    assert.equal(one(fs, 'exposed-no-firewall/not-evaluated').severity, 'info');
    one(fs, 'diag-unavailable/firewall:nft');
  });
  it('iptables-nft tables are read from iptables-save, not from nft\'s xt expressions', () => {
    const rulesets = [parseNftJson(fixture('nft-iptables-nft.json')), parseIptablesSave(fixture('iptables-nft-save.txt'))];
    const fs = runFindings(snapshot({ sockets: [listen(22), listen(8080)], firewall: { rulesets, problems: [] } }));
    assert.deepEqual(ids(fs, 'exposed-no-firewall'), []);
    // Read from nft alone, the xt match is not understood: information, not a guess.
    const nftOnly = runFindings(snapshot({ sockets: [listen(8080)], firewall: { rulesets: [rulesets[0]], problems: [] } }));
    assert.deepEqual(ids(nftOnly, 'exposed-no-firewall'), ['exposed-no-firewall/not-evaluated']);
  });
  it('a UDP reflection service on a wildcard address, unless the firewall drops it', () => {
    const fs = runFindings(snapshot({ sockets: [udp(53), udp(123, '127.0.0.1'), udp(5000)] }));
    assert.deepEqual(ids(fs, 'udp-amplification'), ['udp-amplification/udp:0.0.0.0:53']);
    assert.deepEqual(ids(runFindings(withNft({ sockets: [udp(123)] })), 'udp-amplification'), [], 'udp 123 is rejected');
  });
  it('an IPv6 wildcard takes IPv4 too unless v6only', () => {
    const rs = parseIptablesSave('*filter\n:INPUT DROP [0:0]\nCOMMIT\n');
    const v6 = parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp --dport 53 -j DROP\nCOMMIT\n', 'ip6tables');
    const s = (v6only: boolean | undefined) => snapshot({ sockets: [udp(53, '::', v6only)], firewall: { rulesets: [rs, v6], problems: [] } });
    assert.deepEqual(ids(runFindings(s(true)), 'udp-amplification'), []);
    assert.deepEqual(ids(runFindings(s(false)), 'udp-amplification'), []);
    const open6 = parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', 'ip6tables');
    assert.deepEqual(ids(runFindings(snapshot({ sockets: [udp(53, '::', true)], firewall: { rulesets: [rs, open6], problems: [] } })), 'udp-amplification'), ['udp-amplification/udp:[::]:53']);
  });
});

describe('diag-unavailable', () => {
  it('a failed dump is an error', () => {
    const f = one(runFindings(snapshot({ diag: { notes: [], procfs: [], skipped: [], error: 'permission denied reading sockets' } })), 'diag-unavailable/dump-failed');
    assert.equal(f.severity, 'error');
    assert.match(f.hint, /seccomp/);
  });
  it('kinds from /proc/net, an interrupted dump with the rmem_max advice, invisible processes', () => {
    const fs = runFindings(snapshot({
      invisibleProcesses: 3,
      diag: { notes: ['tcp: sock_diag refused tcp (EPERM); read /proc/net/tcp instead', 'udp: inconsistent dump (the kernel\'s socket table changed during the dump)'], procfs: ['tcp'], skipped: [] },
    }));
    assert.equal(one(fs, 'diag-unavailable/kinds:tcp').severity, 'warning');
    assert.match(one(fs, 'diag-unavailable/interrupted').hint, /net\.core\.rmem_max/);
    assert.equal(one(fs, 'diag-unavailable/processes').severity, 'info');
  });
});

describe('ordering and thresholds', () => {
  it('errors first, then warnings, then information', () => {
    const fs = runFindings(snapshot({
      sockets: [...times(5, () => sock({ state: 'CLOSE-WAIT' })), sock({ state: 'LISTEN', localAddress: '127.0.0.1', localPort: 1, recvQ: 2, sendQ: 1 })],
      invisibleProcesses: 1,
    }));
    assert.deepEqual(fs.map((f) => f.severity), ['error', 'warning', 'info']);
  });
  it('unknown names and bad values are errors naming them', () => {
    assert.deepEqual(resolveThresholds({ 'nope.x': 1 }).errors.length, 1);
    assert.match(resolveThresholds({ 'fd-limit.ratio': 'high' }).errors[0], /fd-limit\.ratio must be a non-negative number/);
    assert.equal(resolveThresholds({ 'fd-limit.ratio': '0.5' }).thresholds['fd-limit.ratio'], 0.5);
    assert.equal(resolveThresholds(undefined).thresholds['close-wait.count'], DEFAULT_THRESHOLDS['close-wait.count']);
  });
});
