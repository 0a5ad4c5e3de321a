// The helper records while a view watches (history/record), in a namespace: connections opened and
// closed with known byte counts are in history/log with those bytes (closes from the kernel's destroy
// events, as root), history/timeline's counts and history/moment's sockets are what ss listed at a
// sampled moment. The root helper writes into a file the user owns and leaves every side file the
// user's; a read-only or a damaged file is one clear error and the view goes on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdtempSync, openSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HelperClient } from '../../src/client/connection/helper-client';
import { HistoryClient } from '../../src/client/history/history-client';
import { HISTORY_REQUESTS, stateName, type MomentRow } from '../../src/protocol/history-requests';
import type { ViewChangedNotification } from '../../src/protocol/view-protocol';
import { buildHelper } from './lib/helper-rpc';
import { Children, testHelperClient, until, tearDown } from './lib/children';
import { countedClients, countedServer } from './lib/counted-traffic';
import { createNetns, type Netns } from './lib/netns';
import { parseSs, runSs } from './lib/ss';
import { afterRecording, closesOf } from './lib/recorded-log';

const INTERVAL = 400;
const USER_UID = 65534;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const SERVER = countedServer([[7501, 3000, 5000], [7502, 1234, 4321]]);

const kids = new Children();
const waitLine = (p: ChildProcess, word: string): Promise<RegExpMatchArray> => kids.waitFor(p, word);
function clients(ns: Netns, port: number, n: number, req: number, resp: number, holdS: number): ChildProcess {
  return kids.python(ns.name, countedClients(port, n, req, resp, holdS));
}

/** The file as the extension makes it: the user's, 0600. */
function userFile(path: string): void {
  closeSync(openSync(path, 'wx', 0o600));
  chownSync(path, USER_UID, USER_UID);
}

const key = (s: { state: string; localAddress: string | null; localPort: number; peerAddress: string | null; peerPort: number }): string =>
  `${s.state} ${s.localAddress}:${s.localPort} ${s.peerAddress ?? '0.0.0.0'}:${s.peerPort}`;
const momentKey = (s: MomentRow): string => key({ ...s, state: stateName(s.state) });

