import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatMicros, formatRate, formatStateCounts, socketDescription, socketLabel, socketTooltip, tcpInfoLines } from '../../../src/client/tree/model-format';
import { isExposedListener } from '../../../src/client/tree/model-exposure';
import { sock } from './fixtures';

test('human units', () => {
  assert.equal(formatMicros(850), '850 µs');
  assert.equal(formatMicros(12_345), '12.3 ms');
  assert.equal(formatMicros(1_250_000), '1.25 s');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(5 * 1024 * 1024), '5 MiB');
  assert.equal(formatRate(1), '8 bps');
  assert.equal(formatRate(1_500_000), '12 Mbps');
  assert.equal(formatRate('unlimited'), 'unlimited');
});

test('labels and descriptions', () => {
  const s = sock({ localPort: 5432, peerPort: 40312, recvQ: 3, sendQ: 7 });
  // The peer and the state first: what tells two rows apart in a narrow sidebar.
  assert.equal(socketLabel(s), '→ 127.0.0.1:40312 ESTAB');
  assert.equal(socketDescription(s), 'tcp from 127.0.0.1:5432 · Recv-Q 3 Send-Q 7');
  assert.equal(socketDescription(sock({ localPort: 5432, peerPort: 1 })), 'tcp from 127.0.0.1:5432');
  const l6 = sock({ family: 'inet6', state: 'LISTEN', localAddress: '::', localPort: 80, peerAddress: '::', peerPort: 0 });
  assert.equal(socketLabel(l6), 'LISTEN [::]:80');
  assert.match(socketDescription(l6), /all interfaces/);
  const u = sock({ netid: 'u_str', family: 'unix', localAddress: null, localPort: 631, peerAddress: null, peerPort: 632 });
  assert.equal(socketLabel(u), 'ESTAB → * 632');
});

test('tooltip shows key tcp_info figures in human units', () => {
  const s = sock({ processes: [{ pid: 7, name: 'curl', fd: 3 }], congestion: 'cubic', tcpInfo: {
    rtt: 1234, rttvar: 500, min_rtt: 900, snd_cwnd: 10, snd_ssthresh: 2147483647, total_retrans: 2, retrans: 0,
    delivery_rate: 1_250_000, pacing_rate: 'unlimited', bytes_sent: 3 * 1024 * 1024, bytes_received: 2048,
  } });
  const t = socketTooltip(s);
  assert.match(t, /process: curl \(pid 7, fd 3\)/);
  assert.match(t, /rtt: 1\.23 ms ± 500 µs/);
  assert.match(t, /cwnd: 10 segments\n/);
  assert.match(t, /retransmits: 2 total/);
  assert.match(t, /delivery rate: 10 Mbps/);
  assert.match(t, /pacing rate: unlimited/);
  assert.match(t, /sent: 3 MiB/);
  assert.match(t, /received: 2 KiB/);
  assert.deepEqual(tcpInfoLines(undefined), []);
  assert.match(socketTooltip(sock({})), /unknown \(run as root to see\)/);
  // As root, "run as root" would be a wrong hint: the socket has no process we can see.
  const asRoot = socketTooltip(sock({}), true);
  assert.match(asRoot, /process: none visible \(held by the kernel/);
  assert.doesNotMatch(asRoot, /run as root/);
});

test('exposure: wildcard LISTEN/UNCONN only', () => {
  assert.equal(isExposedListener(sock({ state: 'LISTEN', localAddress: '0.0.0.0' })), true);
  assert.equal(isExposedListener(sock({ state: 'LISTEN', family: 'inet6', localAddress: '::' })), true);
  assert.equal(isExposedListener(sock({ netid: 'udp', state: 'UNCONN', localAddress: '*' })), true);
  assert.equal(isExposedListener(sock({ state: 'LISTEN', localAddress: '127.0.0.1' })), false);
  assert.equal(isExposedListener(sock({ state: 'LISTEN', family: 'inet6', localAddress: '::1' })), false);
  assert.equal(isExposedListener(sock({ state: 'ESTAB', localAddress: '0.0.0.0' })), false);
  assert.equal(isExposedListener(sock({ netid: 'u_str', family: 'unix', state: 'LISTEN', localAddress: null })), false);
});

test('status bar counts', () => {
  assert.equal(formatStateCounts([['ESTAB', 412], ['LISTEN', 9]]), 'ESTAB 412 · LISTEN 9');
  assert.equal(formatStateCounts([]), 'no sockets');
});
