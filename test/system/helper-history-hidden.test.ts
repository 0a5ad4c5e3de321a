// A hidden Sockets view records nothing new (docs/history.md "Only while the view is shown"): the helper
// records a view, the view closes (VS Code hid it), and in the gap one recorded connection closes and a
// new one opens and closes. The recorded one is closed by its destroy event, at its real time; the one
// that lived only in the gap is not in the log (it would be dated from the last refresh before the gap).
// When the view opens again (a new id, as the extension does) recording resumes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelperClient } from '../../src/client/connection/helper-client';
import { HistoryClient } from '../../src/client/history/history-client';
import { HISTORY_REQUESTS } from '../../src/protocol/history-requests';
import { buildHelper } from './lib/helper-rpc';
import { Children, testHelperClient, tearDown } from './lib/children';
import { countedClients, countedServer } from './lib/counted-traffic';
import { createNetns, type Netns } from './lib/netns';

const INTERVAL = 300;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('nothing new is recorded while the recorded view is closed', { timeout: 120_000 }, () => {
  let ns: Netns;
  let dir: string;
  let client: HelperClient;
  const kids = new Children();
  const run = (code: string): ChildProcess => kids.python(ns.name, code);
  const waitLine = (p: ChildProcess, word: string): Promise<RegExpMatchArray> => kids.waitFor(p, word);

  before(async () => {
    buildHelper();
    dir = mkdtempSync(join(tmpdir(), 'sockscope-helper-hidden-'));
    ns = createNetns('hhide');
    const server = run(countedServer([[7631, 100, 200], [7632, 300, 400]]));
    await waitLine(server, 'ready');
    client = testHelperClient();
  });
  after(async () => {
    await tearDown({ client, kids, ns, dir });
  });

  it('keeps the close of a recorded connection, not one that lived only in the gap, and resumes', async () => {
    const db = join(dir, 'gap.db');
    closeSync(openSync(db, 'wx', 0o600));
    const open = (): { id: string; dispose(): void; seen: () => number } => {
      let n = 0;
      const v = client.openView({ intervalMs: INTERVAL, query: { netns: { name: ns.name }, netids: ['tcp'] }, groupBy: 'state' }, () => { n++; });
      return { id: v.id, dispose: () => v.dispose(), seen: () => n };
    };
    const record = (viewId: string) => client.request(HISTORY_REQUESTS['history/record'], { path: db, viewId, netns: { name: ns.name }, maxAgeMs: 3600_000, maxBytes: 64 << 20 });

    const first = open();
    while (first.seen() === 0) await sleep(25);
    assert.equal((await record(first.id)).kernelEvents, true, 'root reads destroy events');
    const recorded = run(countedClients(7631, 1, 100, 200, 3));
    await waitLine(recorded, 'open');
    await sleep(4 * INTERVAL);
    first.dispose();
    const gapFrom = Date.now();
    await sleep(2 * INTERVAL);
    const inGap = run(countedClients(7632, 2, 300, 400, 0.2));
    await waitLine(inGap, 'closed');
    await waitLine(recorded, 'closed');
    const closedInGap = Date.now();
    await sleep(2 * INTERVAL);

    const reopened = Date.now();
    const second = open();
    while (second.seen() === 0) await sleep(25);
    await record(second.id);
    const after = run(countedClients(7632, 1, 300, 400, 0.2));
    await waitLine(after, 'closed');
    await sleep(4 * INTERVAL);
    await client.request(HISTORY_REQUESTS['history/stopRecording'], undefined);
    second.dispose();

    const rec = await new HistoryClient(client).open(db);
    try {
      const log = (await rec.log({ sort: { column: 'closedAt', descending: false }, offset: 0, limit: 1000 })).rows;
      const to7631 = log.filter((r) => r.peerPort === 7631);
      assert.equal(to7631.length, 1, JSON.stringify(log));
      assert.equal(to7631[0].closedBy, 'kernel-event');
      assert.ok(to7631[0].closedAt > gapFrom && to7631[0].closedAt < reopened, `closed at its destroy event, in the gap: ${JSON.stringify({ gapFrom, closedInGap, reopened, row: to7631[0] })}`);
      assert.equal(to7631[0].bytesSent, 100);
      // Two connections lived only in the gap, one after it: only the one after is logged.
      const to7632 = log.filter((r) => r.peerPort === 7632);
      assert.equal(to7632.length, 1, JSON.stringify(to7632));
      assert.ok(to7632[0].openedAt > closedInGap, 'the connection after the gap');
      assert.equal(to7632[0].bytesSent, 300);
    } finally {
      await rec.close();
    }
  });
});
