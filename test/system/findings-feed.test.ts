// Findings from the view's store (findings/watch): with one view holding every socket of the
// namespace, a CLOSE-WAIT condition appears as a `findings/changed` notification computed from that
// view's sockets (source "view", no dump of the findings' own), naming the process by what it is;
// no notification repeats unchanged findings; and the finding goes when the condition resolves.
// Without a view, the findings' own dump (source "dump") keeps the watch going.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, type Netns } from './lib/netns';
import { buildHelper, startHelper, type HelperRpc, type RpcMessage } from './lib/helper-rpc';
import { Scenario, ssCookies } from './lib/findings-scenario';
import type { FindingsChangedNotification } from '../../src/protocol/helper-protocol';

const CLOSE_WAIT = String.raw`
l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(16); keep.append(l)
served = []
`;
const MAKE = String.raw`
for i in range(5):
    c = socket.socket(); c.connect(('127.0.0.1', l.getsockname()[1])); a, _ = l.accept(); served.append(a); c.close()
`;

describe('findings from the view store (findings/watch)', { timeout: 180_000 }, () => {
  let ns: Netns;
  let h: HelperRpc;
  let sc: Scenario | undefined;
  const changes: FindingsChangedNotification[] = [];
  before(async () => {
    buildHelper();
    ns = createNetns('findings-feed');
    h = await startHelper();
    h.onMessage((m: RpcMessage) => { if (m.method === 'findings/changed') changes.push(m.params as FindingsChangedNotification); });
  });
  after(async () => {
    await sc?.stop();
    await h?.close();
    ns?.remove();
  });

  /** The next notification after `seen` that passes `test`. */
  const next = async (seen: number, test: (n: FindingsChangedNotification) => boolean, what: string): Promise<FindingsChangedNotification> => {
    const m = await h.wait((x) => x.method === 'findings/changed' && changes.indexOf(x.params as FindingsChangedNotification) >= seen && test(x.params as FindingsChangedNotification), 30_000, what);
    return m.params as FindingsChangedNotification;
  };

  it('CLOSE-WAIT appears from the view\'s sockets and goes when it resolves; unchanged findings are not sent again', async () => {
    const netns = { name: ns.name };
    sc = await Scenario.start(ns, CLOSE_WAIT, { make: MAKE, close: 'for a in served: a.close()' });
    const id = `close-wait/pid:${sc.info.pid}`;
    await h.result('view/open', { viewId: 'v1', intervalMs: 300, query: { netns }, groupBy: 'state' });
    await h.result('findings/watch', { netns, intervalMs: 3_600_000 });
    const first = await next(0, () => true, 'the first findings');
    assert.equal(first.findings.find((f) => f.id === id), undefined, 'no CLOSE-WAIT yet');

    // Counted before the step: its notification may arrive before the step's own answer does.
    const seen = changes.length;
    await sc.step('make');
    const shown = await next(seen, (n) => n.findings.some((f) => f.id === id), `${id} in a notification`);
    assert.equal(shown.source, 'view', 'computed from the view\'s store, not a dump of its own');
    const f = shown.findings.find((x) => x.id === id)!;
    assert.deepEqual([...f.sockets].sort(), ssCookies(ns, ['-t', 'state', 'close-wait']));
    assert.deepEqual(f.processes, [sc.info.pid]);
    // Named by what it is (the driver runs `python3 -c ...`), and the label travels with the findings.
    assert.match(shown.processLabels[sc.info.pid] ?? '', /python3/);
    assert.match(f.title, /python3/);
    assert.ok(shown.summary && shown.summary.tcp.total >= 6, JSON.stringify(shown.summary));

    // Several refreshes (300 ms each): a notification only when the findings changed, never the
    // same set twice in a row (other findings may come and go on a busy machine, this one stays).
    const from = changes.indexOf(shown);
    await new Promise((r) => setTimeout(r, 2_000));
    const key = (n: FindingsChangedNotification): string => JSON.stringify(n.findings.map((x) => [x.id, x.severity, x.title, x.hint, x.sockets, x.processes]));
    const sent = changes.slice(from);
    for (let i = 1; i < sent.length; i++) assert.notEqual(key(sent[i]), key(sent[i - 1]), `the same findings were sent twice in a row: ${key(sent[i])}`);
    assert.ok(sent.length < 6, `${sent.length} notifications in 2 s of unchanged sockets`);
    assert.ok(sent.every((n) => n.findings.some((x) => x.id === id && x.title === f.title)), 'the finding stays while the condition does');

    const beforeClose = changes.length;
    await sc.step('close');
    const resolved = await next(beforeClose, (n) => !n.findings.some((x) => x.id === id), 'the resolved finding going');
    assert.equal(resolved.source, 'view');
  });

  it('without a view, the findings\' own dump', async () => {
    await h.result('view/close', { viewId: 'v1' });
    const seen = changes.length;
    await h.result('findings/watch', { netns: { name: ns.name }, intervalMs: 500 });
    const n = await next(seen, () => true, 'findings from a dump');
    assert.equal(n.source, 'dump');
    await h.result('findings/unwatch');
  });

  it('refuses unknown thresholds', async () => {
    const r = await h.call('findings/watch', { thresholds: { 'no-such.threshold': 1 } });
    assert.equal(r.error?.code, -32602);
  });
});