describe('the helper records while a view watches (history/*)', { timeout: 150_000 }, () => {
  let ns: Netns;
  let server: ChildProcess;
  let dir: string;
  let client: HelperClient;
  const logs: string[] = [];
  const stopped: string[] = [];

  before(async () => {
    buildHelper();
    dir = mkdtempSync(join(tmpdir(), 'sockscope-helper-history-'));
    chmodSync(dir, 0o777);
    ns = createNetns('hhist');
    server = kids.python(ns.name, SERVER);
    await waitLine(server, 'ready');
    client = testHelperClient({ info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) });
    client.onHistoryStopped((p) => stopped.push(p.message));
  });
  after(async () => {
    await tearDown({ client, kids, ns, dir });
  });

  it('logs connections with their bytes; timeline and moment match ss; the file stays the user\'s', async () => {
    const db = join(dir, 'live.db');
    userFile(db);
    let changes = 0;
    const view = client.openView({ intervalMs: INTERVAL, query: { netns: { name: ns.name }, netids: ['tcp', 'udp'] }, groupBy: 'state' }, () => { changes++; });
    try {
      await until(() => (changes > 0 ? true : undefined), 15_000, 'the view\'s first refresh');
      const started = await client.request(HISTORY_REQUESTS['history/record'], { path: db, viewId: view.id, netns: { name: ns.name }, maxAgeMs: 3600_000, maxBytes: 64 << 20 });
      assert.equal(started.kernelEvents, true, 'root joins the destroy groups');
      await sleep(3 * INTERVAL);
      const long = clients(ns, 7501, 3, 3000, 5000, 2.5);
      await waitLine(long, 'open');
      await sleep(3 * INTERVAL);
      const moment = Date.now();
      const listed = parseSs(runSs(ns.name, ['-tuan']).stdout).filter((s) => s.netid === 'tcp' || s.netid === 'udp');
      await sleep(2 * INTERVAL);
      const short = clients(ns, 7502, 5, 1234, 4321, 0);
      await waitLine(short, 'closed');
      await waitLine(long, 'closed');
      await sleep(4 * INTERVAL);
      await client.request(HISTORY_REQUESTS['history/stopRecording'], undefined);

      // Nothing in the folder is root's: the file and every side file SQLite made belong to the user.
      for (const f of readdirSync(dir)) assert.equal(statSync(join(dir, f)).uid, USER_UID, `${f} belongs to uid ${statSync(join(dir, f)).uid}`);
      assert.equal(statSync(db).mode & 0o777, 0o600);

      const rec = await new HistoryClient(client).open(db);
      try {
        assert.equal(rec.info.live, false);
        const log = await rec.log({ sort: { column: 'closedAt', descending: false }, offset: 0, limit: 1000 });
        const toPort = (port: number) => log.rows.filter((r) => r.peerPort === port);
        assert.equal(toPort(7501).length, 3, JSON.stringify(log.rows));
        assert.equal(toPort(7502).length, 5, JSON.stringify(log.rows));
        for (const r of [...toPort(7501), ...toPort(7502)]) {
          const [sent, received] = r.peerPort === 7501 ? [3000, 5000] : [1234, 4321];
          assert.equal(r.bytesSent, sent);
          assert.ok(r.bytesReceived === received || r.bytesReceived === received + 1, `received ${r.bytesReceived}`);
          assert.equal(r.closedBy, 'kernel-event');
        }
        const filtered = await rec.log({ filter: 'dport = :7502', sort: { column: 'bytesSent', descending: true }, offset: 0, limit: 100 });
        assert.equal(filtered.total, 5);

        const m = await rec.moment({ at: moment });
        assert.ok(m.at !== null && m.at <= moment, `moment at ${m.at}`);
        assert.deepEqual(m.sockets.map(momentKey).sort(), listed.map((s) => key({ ...s, peerPort: s.peerPort ?? 0 })).sort());

        const tl = await rec.timeline({ from: m.at!, to: m.at!, buckets: 1, scope: { kind: 'all' } });
        for (const state of ['ESTAB', 'LISTEN', 'UNCONN'] as const) {
          const counted = tl.series.find((s) => s.name === state)?.counts[0] ?? 0;
          assert.equal(counted, listed.filter((s) => s.state === state).length, `${state} at ${m.at}`);
        }
        const q = await rec.timeline({ from: m.at!, to: m.at!, buckets: 1, scope: { kind: 'query', filter: 'dport = :7501' } });
        assert.equal(q.series.find((s) => s.name === 'ESTAB')?.counts[0], 3);
      } finally {
        await rec.close();
      }
    } finally {
      view.dispose();
    }
  });

  it('filtering the recorded view does not make the sockets it hides look closed', async () => {
    const db = join(dir, 'filtered.db');
    userFile(db);
    let changes = 0;
    const query = { netns: { name: ns.name }, netids: ['tcp', 'udp'] as Array<'tcp' | 'udp'> };
    const view = client.openView({ intervalMs: INTERVAL, query, groupBy: 'state' }, () => { changes++; });
    try {
      await until(() => (changes > 0 ? true : undefined), 15_000, 'the view\'s first refresh');
      await client.request(HISTORY_REQUESTS['history/record'], { path: db, viewId: view.id, netns: { name: ns.name }, maxAgeMs: 3600_000, maxBytes: 64 << 20 });
      const long = clients(ns, 7501, 3, 3000, 5000, 3);
      await waitLine(long, 'open');
      await sleep(2 * INTERVAL);
      // The view now shows none of them, for several refreshes; then all again.
      await view.update({ query: { ...query, filter: 'sport = :7502' } });
      await sleep(2 * INTERVAL);
      const hidden = Date.now();
      await sleep(2 * INTERVAL);
      await view.update({ query });
      await waitLine(long, 'closed');
      await sleep(3 * INTERVAL);
      await afterRecording(client, db, async (rec) => {
        const log = await closesOf(rec, 'dport = :7501');
        assert.equal(log.total, 3, JSON.stringify(log.rows));
        for (const r of log.rows) {
          assert.equal(r.closedBy, 'kernel-event', JSON.stringify(r));
          assert.equal(r.bytesSent, 3000);
          assert.ok(r.durationMs >= 2500, `open ${r.durationMs} ms: closed when the filter hid it?`);
        }
        // While the view hid them, they were open.
        const m = await rec.moment({ at: hidden });
        assert.equal(m.sockets.filter((s) => s.peerPort === 7501 && stateName(s.state) === 'ESTAB').length, 3, JSON.stringify(m.sockets));
      });
    } finally {
      view.dispose();
    }
  });

  it('a read-only or damaged file is one clear error, and the view goes on', async () => {
    let changes = 0;
    const view = client.openView({ intervalMs: INTERVAL, query: { netns: { name: ns.name }, netids: ['tcp'] }, groupBy: 'state' }, (_n: ViewChangedNotification) => { changes++; });
    try {
      const ro = join(dir, 'ro.db');
      userFile(ro);
      chmodSync(ro, 0o400);
      await assert.rejects(client.request(HISTORY_REQUESTS['history/record'], { path: ro, viewId: view.id, maxAgeMs: 3600_000, maxBytes: 64 << 20 }), /ro\.db: cannot write the recording \(read-only/);
      const bad = join(dir, 'bad.db');
      writeFileSync(bad, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 7)]), { mode: 0o600 });
      await assert.rejects(client.request(HISTORY_REQUESTS['history/record'], { path: bad, viewId: view.id, maxAgeMs: 3600_000, maxBytes: 64 << 20 }), /bad\.db: /);
      await assert.rejects(client.request(HISTORY_REQUESTS['history/record'], { path: join(dir, 'missing.db'), viewId: view.id, maxAgeMs: 3600_000, maxBytes: 64 << 20 }), /no such file \(the extension creates it/);
      const before = changes;
      await view.update({ refresh: true });
      await until(() => (changes > before || client.state === 'running' ? true : undefined), 10_000, 'the view still refreshing');
      assert.equal(client.state, 'running');
    } finally {
      view.dispose();
    }
  });
});
