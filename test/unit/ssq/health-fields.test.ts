// The threshold fields are derived from src/fields' one description of tcp_info: every quantity
// by its kernel name, the states and bit sets left out (and named in the error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEALTH_FIELDS, parseThreshold, toFieldUnit, unitFits, formatFieldValue } from '../../../src/ssq/index';
import { TCP_INFO_FIELDS } from '../../../src/fields/index';

test('threshold fields: recvQ, sendQ, then tcp_info\'s quantities in the kernel\'s order', () => {
  const names = HEALTH_FIELDS.map((f) => f.name);
  assert.deepEqual(names.slice(0, 2), ['recvQ', 'sendQ']);
  assert.deepEqual(names.slice(2), TCP_INFO_FIELDS.filter((f) => !['enum', 'flags', 'seq'].includes(f.unit)).map((f) => f.name));
  for (const n of ['rtt', 'retrans', 'snd_cwnd', 'min_rtt', 'bytes_acked', 'delivery_rate', 'last_data_recv']) assert.ok(names.includes(n), n);
  assert.equal(HEALTH_FIELDS.find((f) => f.name === 'rtt')!.unit, 'us');
  assert.equal(HEALTH_FIELDS.find((f) => f.name === 'snd_cwnd')!.unit, 'count');
  assert.match(parseThreshold('@warn max(ca_state) > 1', 0).diagnostics[0].message, /`ca_state` names a state, a mode or a set of bits/);
});

test('units: times, counts, bytes', () => {
  assert.equal(toFieldUnit('us', 200, 'ms'), 200_000);
  assert.equal(toFieldUnit('ms', 2, 's'), 2000);
  assert.equal(toFieldUnit('ms', 500, 'us'), 0.5);
  assert.equal(toFieldUnit('bytes', 2, 'KiB'), 2048);
  assert.equal(toFieldUnit('count', 3, 'k'), 3000);
  assert.ok(unitFits('bytes', 'k') && unitFits('bytes/s', 'MiB') && !unitFits('count', 'KiB') && !unitFits('us', 'k'));
  assert.deepEqual([formatFieldValue('us', 31_000), formatFieldValue('us', 12), formatFieldValue('ms', 2500), formatFieldValue('bytes', 3 << 20), formatFieldValue('count', 7)], ['31ms', '12us', '2.5s', '3MiB', '7']);
});
