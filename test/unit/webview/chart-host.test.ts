import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChartHistory, csvField } from '../../../src/client/chart/chart-history';
import { metricVector, sampleIntervalMs } from '../../../src/client/chart/chart-metrics';
import { METRICS } from '../../../src/protocol/webview-messages';
import { sock } from '../tree/fixtures';

const at = (key: string, v: Array<number | null>): number | null => v[METRICS.findIndex((m) => m.key === key)];

test('metric vector converts tcp_info to chart units', () => {
  const v = metricVector(sock({ recvQ: 3, sendQ: 4, tcpInfo: {
    rtt: 1500, rttvar: 250, min_rtt: 4294967295, snd_cwnd: 10, snd_ssthresh: 2147483647, unacked: 4, snd_mss: 1448,
    delivery_rate: 1_250_000, pacing_rate: 'unlimited', total_retrans: '3', lost: 0, notsent_bytes: 100,
  } }));
  assert.equal(v.length, METRICS.length);
  assert.equal(at('rtt', v), 1.5);
  assert.equal(at('rttvar', v), 0.25);
  assert.equal(at('min_rtt', v), null);
  assert.equal(at('cwnd', v), 10);
  assert.equal(at('ssthresh', v), null);
  assert.equal(at('in_flight', v), 5792);
  assert.equal(at('delivery_rate', v), 10);
  assert.equal(at('pacing_rate', v), null);
  assert.equal(at('total_retrans', v), 3);
  assert.equal(at('recv_q', v), 3);
  assert.equal(at('send_q', v), 4);
  assert.equal(metricVector(sock({})).filter((x) => x !== null).length, 2);
});

test('sample rate setting: default 1 s, at most 10 Hz', () => {
  assert.equal(sampleIntervalMs(undefined), 1000);
  assert.equal(sampleIntervalMs(1), 1000);
  assert.equal(sampleIntervalMs(4), 250);
  assert.equal(sampleIntervalMs(50), 100);
  assert.equal(sampleIntervalMs(-3), 1000);
});

test('history is bounded, keeps closed sockets, exports CSV', () => {
  const h = new ChartHistory([{ cookie: 'a1', label: 'tcp 1.2.3.4:80 → "x",y' }], 3);
  for (let t = 0; t < 5; t++) h.push({ t: t * 1000, values: { a1: METRICS.map((_, i) => (i === 0 ? t : null)) } });
  assert.equal(h.length, 3);
  assert.equal(h.markClosed('a1', 6000), true);
  assert.equal(h.markClosed('a1', 7000), false);
  assert.equal(h.allClosed, true);
  const csv = h.toCsv().trim().split('\n');
  assert.equal(csv[0], ['time', 'socket', 'cookie', ...METRICS.map((m) => m.key)].join(','));
  assert.equal(csv.length, 4);
  assert.ok(csv[1].startsWith('1970-01-01T00:00:02.000Z,"tcp 1.2.3.4:80 → ""x"",y",a1,2,'));
  assert.equal(csvField('plain'), 'plain');
});
