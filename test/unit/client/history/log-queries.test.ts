// The log panel's host-side checks: filter errors say where and why (as the language reports them), and
// a row's Sockets view filter selects its connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterError, rowFilter } from '../../../../src/client/history/log-queries';
import { parseQuery } from '../../../../src/ssq';

test('a filter error names its column and the offending range; valid filters pass', () => {
  assert.equal(filterError(''), null);
  assert.equal(filterError('   '), null);
  assert.equal(filterError('dport = :443 or sport = :22'), null);
  assert.equal(filterError('-t state established src 10.0.0.0/8'), null);
  const e = filterError('dport = ');
  assert.ok(e);
  assert.equal(e.column, e.start + 1);
  assert.ok(e.start <= e.end && e.end <= 'dport = '.length);
  assert.match(e.message, /port/);
  const bad = filterError('sport = :99999');
  assert.ok(bad && bad.start >= 8, JSON.stringify(bad));
});

test('a row filter selects the connection by its ends, and parses', () => {
  const f = rowFilter({ netid: 'tcp', localAddress: '127.0.0.1', localPort: 5000, peerAddress: '127.0.0.1', peerPort: 40312 });
  assert.equal(f, '-t src 127.0.0.1:5000 dst 127.0.0.1:40312');
  assert.equal(rowFilter({ netid: 'tcp', localAddress: '::1', localPort: 443, peerAddress: '::1', peerPort: 5 }), '-t src [::1]:443 dst [::1]:5');
  assert.equal(rowFilter({ netid: 'udp', localAddress: '0.0.0.0', localPort: 53, peerAddress: '0.0.0.0', peerPort: 0 }), '-u src 0.0.0.0:53');
  assert.equal(rowFilter({ netid: 'u_str', localAddress: '/run/x', localPort: 0, peerAddress: null, peerPort: 0 }), undefined);
  for (const text of [f!, '-t src [::1]:443 dst [::1]:5', '-u src 0.0.0.0:53']) {
    assert.deepEqual(parseQuery(text).diagnostics.filter((d) => d.severity === 'error'), [], text);
  }
});
