// tcp_info samples while the helper records a view (history/sample, history/sampleProcesses,
// history/samples): in a namespace three clients stream to a server; one connection is sampled by its
// key (as a chart asks), one by its process (as following does), the third not at all. The first two
// have a row in tcp_samples at each refresh with bytes_acked growing; the third has none.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelperClient } from '../../src/client/connection/helper-client';
import { HistoryClient } from '../../src/client/history/history-client';
import { HISTORY_REQUESTS } from '../../src/protocol/history-requests';
import type { SocketKey } from '../../src/protocol/helper-protocol';
import { buildHelper } from './lib/helper-rpc';
import { Children, testHelperClient, tearDown } from './lib/children';
import { createNetns, type Netns } from './lib/netns';
import { runSs } from './lib/ss';

const INTERVAL = 300;
const PORT = 7611;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Drains every connection until its client closes; prints `ready`, runs until stdin closes. */
const SERVER = `
import socket, threading, sys
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', ${PORT})); l.listen(16)
def one(a):
    while a.recv(65536): pass
    a.close()
def serve():
    while True:
        a, _ = l.accept(); threading.Thread(target=one, args=(a,), daemon=True).start()
threading.Thread(target=serve, daemon=True).start()
print('ready', flush=True)
sys.stdin.read()
`;

/** One connection sending 1,000 bytes every 40 ms until stdin closes; prints `open LOCALPORT`. */
const STREAMER = `
import socket, sys, threading, time
c = socket.create_connection(('127.0.0.1', ${PORT}))
print('open', c.getsockname()[1], flush=True)
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
while not done.is_set():
    c.sendall(b's' * 1000); time.sleep(0.04)
c.close()
`;

const kids = new Children();
const waitFor = (p: ChildProcess, re: RegExp): Promise<RegExpMatchArray> => kids.waitFor(p, re);

/** The client end of the connection from `localPort`, as a lookup key (ss -e gives its cookie). */
function keyOf(ns: Netns, localPort: number): SocketKey {
  const out = runSs(ns.name, ['-tnHe', 'state', 'established', `sport = :${localPort}`]).stdout;
  const cookie = out.match(/\bsk:([0-9a-f]+)/)?.[1];
  const inode = out.match(/\bino:(\d+)/)?.[1];
  assert.ok(cookie && inode, `ss -e for :${localPort}: ${out}`);
  return { netid: 'tcp', family: 'inet', localAddress: '127.0.0.1', localPort, peerAddress: '127.0.0.1', peerPort: PORT, inode: Number(inode), cookie };
}

describe('tcp_info samples of charted and followed sockets while the helper records', { timeout: 120_000 }, () => {
  let ns: Netns;
  let dir: string;
  let client: HelperClient;

  before(async () => {
    buildHelper();
    dir = mkdtempSync(join(tmpdir(), 'sockscope-helper-samples-'));
    chmodSync(dir, 0o777);
    ns = createNetns('hsamp');
    const server = kids.python(ns.name, SERVER);
    await waitFor(server, /ready/);
    client = testHelperClient();
  });
  after(async () => {
    await tearDown({ client, kids, ns, dir });
  });

  it('keeps a row per refresh for the charted and the followed socket, none for the others', async () => {
    const db = join(dir, 'samples.db');
    closeSync(openSync(db, 'wx', 0o600));
    chownSync(db, 65534, 65534);
    const streamers = [0, 1, 2].map(() => kids.python(ns.name, STREAMER));
    const ports = await Promise.all(streamers.map(async (p) => Number((await waitFor(p, /open (\d+)/))[1])));
    const [charted, followed, plain] = ports;
    let changes = 0;
    const view = client.openView({ intervalMs: INTERVAL, query: { netns: { name: ns.name }, netids: ['tcp'] }, groupBy: 'state' }, () => { changes++; });
    try {
      while (changes === 0) await sleep(25);
      // Chosen before the recording starts: the set outlives recordings.
      const chartedKey = keyOf(ns, charted);
      assert.deepEqual(await client.request(HISTORY_REQUESTS['history/sample'], { sockets: [chartedKey], on: true }), { sockets: 1, pids: 0 });
      // `ip netns exec` runs python in its own process: the socket's holder is the streamer's pid.
      const holder = runSs(ns.name, ['-tnHp', `sport = :${followed}`]).stdout.match(/pid=(\d+)/)?.[1];
      assert.ok(holder, 'ss -p names the followed client');
      assert.deepEqual(await client.request(HISTORY_REQUESTS['history/sampleProcesses'], { pids: [Number(holder)] }), { sockets: 1, pids: 1 });
      await client.request(HISTORY_REQUESTS['history/record'], { path: db, viewId: view.id, netns: { name: ns.name }, maxAgeMs: 3600_000, maxBytes: 64 << 20 });
      await sleep(10 * INTERVAL);
      // The chart closes: its socket is sampled no more, while the followed one still is.
      await client.request(HISTORY_REQUESTS['history/sample'], { sockets: [chartedKey], on: false });
      const chartClosed = Date.now();
      await sleep(4 * INTERVAL);
      await client.request(HISTORY_REQUESTS['history/stopRecording'], undefined);
      await client.request(HISTORY_REQUESTS['history/sampleProcesses'], { pids: [] });

      const rec = await new HistoryClient(client).open(db);
      try {
        const moment = await rec.moment({ at: rec.info.to!, filter: `dport = :${PORT}` });
        const idOf = (port: number): number => {
          const row = moment.sockets.find((s) => s.localPort === port);
          assert.ok(row, `:${port} recorded: ${JSON.stringify(moment.sockets)}`);
          return row.id;
        };
        const acked = async (port: number): Promise<{ at: number[]; acked: number[] }> => {
          const r = await rec.samples({ socketId: idOf(port) });
          assert.equal(r.total, r.samples.length);
          return { at: r.samples.map((s) => s.at), acked: r.samples.map((s) => Number(s.info.bytes_acked)) };
        };
        for (const [port, what] of [[charted, 'charted'], [followed, 'followed']] as const) {
          const s = await acked(port);
          assert.ok(s.acked.length >= 5, `${what}: ${s.acked.length} samples`);
          for (let i = 1; i < s.acked.length; i++) {
            assert.ok(s.at[i] > s.at[i - 1], `${what}: one sample per refresh`);
            assert.ok(s.acked[i] > s.acked[i - 1], `${what}: bytes_acked grows (${s.acked.join(' ')})`);
          }
        }
        const chartedAt = (await acked(charted)).at;
        assert.ok(chartedAt[chartedAt.length - 1] <= chartClosed, 'no charted sample after the chart closed');
        assert.ok((await acked(followed)).at.some((t) => t > chartClosed + INTERVAL), 'the followed socket is still sampled');
        assert.equal((await acked(plain)).acked.length, 0, 'an unsampled socket has no samples');
      } finally {
        await rec.close();
      }
    } finally {
      view.dispose();
      for (const p of streamers) p.stdin!.end();
    }
  });
});
