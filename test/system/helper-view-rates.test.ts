// Live rates from the helper's view protocol against a known truth: in a namespace of the test's, a
// paced sender writes CHUNK bytes every 100 ms (on an absolute schedule, so a late timer catches up
// and the rate holds over any window), and the view's send rate of the sender's socket and receive
// rate of the accepted end match that rate within 20%. Several refreshes are sampled and their
// median is compared, so one window that cut a burst in two does not decide.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { HelperClient } from '../../src/client/connection/helper-client';
import { FLAT_GROUP, type ViewChangedNotification, type ViewRates } from '../../src/protocol/view-protocol';
import type { SocketRecord } from '../../src/protocol/socket-record';
import { buildHelper, HELPER_JS } from './lib/helper-rpc';
import { createNetns, type Netns } from './lib/netns';

const PORT = 7650;
const CHUNK = 40_000;
const PERIOD_MS = 100;
const RATE = (CHUNK * 1000) / PERIOD_MS; // 400,000 bytes per second

// The receiver and the paced sender in one process inside the namespace; prints `up` once connected.
const SCRIPT = `
const net = require('node:net');
const server = net.createServer((s) => s.on('data', () => {}));
server.listen(${PORT}, '127.0.0.1', () => {
  const c = net.connect(${PORT}, '127.0.0.1', () => {
    const chunk = Buffer.alloc(${CHUNK}, 120);
    const t0 = Date.now();
    let sent = 0;
    setInterval(() => {
      const due = Math.floor((Date.now() - t0) / ${PERIOD_MS}) + 1;
      for (; sent < due; sent++) c.write(chunk);
    }, ${PERIOD_MS / 4});
    console.log('up');
  });
});
setTimeout(() => process.exit(0), 120000);
`;

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

describe('helper view rates against a paced sender', { timeout: 90_000 }, () => {
  let ns: Netns;
  let proc: ChildProcess | undefined;
  let client: HelperClient;

  before(async () => {
    buildHelper();
    ns = createNetns('rates');
    proc = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      proc!.stdout!.on('data', (d: Buffer) => { if (String(d).includes('up')) resolve(); });
      proc!.once('exit', (code) => reject(new Error(`the sender exited (${code})`)));
    });
    client = new HelperClient({
      helperPath: HELPER_JS, nodePath: process.execPath, privilege: () => 'none', requestTimeoutMs: 10_000, restartDelayMs: 100,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
  });

  after(async () => {
    await client?.stop();
    client?.dispose();
    proc?.kill('SIGKILL');
    ns?.remove();
  });

  it('send and receive rates of the connection are the paced rate within 20%', async (t) => {
    const rows = new Map<string, { record: SocketRecord; rates: ViewRates }>();
    const send: number[] = [];
    const recv: number[] = [];
    let done: () => void = () => undefined;
    const enough = new Promise<void>((r) => { done = r; });
    const onChanged = (n: ViewChangedNotification): void => {
      // One notification per refresh; a row is in it when it changed (its rates do every refresh).
      for (const page of n.pages) {
        for (const row of page.rows) {
          rows.set(row.id, { record: row.record, rates: row.rates });
          if (row.record.state !== 'ESTAB') continue;
          if (row.record.peerPort === PORT && row.rates.sendBps !== null) send.push(row.rates.sendBps);
          if (row.record.localPort === PORT && row.rates.recvBps !== null) recv.push(row.rates.recvBps);
        }
      }
      if (send.length >= 5 && recv.length >= 5) done();
    };
    const view = client.openView({
      intervalMs: 1000, sort: 'rate', groupBy: 'flat',
      query: { netns: { name: ns.name }, netids: ['tcp'] },
      expanded: [{ group: FLAT_GROUP, offset: 0, limit: 50 }],
    }, onChanged);
    try {
      await Promise.race([enough, new Promise((_, reject) => setTimeout(() => reject(new Error(`too few samples: send ${send.join(',')} recv ${recv.join(',')}`)), 60_000))]);
      // The first window may start mid-connection-setup; the median of the rest is compared.
      const s = median(send.slice(1));
      const r = median(recv.slice(1));
      const msg = `paced ${RATE} B/s; send samples ${send.map(Math.round).join(', ')}; receive samples ${recv.map(Math.round).join(', ')}`;
      t.diagnostic(msg);
      assert.ok(Math.abs(s - RATE) <= 0.2 * RATE, `send rate ${Math.round(s)}: ${msg}`);
      assert.ok(Math.abs(r - RATE) <= 0.2 * RATE, `receive rate ${Math.round(r)}: ${msg}`);
      // Nothing is lost on loopback: no retransmits.
      const sender = [...rows.values()].find((x) => x.record.state === 'ESTAB' && x.record.peerPort === PORT)!;
      assert.equal(sender.rates.retransPerSec, 0);
    } finally {
      view.dispose();
    }
  });
});
