import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFilter, filterValidationMessage, toSocketQuery } from '../../../src/client/tree/model-query';

test('filter text is checked with the shared parser: error and column', () => {
  assert.deepEqual(checkFilter(''), { ok: true });
  assert.deepEqual(checkFilter('sport = :22'), { ok: true });
  const bad = checkFilter('state established dport >');
  assert.equal(bad.ok, false);
  assert.equal(bad.column, 26);
  assert.match(bad.message ?? '', /^column 26: .*port/);
  const state = checkFilter('state listen');
  assert.equal(state.column, 7);
  assert.match(state.message ?? '', /listening/);
  assert.match(filterValidationMessage('sport = :70000'), /column 9/);
});

test('a full ss query becomes the helper query', () => {
  assert.deepEqual(toSocketQuery(''), {});
  assert.deepEqual(toSocketQuery('sport = :22'), { filter: 'sport = :22' });
  assert.deepEqual(toSocketQuery('-tl sport = :5432'), { filter: 'sport = :5432', netids: ['tcp'], families: ['inet', 'inet6'], states: ['LISTEN', 'UNCONN'] });
  assert.deepEqual(toSocketQuery('ss -t4 state established ( dport = :443 or sport = :443 )'), {
    filter: 'state established ( dport = :443 or sport = :443 )', netids: ['tcp'], families: ['inet'],
  });
  assert.deepEqual(toSocketQuery('-a dst 10.0.0.1'), { filter: 'dst 10.0.0.1' });
});
