// The helper's history/* requests over a recording made by the recorder: open, the log in sorted
// filtered pages, the timeline by state (whole, a process, a query), the sockets of a moment, and the
// comparison of two moments; bad params, bad filters and files that are not recordings are clear errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResponseError } from 'vscode-jsonrpc/node';
import { ErrorCodes } from '../../../src/protocol/helper-protocol';
import { validateParams } from '../../../src/protocol/helper-requests';
import { Recorder, type RecordableSocket } from '../../../src/host/history/recorder';
import { InlineWriter } from '../../../src/host/history/writer-thread';
import { HistoryService } from '../../../src/helper/history-service';

const dir = mkdtempSync(join(tmpdir(), 'sockscope-history-service-'));
const path = join(dir, 'rec.db');
const T0 = 1_800_000_000_000;
const CONNS = 300;

function sock(cookie: number, state: number, localPort: number, peerPort: number, sent = 0): RecordableSocket {
  return {
    cookie: BigInt(cookie), netid: 'tcp', state, inode: 5000 + cookie, localAddress: '10.0.0.1', localPort, peerAddress: peerPort ? '10.0.0.2' : '0.0.0.0', peerPort,
    tcpInfo: { bytes_sent: BigInt(sent), bytes_retrans: 0n, bytes_received: BigInt(2 * sent), total_retrans: 0, toObject: () => ({}) },
  };
}

/** Connection i opens at tick i % 10, closes (TIME-WAIT) 3 ticks later, with 10 * i bytes sent; a listener throughout. */
async function record(): Promise<void> {
  const sink = new InlineWriter(path, { engine: 'wasm' });
  const owners = new Map<number, { pid: number; name: string }>([[5000, { pid: 7, name: 'server' }]]);
  for (let i = 1; i <= CONNS; i++) owners.set(5000 + i, { pid: i % 2 ? 11 : 12, name: i % 2 ? 'odd' : 'even' });
  const r = new Recorder(sink, { owner: (inode) => owners.get(inode) });
  for (let tick = 0; tick < 40; tick++) {
    r.beginTick(T0 + tick * 1000);
    r.see(sock(0, 10, 80, 0));
    for (let i = 1; i <= CONNS; i++) {
      const opens = Math.floor((i - 1) / 10);
      if (tick < opens || tick > opens + 3) continue;
      r.see(sock(i, tick === opens + 3 ? 6 : 1, 80, 40000 + i, 10 * i));
    }
    r.endTick();
  }
  await r.stop();
}

const svc = new HistoryService();
let id = '';
before(async () => {
  await record();
  id = (await svc.handlers['history/open']({ path })).recordingId;
});
after(() => { svc.dispose(); rmSync(dir, { recursive: true, force: true }); });

const errorOf = (fn: () => unknown): ResponseError<unknown> => {
  try { fn(); } catch (e) { assert.ok(e instanceof ResponseError, String(e)); return e; }
  assert.fail('expected an error');
};

