// One notification per crossing into warn or error, with hysteresis: a state that hovers around a
// threshold does not notify on every refresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthAlerts, type HealthLevel } from '../../../../src/client/health/health-alerts';

const run = (a: HealthAlerts, states: HealthLevel[]): string[] => states.map((s) => a.update([{ key: 'q', state: s }]).map((c) => c.level).join(',') || '-');

test('a crossing notifies once, however many refreshes it lasts', () => {
  assert.deepEqual(run(new HealthAlerts(), ['ok', 'warn', 'warn', 'warn', 'error', 'error']), ['-', 'warn', '-', '-', 'error', '-']);
  assert.deepEqual(run(new HealthAlerts(), ['error', 'warn', 'error']), ['error', '-', '-']);
});

test('flapping around a threshold notifies once; after clearAfter evaluations below, again', () => {
  assert.deepEqual(run(new HealthAlerts(3), ['warn', 'ok', 'warn', 'ok', 'ok', 'warn']), ['warn', '-', '-', '-', '-', '-']);
  assert.deepEqual(run(new HealthAlerts(3), ['warn', 'ok', 'ok', 'ok', 'warn']), ['warn', '-', '-', '-', 'warn']);
  assert.deepEqual(run(new HealthAlerts(2), ['error', 'warn', 'warn', 'error']), ['error', '-', '-', 'error']);
});

test('checks are independent; a check that disappears is forgotten', () => {
  const a = new HealthAlerts();
  assert.deepEqual(a.update([{ key: 'a', state: 'warn' }, { key: 'b', state: 'ok' }]), [{ key: 'a', level: 'warn' }]);
  assert.deepEqual(a.update([{ key: 'b', state: 'error' }]), [{ key: 'b', level: 'error' }]);
  assert.deepEqual(a.update([{ key: 'a', state: 'warn' }, { key: 'b', state: 'error' }]), [{ key: 'a', level: 'warn' }]);
});
