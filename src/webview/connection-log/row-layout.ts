// Where the table's cells go and which pooled element shows which row (pure, unit-tested). Cells are
// absolutely placed boxes of fixed size (CSS `contain: strict`), not grid items: a grid item cannot be laid
// out apart from its grid, so a cell whose text changed made the browser lay out its whole row again; a
// contained box of fixed size is laid out alone.
import { LOG_COLUMNS, type LogColumnId } from '../../protocol/history-webview';

/** Column widths: fixed px, or a minimum that shares the width left over (as CSS grid's minmax(px, 1fr)). */
export const COLUMN_WIDTHS: Record<LogColumnId, { px: number; flex?: true }> = {
  process: { px: 160 }, netid: { px: 58 }, local: { px: 140, flex: true }, peer: { px: 140, flex: true },
  opened: { px: 132 }, closed: { px: 132 }, duration: { px: 88 }, sent: { px: 84 }, received: { px: 88 },
  retrans: { px: 76 }, state: { px: 96 }, closedBy: { px: 104 },
};

/** The narrowest the rows get (the scroller then scrolls sideways). */
export const MIN_ROW_WIDTH = 1300;

export interface ColumnBox { x: number; width: number }
export interface RowLayout { rowWidth: number; columns: ColumnBox[] }

/** The cells' boxes, in LOG_COLUMNS order, for a scroller `width` px wide (whole pixels, no gaps). */
export function rowLayout(width: number): RowLayout {
  const rowWidth = Math.max(MIN_ROW_WIDTH, Math.floor(width));
  const specs = LOG_COLUMNS.map((c) => COLUMN_WIDTHS[c.id]);
  const fixed = specs.reduce((t, s) => t + s.px, 0);
  const flexCount = specs.filter((s) => s.flex).length;
  const extra = Math.max(0, rowWidth - fixed);
  const columns: ColumnBox[] = [];
  let x = 0, flexSeen = 0, given = 0;
  for (const s of specs) {
    let w = s.px;
    if (s.flex) {
      // Whole pixels; the last flexible column takes what rounding left.
      flexSeen++;
      const share = flexSeen === flexCount ? extra - given : Math.floor(extra / flexCount);
      given += share;
      w += share;
    }
    columns.push({ x, width: w });
    x += w;
  }
  return { rowWidth: Math.max(rowWidth, x), columns };
}

/** Pool elements: an even count, so element k always shows rows of the parity of k (its stripe never changes). */
export function poolSize(rows: number): number {
  return rows + (rows % 2);
}

/**
 * The row pool element `k` of `n` shows for the window [first, end): row i lives in element i % n, so a row
 * that stays in the window keeps its element (and its text). -1: the element is not needed (hidden).
 */
export function slotRow(k: number, n: number, first: number, end: number): number {
  const i = first + ((((k - first) % n) + n) % n);
  return i < end ? i : -1;
}

/**
 * The row that the rows' layer is placed from. Each row sits at (i - anchor) × rowHeight in the layer and the
 * layer is moved as a whole: while the anchor stays, a row that stays in view keeps its place in the layer,
 * so the compositor keeps its pixels and only the rows that come in are painted. The anchor moves (half a
 * span before the window) when the window leaves [anchor, anchor + span), and on a new query.
 */
export function anchorFor(anchor: number | null, first: number, end: number, span: number): number {
  if (anchor !== null && first >= anchor && end <= anchor + span) return anchor;
  return Math.max(0, first - Math.floor(span / 2));
}