describe('history/* in the helper', () => {
  it('opens a recording: its span and counts', async () => {
    const info = await svc.handlers['history/open']({ path });
    assert.deepEqual({ ...info, recordingId: undefined }, { recordingId: undefined, from: T0, to: T0 + 39_000, live: false, sockets: CONNS + 1, closed: CONNS });
    svc.handlers['history/close']({ recordingId: info.recordingId });
    assert.equal(errorOf(() => svc.handlers['history/log']({ recordingId: info.recordingId, sort: { column: 'closedAt', descending: false }, offset: 0, limit: 1 })).code, ErrorCodes.UnknownId);
  });

  it('pages the log in any sort order: pages put together are the whole order', async () => {
    const all = await svc.handlers['history/log']({ recordingId: id, sort: { column: 'bytesSent', descending: true }, offset: 0, limit: 5000 });
    assert.equal(all.total, CONNS);
    assert.deepEqual(all.rows.slice(0, 3).map((r) => r.bytesSent), [3000, 2990, 2980]);
    const pages = [];
    for (let off = 0; off < CONNS; off += 70) pages.push(...(await svc.handlers['history/log']({ recordingId: id, sort: { column: 'bytesSent', descending: true }, offset: off, limit: 70 })).rows);
    assert.deepEqual(pages.map((r) => r.id), all.rows.map((r) => r.id));
    const past = await svc.handlers['history/log']({ recordingId: id, sort: { column: 'closedAt', descending: false }, offset: CONNS + 5, limit: 10 });
    assert.deepEqual(past, { total: CONNS, rows: [] });
    const r = all.rows.find((x) => x.peerPort === 40001)!;
    assert.deepEqual([r.bytesSent, r.bytesReceived, r.pid, r.command, r.closedBy, r.openedAt, r.closedAt], [10, 20, 11, 'odd', 'watch', T0, T0 + 3000]);
  });

  it('filters the log with the ss language and a time range', async () => {
    const f = await svc.handlers['history/log']({ recordingId: id, filter: 'dport >= :40291', sort: { column: 'peerPort', descending: false }, offset: 0, limit: 100 });
    assert.deepEqual(f.rows.map((r) => r.peerPort), [40291, 40292, 40293, 40294, 40295, 40296, 40297, 40298, 40299, 40300]);
    const t = await svc.handlers['history/log']({ recordingId: id, since: T0 + 3000, until: T0 + 3000, sort: { column: 'closedAt', descending: false }, offset: 0, limit: 100 });
    assert.equal(t.total, 10);
    assert.equal(errorOf(() => svc.handlers['history/log']({ recordingId: id, filter: 'dport = ', sort: { column: 'closedAt', descending: false }, offset: 0, limit: 1 })).code, ErrorCodes.BadFilter);
  });

  it('counts by state per bucket, for all, a process and a query; the counts are those of the moments', async () => {
    const spec = { recordingId: id, from: T0, to: T0 + 39_999, buckets: 40 };
    const all = await svc.handlers['history/timeline']({ ...spec, scope: { kind: 'all' } });
    assert.equal(all.bucketMs, 1000);
    assert.deepEqual(all.at, Array.from({ length: 40 }, (_, i) => T0 + i * 1000));
    const query = await svc.handlers['history/timeline']({ ...spec, scope: { kind: 'query', filter: '' } });
    assert.deepEqual(query.series, all.series);
    for (const tick of [0, 5, 12, 29, 33, 39]) {
      const m = await svc.handlers['history/moment']({ recordingId: id, at: T0 + tick * 1000 + 500 });
      const byState = new Map<number, number>();
      for (const s of m.sockets) byState.set(s.state, (byState.get(s.state) ?? 0) + 1);
      for (const s of all.series) assert.equal(s.counts[tick], byState.get(s.state) ?? 0, `tick ${tick} state ${s.name}`);
    }
    const estab = all.series.find((s) => s.name === 'ESTAB')!;
    assert.equal(estab.counts[5], 30);
    const odd = await svc.handlers['history/timeline']({ ...spec, scope: { kind: 'process', pid: 11 } });
    assert.equal(odd.series.find((s) => s.name === 'ESTAB')!.counts[5], 15);
    const q = await svc.handlers['history/timeline']({ ...spec, scope: { kind: 'query', filter: 'state established dport < :40050' } });
    assert.deepEqual(q.series.map((s) => s.name), ['ESTAB']);
    assert.equal(q.series[0].counts[4], 29); // at tick 4, connections 21..50 are established (11..20 in TIME-WAIT); 50 is past the port
  });

  it('returns the sockets of a moment, filtered, and compares two moments', async () => {
    const m = await svc.handlers['history/moment']({ recordingId: id, at: T0 + 2500, filter: 'state established' });
    assert.equal(m.at, T0 + 2000);
    assert.equal(m.total, 30);
    const before = await svc.handlers['history/moment']({ recordingId: id, at: T0 - 1 });
    assert.deepEqual(before, { at: null, total: 0, sockets: [] });
    const c = await svc.handlers['history/compare']({ recordingId: id, from: T0 + 2000, to: T0 + 3000 });
    assert.deepEqual(c.appeared.map((s) => s.peerPort).sort(), Array.from({ length: 10 }, (_, i) => 40031 + i));
    assert.deepEqual(c.went, []);
    assert.deepEqual(c.changed.map((s) => [s.socket.peerPort, s.before, s.socket.state]).sort(), Array.from({ length: 10 }, (_, i) => [40001 + i, 1, 6]));
    const now = await svc.handlers['history/compare']({ recordingId: id, from: T0, to: 'now' });
    assert.equal(now.toAt, T0 + 39_000);
    assert.equal(now.went.length, 10);
  });

  it('refuses bad params before a handler, and files that are not recordings', async () => {
    assert.equal(validateParams('history/timeline', { recordingId: id, from: 5, to: 1, buckets: 3, scope: { kind: 'all' } }).ok, false);
    assert.equal(validateParams('history/open', { path: 'relative.db' }).ok, false);
    assert.equal(validateParams('history/log', { recordingId: id, sort: { column: 'nope', descending: false }, offset: 0, limit: 1 }).ok, false);
    assert.equal(validateParams('history/compare', { recordingId: id, from: 1, to: 'now' }).ok, true);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not sqlite at all, just text that is long enough to be a header of something'.repeat(10));
    await assert.rejects(async () => svc.handlers['history/open']({ path: junk }), (e: ResponseError<unknown>) => e.code === ErrorCodes.RecordingError && e.message.includes(junk));
    await assert.rejects(async () => svc.handlers['history/open']({ path: join(dir, 'missing.db') }), /no recording at/);
  });
});
