// The helper's `health` request: `.ssq` texts in, the thresholds of their named queries evaluated
// over one dump of the namespace; files with errors are named, queries without thresholds skipped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, type Netns } from './lib/netns';
import { buildHelper, startHelper, type HelperRpc } from './lib/helper-rpc';
import { PopulationBuilder, type RunningPopulation } from './lib/population';
import { PROTOCOL_VERSION, type HealthResult } from '../../src/protocol/helper-protocol';

describe('helper health request', { timeout: 60_000 }, () => {
  let ns: Netns;
  let h: HelperRpc;
  let pop: RunningPopulation;
  before(async () => {
    buildHelper();
    ns = createNetns('health-helper');
    const b = new PopulationBuilder().tcpListener('127.0.0.1', 8443);
    for (let i = 0; i < 4; i++) b.tcpConnection('127.0.0.1', 8443);
    pop = await b.start(ns);
    h = await startHelper();
    await h.result('initialize', { protocolVersion: PROTOCOL_VERSION });
  });
  after(async () => {
    await h?.close();
    await pop?.stop();
    ns?.remove();
  });

  it('evaluates the queries with thresholds of every file', async () => {
    const text = '# checks\n[https]\n@warn count > 3\n@error count > 10\n-t state established sport = :8443\n\n[plain]\n-t\n\n[listening]\n@error count < 1\n-tl sport = :8443\n';
    const r = await h.result<HealthResult>('health', {
      netns: { name: ns.name },
      files: [{ uri: 'file:///w/a.ssq', text }, { uri: 'file:///w/bad.ssq', text: '[x]\n@warn p99(rtx) > 1\n-t\n' }],
    });
    assert.deepEqual(r.queries.map((q) => [q.uri, q.name, q.line, q.state, q.count]), [
      ['file:///w/a.ssq', 'https', 1, 'warn', 4],
      ['file:///w/a.ssq', 'listening', 9, 'ok', 1],
    ]);
    assert.deepEqual(r.queries[0].holding, ['warn count > 3']);
    assert.equal(r.queries[0].text, '-t state established sport = :8443');
    assert.equal(r.queries[0].summary, 'https WARNING: 4 (warn > 3, error > 10)');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0], /^file:\/\/\/w\/bad\.ssq:2:\d+: unknown field `rtx`/);
  });

  it('refuses more files than the limit and a missing namespace', async () => {
    const tooMany = Array.from({ length: 65 }, (_, i) => ({ uri: `f${i}`, text: '' }));
    await assert.rejects(h.result('health', { files: tooMany }));
    await assert.rejects(h.result('health', { files: [{ uri: 'a', text: '[a]\n@warn count > 1\n-t\n' }], netns: { name: 'sockscope-no-such-netns' } }));
  });
});
