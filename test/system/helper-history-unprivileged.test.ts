// Recording without destroy events: the helper runs as an unprivileged user made for the test (setpriv,
// inside a namespace of the test's) with SOCKSCOPE_HELPER_NO_EVENTS=1, as where the kernel sends it no
// destroy events (Linux 6.18 lets any user join those groups); closes then come from refreshes
// ("watch"), and their byte counts from the last tcp_info a refresh read of each connection.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelperClient } from '../../src/client/connection/helper-client';
import { HISTORY_REQUESTS } from '../../src/protocol/history-requests';
import { buildHelper, HELPER_JS } from './lib/helper-rpc';
import { Children, until, tearDown } from './lib/children';
import { countedClients, countedServer } from './lib/counted-traffic';
import { createNetns, type Netns } from './lib/netns';
import { afterRecording, closesOf } from './lib/recorded-log';

const INTERVAL = 400;
const USER = `sockscope-h${process.pid}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a helper without destroy events records byte counts of the closes its refreshes see', { timeout: 90_000 }, () => {
  const kids = new Children();
  let ns: Netns;
  let dir: string;
  let server: ChildProcess;
  let client: HelperClient;

  before(async () => {
    buildHelper();
    spawnSync('userdel', [USER], { stdio: 'ignore' });
    execFileSync('useradd', ['-r', '-M', '-s', '/usr/sbin/nologin', USER]);
    dir = mkdtempSync(join(tmpdir(), 'sockscope-history-unpriv-'));
    chmodSync(dir, 0o777);
    ns = createNetns('hunpriv');
    server = kids.python(ns.name, countedServer([[7601, 3000, 5000]]));
    await kids.waitFor(server, 'ready');
    // The helper as the extension would start it for this user, in the test's namespace.
    const node = join(dir, 'node-as-user');
    writeFileSync(node, `#!/bin/sh\nexport SOCKSCOPE_HELPER_NO_EVENTS=1\nexec ip netns exec ${ns.name} setpriv --reuid ${USER} --regid ${USER} --clear-groups --inh-caps=-all -- ${process.execPath} "$@"\n`, { mode: 0o755 });
    client = new HelperClient({ helperPath: HELPER_JS, nodePath: node, privilege: () => 'none', requestTimeoutMs: 20_000, restartDelayMs: 100, log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
  });
  after(async () => {
    await tearDown({ client, kids, ns, dir });
    spawnSync('userdel', [USER], { stdio: 'ignore' });
  });

  it('logs each connection closed by the watch with the bytes it sent and received', async () => {
    const db = join(dir, 'unprivileged.db');
    closeSync(openSync(db, 'wx', 0o600));
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }));
    chownSync(db, uid, uid);
    let changes = 0;
    const view = client.openView({ intervalMs: INTERVAL, query: { netids: ['tcp'] }, groupBy: 'state' }, () => { changes++; });
    try {
      await until(() => (changes > 0 ? true : undefined), 20_000, "the view's first refresh");
      const started = await client.request(HISTORY_REQUESTS['history/record'], { path: db, viewId: view.id, maxAgeMs: 3600_000, maxBytes: 64 << 20 });
      assert.equal(started.kernelEvents, false, 'no destroy events');
      await sleep(2 * INTERVAL);
      const conns = kids.python(ns.name, countedClients(7601, 3, 3000, 5000, 2));
      await kids.waitFor(conns, 'closed');
      await sleep(4 * INTERVAL);
      const log = await afterRecording(client, db, (rec) => closesOf(rec, 'dport = :7601'));
      assert.equal(log.total, 3, JSON.stringify(log.rows));
      for (const r of log.rows) {
        assert.equal(r.closedBy, 'watch', JSON.stringify(r));
        assert.equal(r.bytesSent, 3000, JSON.stringify(r));
        // The FIN counts as a byte received where the peer closed first.
        assert.ok(r.bytesReceived === 5000 || r.bytesReceived === 5001, JSON.stringify(r));
        assert.equal(r.retrans, 0, JSON.stringify(r));
      }
    } finally {
      view.dispose();
    }
  });
});
