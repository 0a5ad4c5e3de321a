// The writer's shortcuts give the rows the plain statements give: a batch written at once (a close
// merged into its socket's INSERT where that is the same, the sealed-close check as one query) and the
// same changes written as one batch per kind of change, in the writer's order (no shortcut applies),
// leave the same tables and the same log, on both engines.
import { after, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchSize, emptyBatch, takeBatch, type Batch } from '../../../../src/host/history/batch';
import { Recording } from '../../../../src/host/history/queries';
import { hasNodeSqlite, openStore } from '../../../../src/host/history/sqlite';
import { HistoryWriter } from '../../../../src/host/history/writer';
import { ThreadWriter } from '../../../../src/host/history/writer-thread';
import { prng } from '../../../lib/prng';

const dir = mkdtempSync(join(tmpdir(), 'sockscope-writer-batch-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ENGINES = (['wasm', 'node:sqlite'] as const).filter((e) => e === 'wasm' || hasNodeSqlite());

/** Random batches: sockets opened and closed in one batch, closed twice, changing state, opened again, closed late. */
function batches(seed: number): Batch[] {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const out: Batch[] = [];
  let id = 1;
  const start = 1_800_000_000_000;
  for (let s = 0; s < 150; s++) {
    const b = emptyBatch();
    const at = start + s * 1000;
    for (let i = 0; i < 20; i++) {
      const me = id++;
      b.opened.push({ id: me, netid: int(2), netns: 'ns', localAddress: '10.0.0.1', localPort: 1000 + i, peerAddress: int(5) ? '10.0.0.2' : null, peerPort: 443, pid: int(4) ? 100 : null, command: int(4) ? 'c' : null, state: 1, openedAt: at - 50, seenFrom: int(2) ? at : null });
      if (int(10) === 0) b.opened.push({ ...b.opened[b.opened.length - 1], localPort: 9 });
      if (int(6) === 0) b.states.push([me, at, 8]);
      if (int(3)) b.closed.push({ id: me, at: at + i, by: 1 + int(2), state: 7, bytesSent: int(3) ? int(1e6) : null, bytesReceived: int(3) ? int(1e6) : null, retrans: int(3) ? int(9) : null });
      if (int(12) === 0) b.closed.push({ id: me, at: at + i + 5, by: 1, state: 6, bytesSent: int(2) ? 7 : null, bytesReceived: null, retrans: 1 });
      if (int(8) === 0) b.gone.push([me, at]);
    }
    // A late close of an old socket (maybe sealed by now), and an owner found late.
    if (s > 100 && int(3) === 0) b.closed.push({ id: 1 + int(id - 1), at: at - 90_000, by: 1, state: 7, bytesSent: 5, bytesReceived: 5, retrans: 0 });
    if (int(5) === 0) b.owners.push([1 + int(id - 1), 4242, 'late']);
    b.ticks.push([at, 20, s % 60 === 0 ? 1 : 0]);
    out.push(b);
  }
  return out;
}

/** The same changes as one batch per kind, in the order HistoryWriter.write applies them. */
function split(b: Batch): Batch[] {
  return (['opened', 'owners', 'states', 'seen', 'closed', 'gone', 'ticks', 'counts', 'samples'] as const).map((k) => {
    const one = emptyBatch();
    (one[k] as unknown[]).push(...(b[k] as unknown[]));
    return one;
  });
}

function tables(path: string, engine: 'wasm' | 'node:sqlite'): unknown {
  const db = openStore(path, { engine, readOnly: true });
  try {
    return ['SELECT * FROM sockets ORDER BY id', 'SELECT * FROM state_changes ORDER BY socket, at', 'SELECT * FROM names ORDER BY id']
      .map((q) => db.all(q).map((r) => ({ ...(r as object) })));
  } finally {
    db.close();
  }
}

/** The log as read back (its pages may be cut elsewhere: sealing follows the writes). */
function log(path: string, engine: 'wasm' | 'node:sqlite'): unknown {
  const rec = new Recording(path, { engine });
  try { return [[...rec.log(0, 1e15)], [...rec.logJsonLines(0, 1e15)]]; } finally { rec.close(); }
}

for (const engine of ENGINES) {
  test(`a batch written at once leaves the tables its changes written one kind at a time leave (${engine})`, () => {
    const all = batches(77);
    const a = join(dir, `a-${engine.replace(':', '')}.db`), b = join(dir, `b-${engine.replace(':', '')}.db`);
    const wa = new HistoryWriter(a, { engine }), wb = new HistoryWriter(b, { engine });
    for (const batch of all) { wa.write(batch, 0); for (const part of split(batch)) wb.write(part, 0); }
    wa.close(); wb.close();
    assert.deepEqual(tables(a, engine), tables(b, engine));
    assert.deepEqual(log(a, engine), log(b, engine));
  });
}

describe('takeBatch', () => {
  it('moves rows out in the writer\'s order, a socket\'s open before its changes, stoppedAt with the last', () => {
    const b = emptyBatch();
    for (let i = 1; i <= 7; i++) b.opened.push({ id: i, netid: 0, netns: null, localAddress: '10.0.0.1', localPort: i, peerAddress: '10.0.0.2', peerPort: 80, pid: null, command: null, state: 1, openedAt: i, seenFrom: i });
    b.states.push([1, 10, 6], [2, 10, 6]);
    b.closed.push({ id: 3, at: 11, by: 1, state: 7, bytesSent: 1, bytesReceived: 2, retrans: 0 });
    b.ticks.push([12, 7, 1]);
    b.stoppedAt = 12;
    const chunks: Batch[] = [];
    while (batchSize(b) > 0) chunks.push(takeBatch(b, 4));
    assert.deepEqual(chunks.map(batchSize), [4, 4, 3]);
    assert.deepEqual(chunks.map((c) => c.opened.map((o) => o.id)), [[1, 2, 3, 4], [5, 6, 7], []]);
    assert.deepEqual(chunks[1].states, [[1, 10, 6]]);
    assert.deepEqual(chunks[2].states, [[2, 10, 6]]);
    assert.equal(chunks[2].closed.length, 1);
    assert.deepEqual(chunks.map((c) => c.stoppedAt), [undefined, undefined, 12]);
    assert.equal(b.stoppedAt, undefined);
  });
});

describe('the writer thread', () => {
  it('writes a batch larger than one message whole (sent in pieces)', async () => {
    const path = join(dir, 'thread.db');
    const w = await ThreadWriter.start(path);
    const b = emptyBatch();
    for (let i = 1; i <= 12_345; i++) b.opened.push({ id: i, netid: 0, netns: null, localAddress: '10.0.0.1', localPort: i % 65536, peerAddress: '10.0.0.2', peerPort: 80, pid: 7, command: 'x', state: 1, openedAt: i, seenFrom: i });
    b.closed.push({ id: 12_345, at: 20_000, by: 1, state: 7, bytesSent: 5, bytesReceived: 6, retrans: 0 });
    b.ticks.push([20_000, 12_345, 1]);
    w.push(b);
    await w.close();
    const db = openStore(path, { readOnly: true });
    try {
      assert.equal(Number(db.get<{ n: number }>('SELECT count(*) AS n FROM sockets')!.n), 12_345);
      assert.equal(Number(db.get<{ n: number }>('SELECT count(*) AS n FROM sockets WHERE closed_at IS NOT NULL')!.n), 1);
      assert.equal(Number(db.get<{ n: number }>('SELECT count(*) AS n FROM ticks')!.n), 1);
    } finally {
      db.close();
    }
  });
});
