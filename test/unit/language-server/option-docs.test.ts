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

test('options a query ignores but the command line uses say what they do there, not "no effect"', () => {
  for (const [flag, about] of [['-D /tmp/x', /raw TCP sock_diag dump.*TCPDIAG_FILE/], ['-K', /closes the matching sockets/], ['-E', /destroyed/], ['--tos', /-D/]] as const) {
    const d = parseQuery(`-t ${flag}`).diagnostics.filter((x) => x.code === 'unsupported');
    assert.equal(d.length, 1, flag);
    assert.match(d[0].message, /acts only on the command line/, flag);
    assert.match(d[0].message, about, flag);
  }
  // An option with no meaning anywhere in Sockscope still says so.
  assert.match(parseQuery('-t -O').diagnostics.find((x) => x.code === 'unsupported')?.message ?? '', /has no effect in Sockscope/);
  // The hover texts: -D tells of TCPDIAG_FILE, and none claims "no effect" for what works.
  assert.match(findOptionDoc('-D')?.doc ?? '', /TCPDIAG_FILE/);
  assert.match(findOptionDoc('--diag=-')?.doc ?? '', /ss -D/);
  for (const o of OPTION_DOCS) assert.doesNotMatch(o.doc, /no effect|not supported/, o.long);
});
