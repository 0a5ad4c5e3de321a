// The byte writers of `sockscope log --json` and of its table against plain string code (the JSON
// line JSON.stringify writes, logRowJson; the table's columns padded with String methods), over
// random rows: runs of rows of one shape (its fast path: the line before copied, values written over
// it), shapes that alternate, names that need escaping or are not ASCII, nulls, negative durations,
// numbers up to 2^53 - 1, times across seconds and odd years, and chunks cut anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogJsonWriter, logRowJson } from '../../../../src/host/history/log-json';
import type { PackedRow } from '../../../../src/host/history/log-pack';
import { LogTextWriter, hostPort, pad } from '../../../../src/host/history/log-text';
import type { LogRow } from '../../../../src/host/history/queries';
import { CLOSED_BY, NETIDS } from '../../../../src/host/history/schema';
import { prng } from '../../../lib/prng';

const NAMES: (string | null)[] = ['10.0.0.1', '10.0.0.2', '::1', 'fe80::1%eth0', 'nginx', 'c"q\\', 'café', '日本', 'tab\there', '\u0000x', 'a'.repeat(300), null, '', '\ud83d\ude00'];

function toLogRow(r: PackedRow): LogRow {
  const name = (id: number | null): string | null => (id === null ? null : NAMES[id] ?? null);
  return {
    id: r.id, netid: NETIDS[r.netid] ?? 'tcp', localAddress: name(r.localAddr), localPort: r.localPort, peerAddress: name(r.peerAddr), peerPort: r.peerPort,
    pid: r.pid, command: name(r.command), openedAt: r.openedAt, closedAt: r.closedAt, durationMs: r.closedAt - r.openedAt,
    bytesSent: r.bytesSent, bytesReceived: r.bytesReceived, retrans: r.retrans, closedBy: r.closedBy === null ? null : CLOSED_BY[r.closedBy as 1 | 2] ?? null,
    state: r.state, netns: null,
  };
}

/** The table's line as string code writes it. */
function textLine(r: LogRow): string {
  return pad(r.netid, 5) + pad(r.pid === null ? '-' : String(r.pid), 7) + pad(r.command ?? '-', 16) + pad(hostPort(r.localAddress, r.localPort), 34) + pad(hostPort(r.peerAddress, r.peerPort), 34)
    + pad(String(r.bytesSent ?? '-'), 8) + pad(String(r.bytesReceived ?? '-'), 8) + pad(String(r.retrans ?? '-'), 7) + pad(String(r.durationMs), 12) + pad(new Date(r.closedAt).toISOString(), 24) + (r.closedBy ?? '-');
}

function written(rows: readonly PackedRow[], chunkBytes: number, text = false): string {
  const w = text ? new LogTextWriter(NAMES, chunkBytes) : new LogJsonWriter(NAMES, chunkBytes);
  const chunks: Uint8Array[] = [];
  for (const r of rows) { w.row(r); chunks.push(...w.chunks); w.chunks.length = 0; }
  w.end();
  chunks.push(...w.chunks);
  return Buffer.concat(chunks).toString('utf8');
}

/** Random runs of rows (see the top). */
function randomRows(seed: number, rounds: number): { rows: PackedRow[]; chunk: number }[] {
  const out: { rows: PackedRow[]; chunk: number }[] = [];
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const maybe = (v: number): number | null => (rnd() < 0.1 ? null : v);
  const big = (): number => pick([0, 9, 10, 99, 100, 65535, 100000, 999999, 1e6, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 7, 1e12, Number.MAX_SAFE_INTEGER, int(1e9)]);
  for (let round = 0; round < rounds; round++) {
    const rows: PackedRow[] = [];
    let t = pick([1_800_000_000_000, 0, 253_402_300_799_000 /* 9999-12-31T23:59:59 */, 253_402_300_800_000 /* +010000 */, -1_000, 1_700_000_000_999]);
    let id = 1;
    const shapes = Array.from({ length: 1 + int(6) }, () => ({
      netid: int(NETIDS.length + 1), la: rnd() < 0.1 ? null : int(NAMES.length + 1), pa: rnd() < 0.1 ? null : int(NAMES.length), cmd: rnd() < 0.2 ? null : int(NAMES.length),
      by: pick([null, 1, 2]), port: pick([443, 80, 5, 51000, 65535, 0]),
    }));
    const n = 1 + int(400);
    for (let i = 0; i < n; i++) {
      const s = rnd() < 0.8 ? shapes[i % shapes.length] : pick(shapes);
      t += pick([0, 0, 1, 7, 999, 1000, 1001, 60_000]);
      const varied = rnd() < 0.3;
      rows.push({
        id: id++, netid: s.netid, netns: null, localAddr: s.la, localPort: varied ? int(65536) : s.port, peerAddr: s.pa, peerPort: varied ? pick([1, 22, 40000, 65535]) : 443 + (i % 3),
        pid: varied ? maybe(big()) : (rnd() < 0.05 ? null : 1234), command: s.cmd, state: 7,
        openedAt: t - pick([0, 1, 300, 1000, 86_400_000, -5, -2000]), closedAt: t, closedBy: s.by,
        bytesSent: varied ? maybe(big()) : 200 + (i % 2) * 800, bytesReceived: varied ? maybe(big()) : pick([300, 301, null]), retrans: varied ? maybe(int(20)) : 0,
      });
    }
    out.push({ rows, chunk: pick([1 << 20, 2048, 4096, 3000]) });
  }
  return out;
}

function check(text: boolean, line: (r: LogRow) => string): void {
  for (const [round, { rows, chunk }] of randomRows(text ? 1515 : 1414, 60).entries()) {
    const want = rows.map((r) => line(toLogRow(r)));
    const got = written(rows, chunk, text).split('\n');
    assert.equal(got.pop(), '', 'the output ends in a newline');
    // Line by line, so a failure names the row.
    for (let i = 0; i < Math.max(got.length, want.length); i++) assert.equal(got[i], want[i], `round ${round}, chunks of ${chunk}, row ${i}: ${JSON.stringify(rows[i])}`);
  }
}

test('the JSON Lines writer writes what JSON.stringify writes, row for row', () => check(false, logRowJson));

test('the table writer writes what string padding writes, row for row', () => check(true, textLine));

test('no rows, no bytes', () => {
  assert.equal(written([], 1 << 20), '');
  assert.equal(written([], 1 << 20, true), '');
});
