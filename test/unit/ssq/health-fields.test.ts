// The threshold fields of src/ssq (pure, so it keeps its own list) name exactly the engine's
// tcp_info fields: a field added to src/netlink/tcp-info.ts fails here until it has a unit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEALTH_FIELDS, toFieldUnit, unitFits, formatFieldValue } from '../../../src/ssq/index';
import { TCP_INFO_FIELDS } from '../../../src/netlink/index';

test('tcp_info fields of thresholds are the engine\'s, in its order', () => {
  assert.deepEqual(HEALTH_FIELDS.filter((f) => f.source === 'tcp_info').map((f) => f.name), TCP_INFO_FIELDS.map((f) => f.name));
  assert.deepEqual(HEALTH_FIELDS.filter((f) => f.source === 'queue').map((f) => f.name), ['recvQ', 'sendQ']);
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
