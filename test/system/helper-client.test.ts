// The extension host's HelperClient in plain node against the real helper: typed requests, a
// streamed dump, a watch that survives the helper being killed (restart with backoff, said once,
// the next update is a snapshot), capabilities, and a clean stop.
import { HELPER_REQUESTS } from '../../src/protocol/helper-requests';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HelperClient, type HelperWatch } from '../../src/client/connection/helper-client';
import type { SocketRecord } from '../../src/protocol/socket-record';
import { buildHelper, HELPER_JS } from './lib/helper-rpc';
import { createNetns, type Netns } from './lib/netns';
import { PopulationBuilder, type RunningPopulation } from './lib/population';

function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const t = setInterval(() => {
      if (cond()) { clearInterval(t); resolve(); } else if (Date.now() - started > timeoutMs) { clearInterval(t); reject(new Error(`timed out: ${what}`)); }
    }, 50);
  });
}

describe('HelperClient (extension-host side, in node)', () => {
  let ns: Netns;
  let pop: RunningPopulation;
  let client: HelperClient;
  const logs: string[] = [];

  before(async () => {
    buildHelper();
    ns = createNetns('helperclient');
    pop = await new PopulationBuilder().tcpListener('127.0.0.1', 7500).tcpConnection('127.0.0.1', 7500).udpBound('127.0.0.1', 7501).start(ns);
    client = new HelperClient({
      helperPath: HELPER_JS,
      nodePath: process.execPath,
      privilege: () => 'none',
      log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
      requestTimeoutMs: 10_000,
      restartDelayMs: 100,
    });
  });

  after(async () => {
    await client?.stop();
    client?.dispose();
    await pop?.stop();
    ns?.remove();
  });

  it('starts, reports capabilities, dumps in chunks and looks up by cookie', async () => {
    const caps: unknown[] = [];
    client.onDidChangeCapabilities((c) => caps.push(c));
    await client.start();
    assert.equal(client.state, 'running');
    assert.equal(client.mode, 'direct');
    assert.equal(caps.length, 1);
    const chunks: SocketRecord[][] = [];
    const r = await client.dump({ netns: { name: ns.name }, netids: ['tcp'] }, { chunkSize: 1, onChunk: (c) => chunks.push(c) });
    assert.equal(r.count, 3);
    assert.equal(chunks.length, 3);
    const all = await client.dump({ netns: { name: ns.name } });
    assert.equal(all.records.length, all.count);
    const estab = all.records.find((x) => x.state === 'ESTAB')!;
    const found = await client.lookup(estab, { netns: { name: ns.name } });
    assert.equal(found?.cookie, estab.cookie);
    const names = await client.listNamespaces();
    assert.ok(names.namespaces.some((n) => n.name === ns.name));
    await assert.rejects(client.dump({ netns: { name: 'no/such' } }), /invalid params/);
  });

  it('restarts a killed helper with backoff, says so once, and the watch recovers with a snapshot', async () => {
    const snapshots: number[] = [];
    let restarts = 0;
    client.onDidRestart(() => restarts++);
    const watch: HelperWatch = client.watch({ intervalMs: 200, query: { netns: { name: ns.name }, netids: ['tcp', 'udp'] } }, (state, tick) => {
      if (tick.snapshot && tick.complete) snapshots.push(state.records.size);
    });
    await until(() => snapshots.length === 1, 10_000, 'first snapshot');
    assert.equal(snapshots[0], 4);
    for (let round = 0; round < 2; round++) {
      const pid = client.pid!;
      process.kill(pid, 'SIGKILL');
      await until(() => snapshots.length === round + 2, 20_000, `snapshot after restart ${round + 1}`);
      assert.notEqual(client.pid, pid);
      assert.equal(watch.state.records.size, 4, 'the view recovered the same sockets');
    }
    assert.equal(restarts, 2);
    assert.equal(logs.filter((l) => l.includes('stopped unexpectedly')).length, 1, 'said once');
    assert.equal(client.state, 'running');
    watch.dispose();
  });

  it('times out a hung request and restarts the hung helper', async () => {
    const pid = client.pid!;
    process.kill(pid, 'SIGSTOP');
    try {
      await assert.rejects(client.capabilities(), /timed out/);
      // A second timeout kills the hung helper; a request racing with that fails one way or another.
      await assert.rejects(client.request(HELPER_REQUESTS.capabilities, undefined, 500), /timed out|EPIPE|closed|disposed/);
    } finally {
      try { process.kill(pid, 'SIGCONT'); } catch { /* killed */ }
    }
    await until(() => client.state === 'running' && client.pid !== pid, 20_000, 'restart after hang');
    assert.ok((await client.capabilities()).root);
  });

  it('stops the helper cleanly', async () => {
    const pid = client.pid!;
    await client.stop();
    assert.equal(client.state, 'stopped');
    await until(() => { try { process.kill(pid, 0); return false; } catch { return true; } }, 5000, 'helper gone');
  });
});
