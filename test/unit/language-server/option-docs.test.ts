// The server documents and completes options from the parser's own table: whatever completion offers
// must parse, and every alias the parser accepts must find its documentation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQuery } from '../../../src/ssq';
import { OPTION_DOCS, findOptionDoc } from '../../../src/language-server/docs/options';

test('every option the server offers is one the parser knows', () => {
  for (const o of OPTION_DOCS) {
    for (const flag of [o.short, ...o.longs].filter((f): f is string => !!f)) {
      const text = o.arg ? `${flag} x` : flag;
      const unknown = parseQuery(text).diagnostics.filter((d) => d.code === 'unknown-option');
      assert.deepEqual(unknown, [], `${flag} is offered but rejected`);
    }
  }
});

test('aliases find their documentation: --socket is -A, --tos exists', () => {
  assert.equal(findOptionDoc('--socket')?.short, '-A');
  assert.equal(findOptionDoc('--socket=tcp')?.long, '--query');
  assert.match(findOptionDoc('--tos')?.doc ?? '', /ToS/);
  assert.equal(findOptionDoc('-t')?.long, '--tcp');
});
