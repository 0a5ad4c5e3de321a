// FindingsChanges: the helper sends findings only when they changed; detail numbers and the ss -s
// summary alone are sent at most every slowMs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsChanges } from '../../../src/findings/changes';
import type { Finding, SocketSummary } from '../../../src/protocol/findings';

const f = (id: string, over: Partial<Finding> = {}): Finding => ({
  id, rule: 'close-wait', severity: 'warning', title: `${id} title`, detail: 'detail', sockets: ['1a'], processes: [7], hint: 'hint', ...over,
});
const summary = (total: number): SocketSummary => ({
  total, tcp: { total: 1, estab: 1, closed: 0, orphaned: 0, timewait: 0 },
  transports: { raw: [0, 0], udp: [0, 0], tcp: [1, 0], inet: [1, 0], frag: [0, 0] },
});

describe('FindingsChanges', () => {
  it('sends the first findings, even none', () => {
    assert.equal(new FindingsChanges().offer([], null, 0), true);
  });

  it('does not send the same findings again', () => {
    const g = new FindingsChanges();
    assert.equal(g.offer([f('a')], summary(5), 0), true);
    assert.equal(g.offer([f('a')], summary(5), 1), false);
    assert.equal(g.offer([f('a')], summary(5), 60_000), false);
  });

  it('sends when a finding comes, goes (resolved) or changes what it shows', () => {
    const g = new FindingsChanges();
    g.offer([f('a')], null, 0);
    assert.equal(g.offer([f('a'), f('b')], null, 1), true, 'a new finding');
    assert.equal(g.offer([f('b')], null, 2), true, 'a resolved finding goes');
    assert.equal(g.offer([f('b', { severity: 'error' })], null, 3), true, 'severity');
    assert.equal(g.offer([f('b', { severity: 'error', sockets: ['1a', '2b'] })], null, 4), true, 'its sockets');
    assert.equal(g.offer([f('b', { severity: 'error', sockets: ['1a', '2b'], title: 'other' })], null, 5), true, 'its title');
    assert.equal(g.offer([], null, 6), true, 'all resolved');
    assert.equal(g.offer([], null, 7), false);
  });

  it('sends a change of detail or summary alone at most every slowMs', () => {
    const g = new FindingsChanges(10_000);
    g.offer([f('a', { detail: 'age 1 s' })], summary(5), 0);
    assert.equal(g.offer([f('a', { detail: 'age 3 s' })], summary(5), 2_000), false);
    assert.equal(g.offer([f('a', { detail: 'age 3 s' })], summary(6), 9_999), false);
    assert.equal(g.offer([f('a', { detail: 'age 11 s' })], summary(6), 10_000), true);
    assert.equal(g.offer([f('a', { detail: 'age 11 s' })], summary(6), 30_000), false, 'nothing changed since');
  });

  it('sends again after reset (a new watch)', () => {
    const g = new FindingsChanges();
    g.offer([f('a')], null, 0);
    g.reset();
    assert.equal(g.offer([f('a')], null, 1), true);
  });
});
