// The connection log's row layout: the cells' boxes for a scroller width, which pooled element shows which
// row, and the anchor the rows' layer is placed from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLUMN_WIDTHS, MIN_ROW_WIDTH, anchorFor, poolSize, rowLayout, slotRow } from '../../../src/webview/connection-log/row-layout';
import { LOG_COLUMNS } from '../../../src/protocol/history-webview';
import { cellTexts, cellTitle } from '../../../src/webview/connection-log/cells';

test('the cells tile the row without gaps, fixed columns keep their width, the two flexible ones share the rest', () => {
  for (const width of [0, 800, MIN_ROW_WIDTH, 1301, 1400, 1777.5, 2560]) {
    const l = rowLayout(width);
    assert.equal(l.columns.length, LOG_COLUMNS.length);
    assert.equal(l.rowWidth, Math.max(MIN_ROW_WIDTH, Math.floor(width)), `row width at ${width}`);
    let x = 0;
    l.columns.forEach((c, i) => {
      assert.equal(c.x, x, `column ${i} starts where the last ended`);
      assert.ok(Number.isInteger(c.x) && Number.isInteger(c.width), 'whole pixels');
      const spec = COLUMN_WIDTHS[LOG_COLUMNS[i].id];
      if (spec.flex) assert.ok(c.width >= spec.px, 'a flexible column never below its minimum');
      else assert.equal(c.width, spec.px);
      x += c.width;
    });
    assert.equal(x, l.rowWidth, `the columns fill the row at ${width}`);
  }
  const wide = rowLayout(1400).columns.filter((_, i) => COLUMN_WIDTHS[LOG_COLUMNS[i].id].flex);
  assert.ok(Math.abs(wide[0].width - wide[1].width) <= 1, 'shared evenly');
});

test('pool: an even size, each row keeps its element while in the window, every row of the window shown once', () => {
  assert.equal(poolSize(57), 58);
  assert.equal(poolSize(58), 58);
  assert.equal(poolSize(0), 0);
  const n = 58;
  for (const [first, end] of [[0, 58], [0, 10], [123, 181], [999_950, 1_000_000], [7, 60]]) {
    const shown = [];
    for (let k = 0; k < n; k++) {
      const i = slotRow(k, n, first, end);
      if (i >= 0) { assert.equal(i % n, k, 'row i lives in element i % n'); assert.equal(i % 2, k % 2, 'stripes stay'); shown.push(i); }
    }
    assert.deepEqual(shown.sort((a, b) => a - b), Array.from({ length: Math.min(n, end - first) }, (_, j) => first + j));
  }
  // Scrolling by three rows: the rows still in the window stay in their elements.
  for (let i = 103; i < 158; i++) assert.equal(slotRow(i % n, n, 100, 158), i);
  for (let i = 103; i < 158; i++) assert.equal(slotRow(i % n, n, 103, 161), i);
});

test('anchor: kept while the window stays within the span, moved (half a span back) when it leaves it', () => {
  assert.equal(anchorFor(null, 0, 50, 1000), 0);
  assert.equal(anchorFor(null, 5000, 5050, 1000), 4500);
  assert.equal(anchorFor(4500, 5100, 5150, 1000), 4500, 'still inside');
  assert.equal(anchorFor(4500, 5460, 5510, 1000), 4960, 'past its end');
  assert.equal(anchorFor(4500, 4400, 4450, 1000), 3900, 'before its start');
  assert.equal(anchorFor(100, 0, 50, 1000), 0, 'never below row 0');
});

test('cell texts in column order, tooltips by column with exact values', () => {
  const row = {
    id: 7, netid: 'tcp', localAddress: '10.0.0.1', localPort: 5000, peerAddress: '::1', peerPort: 443, pid: 42, command: 'curl',
    openedAt: 1_764_000_000_000, closedAt: 1_764_000_001_000, durationMs: 1000, bytesSent: 123_456, bytesReceived: 20, retrans: 3, state: 'TIME-WAIT', closedBy: 'watch',
  } as const;
  const texts = cellTexts(row);
  assert.equal(texts.length, LOG_COLUMNS.length);
  const at = (id: string): number => LOG_COLUMNS.findIndex((c) => c.id === id);
  assert.equal(texts[at('process')], 'curl (42)');
  assert.equal(texts[at('peer')], '[::1]:443');
  assert.equal(texts[at('sent')], '121 KiB');
  assert.equal(cellTitle(row, at('sent')), '123,456 bytes');
  assert.equal(cellTitle(row, at('closed')), new Date(1_764_000_001_000).toISOString());
  assert.equal(cellTitle(row, at('retrans')), '3 segments retransmitted');
  assert.equal(cellTitle(row, 99), '');
});
