// The recorder fed as changes (delta: what the helper's socket store knows changed) records the same
// history as fed every socket of every refresh: the same log, moments and counts, also across a pause
// (a complete refresh after it) and with destroy events.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Recorder, type RecordableSocket } from '../../../../src/host/history/recorder';
import { Recording } from '../../../../src/host/history/queries';
import { InlineWriter } from '../../../../src/host/history/writer-thread';

const dir = mkdtempSync(join(tmpdir(), 'sockscope-recorder-delta-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = 1_800_000_000_000;

const sock = (c: number, state: number): RecordableSocket => ({
  cookie: BigInt(c), netid: 'tcp', state, inode: 100 + c, localAddress: '10.0.0.1', localPort: 1000 + c, peerAddress: '10.0.0.2', peerPort: 80,
});

/** Refresh t lists: sockets 1..30 alive in [open, close), moving to CLOSE-WAIT (8) for their last two refreshes. */
function listing(t: number): RecordableSocket[] {
  const out: RecordableSocket[] = [];
  for (let c = 1; c <= 30; c++) {
    const open = c % 7, close = open + 4 + (c % 5);
    if (t >= open && t < close) out.push(sock(c, t >= close - 2 ? 8 : 1));
  }
  return out;
}

async function record(path: string, delta: boolean, kernelEvents: boolean): Promise<void> {
  const owners = (inode: number) => (inode % 3 ? { pid: inode % 3, name: `p${inode % 3}` } : undefined);
  const r = new Recorder(new InlineWriter(path, { engine: 'wasm' }), { owner: owners, delta, kernelEvents });
  let prev = new Map<bigint, number>();
  for (let t = 0; t < 16; t++) {
    if (delta && t === 9) { prev = new Map(); continue; } // a pause: refresh 9 never happens
    const now = listing(t);
    // Between two refreshes, as events come: a connection opened and closed in between.
    if (kernelEvents && t === 5) r.destroyed(sock(99, 7), T0 + 4500);
    r.beginTick(T0 + t * 1000, delta && prev.size === 0);
    const cur = new Map(now.map((s) => [s.cookie, s.state]));
    if (delta) {
      const complete = prev.size === 0;
      for (const s of now) if (complete || prev.get(s.cookie) !== s.state) r.see(s);
      for (const k of prev.keys()) if (!cur.has(k)) r.gone(k);
      r.listedCount(now.length);
    } else {
      for (const s of now) r.see(s);
    }
    r.endTick();
    prev = cur;
  }
  await r.stop();
}

describe('recorder fed as changes (delta)', () => {
  for (const kernelEvents of [false, true]) {
    it(`records what a full feed records${kernelEvents ? ', with destroy events' : ''}`, async () => {
      const full = join(dir, `full-${kernelEvents}.db`), delta = join(dir, `delta-${kernelEvents}.db`);
      await record(full, false, kernelEvents);
      await record(delta, true, kernelEvents);
      const a = new Recording(full, { engine: 'wasm' }), b = new Recording(delta, { engine: 'wasm' });
      try {
        const strip = (rows: Array<Record<string, unknown>>) => rows.map(({ id: _id, ...rest }) => rest);
        // The full feed also saw refresh 9; the delta feed paused then (its moment at 9 is refresh 8's).
        const skip9 = (t: number): boolean => t !== 9 && t !== 10;
        for (let t = 0; t < 16; t++) {
          if (!skip9(t)) continue;
          const ma = a.socketsAt(T0 + t * 1000), mb = b.socketsAt(T0 + t * 1000);
          assert.deepEqual(strip(mb.sockets as never).map((s) => JSON.stringify(s)).sort(), strip(ma.sockets as never).map((s) => JSON.stringify(s)).sort(), `moment ${t}`);
          const ta = a.timeline(T0 + t * 1000, T0 + t * 1000), tb = b.timeline(T0 + t * 1000, T0 + t * 1000);
          assert.deepEqual([...tb.byState].sort(), [...ta.byState].sort(), `counts at ${t}`);
        }
        const logA = strip([...a.log(0, Number.MAX_SAFE_INTEGER)] as never), logB = strip([...b.log(0, Number.MAX_SAFE_INTEGER)] as never);
        const around9 = (r: Record<string, unknown>): boolean => (r.closedAt as number) === T0 + 9000 || (r.closedAt as number) === T0 + 10_000;
        assert.deepEqual(logB.filter((r) => !around9(r)), logA.filter((r) => !around9(r)));
        assert.equal(logB.length, logA.length);
      } finally {
        a.close(); b.close();
      }
    });
  }
});

describe('recorder counters (closes a refresh sees, without destroy events)', () => {
  it('a close records the last counters given for the socket; with destroy events they are the event\'s', async () => {
    for (const kernelEvents of [false, true]) {
      const path = join(dir, `counters-${kernelEvents}.db`);
      const r = new Recorder(new InlineWriter(path, { engine: 'wasm' }), { delta: true, kernelEvents });
      r.beginTick(T0, true);
      r.see(sock(1, 1));
      r.see(sock(2, 1));
      r.listedCount(2);
      r.endTick();
      r.beginTick(T0 + 1000);
      r.counters(1n, 3000, 5001, 2);
      r.gone(1n);
      r.counters(2n, 100, 200, 0);
      r.see(sock(2, 6)); // listed in TIME-WAIT: closed
      r.listedCount(1);
      r.endTick();
      await r.stop();
      const rec = new Recording(path, { engine: 'wasm' });
      const rows = rec.db.all<{ id: number; bytes_sent: number | null; bytes_received: number | null; retrans: number | null }>('SELECT id, bytes_sent, bytes_received, retrans FROM sockets ORDER BY id');
      rec.close();
      const got = rows.map((x) => [Number(x.bytes_sent ?? -1), Number(x.bytes_received ?? -1), Number(x.retrans ?? -1)]);
      assert.deepEqual(got, kernelEvents ? [[-1, -1, -1], [-1, -1, -1]] : [[3000, 5001, 2], [100, 200, 0]]);
    }
  });
});
