// The helper's `findings` request: a condition made in a namespace appears with its sockets, the
// next call sees the counters' deltas and CLOSE-WAIT ages, and a resolved condition's finding goes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, type Netns } from './lib/netns';
import { buildHelper, startHelper, type HelperRpc } from './lib/helper-rpc';
import { Scenario, ssCookies } from './lib/findings-scenario';
import { PROTOCOL_VERSION, type FindingsResult } from '../../src/protocol/helper-protocol';

describe('helper findings request', { timeout: 180_000 }, () => {
  let ns: Netns;
  let h: HelperRpc;
  let sc: Scenario | undefined;
  before(async () => {
    buildHelper();
    ns = createNetns('findings-helper');
    h = await startHelper();
    await h.result('initialize', { protocolVersion: PROTOCOL_VERSION });
  });
  after(async () => {
    await sc?.stop();
    await h?.close();
    ns?.remove();
  });

  it('reports CLOSE-WAIT with its sockets, then not once they are closed', async () => {
    sc = await Scenario.start(ns, String.raw`
l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(16); keep.append(l)
served = []
for i in range(5):
    c = socket.socket(); c.connect(('127.0.0.1', l.getsockname()[1])); a, _ = l.accept(); served.append(a); c.close()
`, { close: 'for a in served: a.close()' });
    const netns = { name: ns.name };
    const id = `close-wait/pid:${sc.info.pid}`;
    const first = await h.result<FindingsResult>('findings', { netns });
    const f = first.findings.find((x) => x.id === id);
    assert.ok(f, `no ${id} in ${first.findings.map((x) => x.id).join(', ')}`);
    assert.deepEqual([...f.sockets].sort(), ssCookies(ns, ['-t', 'state', 'close-wait']));
    assert.equal(typeof first.rulesMs, 'number');
    assert.ok(first.summary && first.summary.tcp.total >= 6, JSON.stringify(first.summary));
    const again = await h.result<FindingsResult>('findings', { netns, thresholds: { 'close-wait.age-seconds': 0, 'close-wait.count': 100 } });
    assert.match(again.findings.find((x) => x.id === id)?.detail ?? '', /the oldest has been in CLOSE-WAIT for at least \d+ s/, 'the second call knows the age');
    await sc.step('close');
    const resolved = await h.result<FindingsResult>('findings', { netns });
    assert.equal(resolved.findings.find((x) => x.id === id), undefined, 'a resolved finding goes');
  });

  it('refuses unknown thresholds', async () => {
    const r = await h.call('findings', { thresholds: { 'no-such.threshold': 1 } });
    assert.equal(r.error?.code, -32602);
    assert.match(r.error?.message ?? '', /unknown threshold "no-such.threshold"/);
  });
});
