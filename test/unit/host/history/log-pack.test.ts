// The connection log's pages: packing is lossless, and a recording reads the same log from its pages as
// from `sockets` alone, through sealing, late closes that reopen a page, retention, and a version 1 file
// that migrates.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyBatch, type Batch } from '../../../../src/host/history/batch';
import { LogJsonWriter, logRowJson } from '../../../../src/host/history/log-json';
import { packPage, unpackPage, type PackedRow } from '../../../../src/host/history/log-pack';
import { Recording, type LogRow } from '../../../../src/host/history/queries';
import { MIGRATIONS, NETIDS } from '../../../../src/host/history/schema';
import { hasNodeSqlite, openStore } from '../../../../src/host/history/sqlite';
import { HistoryWriter } from '../../../../src/host/history/writer';

const dir = mkdtempSync(join(tmpdir(), 'sockscope-log-pages-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `p${++n}.db`);
const ENGINES = (['wasm', 'node:sqlite'] as const).filter((e) => e === 'wasm' || hasNodeSqlite());

describe('log pages', () => {
  it('pack and unpack give the rows back, nulls, 2^53 - 1 and negative durations included', () => {
    const rows: PackedRow[] = [
      { id: 1, netid: 0, netns: null, localAddr: 0, localPort: 0, peerAddr: null, peerPort: 65535, pid: null, command: null, state: 7, openedAt: 0, closedAt: 0, closedBy: null, bytesSent: null, bytesReceived: null, retrans: null },
      { id: 900_000_000_000, netid: 9, netns: 3, localAddr: 1, localPort: 443, peerAddr: 2, peerPort: 1, pid: 4_194_304, command: 5, state: 11, openedAt: 1_800_000_000_900, closedAt: 1_800_000_000_123, closedBy: 2, bytesSent: Number.MAX_SAFE_INTEGER, bytesReceived: 0, retrans: 7 },
      { id: 2, netid: 1, netns: 0, localAddr: 7, localPort: 53, peerAddr: 8, peerPort: 5353, pid: 0, command: 0, state: 1, openedAt: 1_700_000_000_000, closedAt: 1_800_000_000_123, closedBy: 1, bytesSent: 1, bytesReceived: 2 ** 40, retrans: 0 },
    ];
    const back: PackedRow[] = [];
    unpackPage(packPage(rows), (r) => back.push({ ...r }));
    assert.deepEqual(back, rows);
    assert.deepEqual(unpackPage(new Uint8Array(0), () => assert.fail('no rows')), undefined);
  });
});

/** The log read straight from `sockets` (what the pages must reproduce). */
function expected(path: string, engine: 'wasm' | 'node:sqlite'): Omit<LogRow, 'id'>[] {
  const db = openStore(path, { engine, readOnly: true });
  try {
    const names = new Map(db.all<{ id: number; text: string }>('SELECT id, text FROM names').map((r) => [Number(r.id), r.text]));
    const t = (v: unknown): string | null => (v === null ? null : names.get(Number(v)) ?? null);
    const num = (v: unknown): number | null => (v === null ? null : Number(v));
    return db.all<Record<string, unknown>>('SELECT * FROM sockets WHERE closed_at IS NOT NULL AND first_state != 10 ORDER BY closed_at, id').map((r) => ({
      netid: NETIDS[Number(r.netid)], localAddress: t(r.local_addr), localPort: Number(r.local_port), peerAddress: t(r.peer_addr), peerPort: Number(r.peer_port),
      pid: num(r.pid), command: t(r.command), openedAt: Number(r.opened_at), closedAt: Number(r.closed_at), durationMs: Number(r.closed_at) - Number(r.opened_at),
      bytesSent: num(r.bytes_sent), bytesReceived: num(r.bytes_received), retrans: num(r.retrans),
      closedBy: r.closed_by === null ? null : (['', 'kernel-event', 'watch'] as const)[Number(r.closed_by)] as LogRow['closedBy'],
      state: Number(r.state), netns: t(r.netns),
    }));
  } finally {
    db.close();
  }
}

function pages(path: string, engine: 'wasm' | 'node:sqlite'): number {
  const db = openStore(path, { engine, readOnly: true });
  try { return Number(db.get<{ n: number }>('SELECT count(*) AS n FROM log_pages')!.n); } finally { db.close(); }
}

/** `seconds` refreshes, each opening and closing `perSecond` connections (a listener among them). */
function record(w: HistoryWriter, seconds: number, perSecond: number, start = 1_800_000_000_000): Batch[] {
  const batches: Batch[] = [];
  let id = w.nextId;
  for (let s = 0; s < seconds; s++) {
    const b = emptyBatch();
    const at = start + s * 1000;
    if (s === 0) { b.opened.push({ id, netid: 0, netns: 'ns', localAddress: '0.0.0.0', localPort: 80, peerAddress: '0.0.0.0', peerPort: 0, pid: 1, command: 'srv', state: 10, openedAt: at, seenFrom: at }); b.closed.push({ id, at: at + 5, by: 2, state: 7, bytesSent: null, bytesReceived: null, retrans: null }); id++; }
    for (let i = 0; i < perSecond; i++) {
      const v6 = i % 5 === 0;
      b.opened.push({ id, netid: i % 7 === 0 ? 1 : 0, netns: 'ns', localAddress: v6 ? '::1' : '10.0.0.1', localPort: 1024 + i, peerAddress: i % 3 ? '10.0.0.2' : null, peerPort: 443, pid: i % 4 ? 100 + (i % 3) : null, command: i % 4 ? `c"${i % 3}é` : null, state: 1, openedAt: at - 37 * i, seenFrom: null });
      b.closed.push({ id, at: at + (i * 7) % 1000, by: i % 2 ? 1 : 2, state: 7, bytesSent: i * 1000, bytesReceived: i % 6 ? i : null, retrans: i % 9 });
      id++;
    }
    b.ticks.push([at, perSecond, s % 60 === 0 ? 1 : 0]);
    w.write(b, 0);
    batches.push(b);
  }
  return batches;
}

function readBack(path: string, engine: 'wasm' | 'node:sqlite', from = 0, to = 1e15): { rows: Omit<LogRow, 'id'>[]; json: string[]; all: LogRow[] } {
  const rec = new Recording(path, { engine });
  try {
    const all = [...rec.log(from, to)];
    return { all, rows: all.map(({ id: _id, ...r }) => r), json: [...rec.logJsonLines(from, to)] };
  } finally {
    rec.close();
  }
}

for (const engine of ENGINES) {
  describe(`the log from pages (${engine})`, () => {
    it('reads the same rows and JSON lines from pages as from sockets, in any range', () => {
      const path = fresh();
      const w = new HistoryWriter(path, { engine });
      record(w, 200, 30);
      // Before close: the last minute is not sealed yet (read from sockets), the rest is.
      assert.ok(pages(path, engine) > 0, 'sealed while recording');
      const mid = readBack(path, engine);
      assert.deepEqual(mid.rows, expected(path, engine));
      w.close();
      const exp = expected(path, engine);
      const got = readBack(path, engine);
      assert.equal(got.rows.length, 200 * 30);
      assert.deepEqual(got.rows, exp);
      assert.deepEqual(got.json, got.all.map(logRowJson));
      // Ranges cut through pages: [from, to] inclusive of both ends.
      const from = 1_800_000_050_007, to = 1_800_000_120_014;
      assert.deepEqual(readBack(path, engine, from, to).rows, exp.filter((r) => r.closedAt >= from && r.closedAt <= to));
      const rec = new Recording(path, { engine });
      assert.deepEqual([...rec.logJsonLines(0, 1e15, [1])], got.all.filter((r) => r.netid === 'udp').map(logRowJson));
      // Small chunks whose buffers are reused once the caller has taken each (what sockscope log does).
      const parts: Buffer[] = [];
      for (const c of rec.logBytes(0, 1e15, new LogJsonWriter(rec.texts, 16384), undefined, true)) parts.push(Buffer.from(c));
      assert.equal(Buffer.concat(parts).toString('utf8'), got.all.map((r) => logRowJson(r) + '\n').join(''));
      rec.close();
    });

    it('a late close or owner of a sealed row reopens its page; the log shows the new values', () => {
      const path = fresh();
      const w = new HistoryWriter(path, { engine });
      record(w, 150, 10);
      assert.ok(pages(path, engine) > 0);
      const b = emptyBatch();
      // A destroy event for a row sealed long ago, earlier than its refresh close; a new owner for another.
      b.closed.push({ id: 5, at: 1_800_000_000_001, by: 1, state: 7, bytesSent: 424242, bytesReceived: 1, retrans: 3 });
      b.owners.push([20, 777, 'late-owner']);
      b.ticks.push([1_800_000_151_000, 1, 0]);
      w.write(b, 0);
      const exp = expected(path, engine);
      assert.deepEqual(readBack(path, engine).rows, exp);
      assert.ok(exp.some((r) => r.bytesSent === 424242) && exp.some((r) => r.command === 'late-owner'));
      w.close();
      assert.deepEqual(readBack(path, engine).rows, expected(path, engine));
    });

    it('retention drops pages with the rows, and the log still matches sockets', () => {
      const path = fresh();
      const w = new HistoryWriter(path, { engine, retention: { maxAgeMs: 60_000 } });
      record(w, 200, 10);
      w.close();
      const w2 = new HistoryWriter(path, { engine, retention: { maxAgeMs: 60_000 } });
      w2.enforceRetention(1_800_000_170_500);
      const exp = expected(path, engine);
      assert.ok(exp.length < 2000 && exp.length > 0, `kept ${exp.length}`);
      assert.deepEqual(readBack(path, engine).rows, exp);
      w2.close();
      assert.deepEqual(readBack(path, engine).rows, expected(path, engine));
    });

    it('a version 1 file migrates: the writer seals its old closes, the log is unchanged', () => {
      const path = fresh();
      const db = openStore(path, { engine });
      db.exec(MIGRATIONS[0]);
      db.run("INSERT INTO meta (key, value) VALUES ('format', 'sockscope-history'), ('schema', '1')");
      db.exec('PRAGMA user_version = 1');
      db.run("INSERT INTO names (id, text) VALUES (1, '10.0.0.1'), (2, 'old')");
      for (let i = 1; i <= 50; i++) {
        db.run('INSERT INTO sockets (id, netid, local_addr, local_port, peer_addr, peer_port, pid, command, first_state, state, opened_at, closed_at, closed_by, bytes_sent, bytes_received, retrans) VALUES (?, 0, 1, ?, 1, 80, 9, 2, 1, 7, ?, ?, 2, ?, 5, 0)',
          [i, 2000 + i, i * 1000, i * 1000 + 10, i]);
      }
      db.close();
      const before = readBack(path, engine).rows;
      assert.equal(before.length, 50);
      const w = new HistoryWriter(path, { engine });
      record(w, 5, 3, 100_000);
      w.close();
      assert.ok(pages(path, engine) > 0);
      const after = readBack(path, engine).rows;
      assert.deepEqual(after, expected(path, engine));
      assert.deepEqual(after.slice(0, 50), before);
    });
  });
}
