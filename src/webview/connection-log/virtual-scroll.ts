// The virtual scroller's arithmetic (pure, unit-tested): which rows a scroll position shows, where the
// first of them is drawn, and how tall the scrolled content is. Rows have one fixed height. Browsers cap an
// element's height (Chromium near 33.5M px, Firefox near 17.9M px), so beyond MAX_CONTENT_PX the content
// keeps that height and a scroll position maps linearly onto the row range: the scrollbar still stands
// for the whole total, and a pixel of scrollbar is then more than a pixel of rows.

/** Well under every engine's cap, so 1,000,000 rows × 22 px (22M px) is already scaled. */
export const MAX_CONTENT_PX = 8_000_000;

export interface ScrollGeometry {
  total: number;
  rowHeight: number;
  /** The scroller's visible height, px. */
  viewport: number;
  maxContent?: number;
}

/** The height of the scrolled content: the rows' height, or the cap. */
export function contentHeight(g: ScrollGeometry): number {
  return Math.min(g.total * g.rowHeight, g.maxContent ?? MAX_CONTENT_PX);
}

/** How many rows fit in the viewport, fractional. */
function rowsInView(g: ScrollGeometry): number {
  return g.viewport / g.rowHeight;
}

/** The largest scrollTop the browser allows. */
function maxScrollTop(g: ScrollGeometry): number {
  return Math.max(0, contentHeight(g) - g.viewport);
}

/** The largest first visible row position (fractional): the last row's bottom at the viewport's bottom. */
function maxTopRow(g: ScrollGeometry): number {
  return Math.max(0, g.total - rowsInView(g));
}

/** The (fractional) row at the viewport's top for a scroll position. Unscaled this is scrollTop / rowHeight. */
export function topRowAt(g: ScrollGeometry, scrollTop: number): number {
  const max = maxScrollTop(g);
  if (max <= 0) return 0;
  const ratio = Math.min(1, Math.max(0, scrollTop / max));
  return ratio * maxTopRow(g);
}

/** The scroll position that puts the (fractional) row `top` at the viewport's top. */
export function scrollTopFor(g: ScrollGeometry, top: number): number {
  const maxTop = maxTopRow(g);
  if (maxTop <= 0) return 0;
  return (Math.min(maxTop, Math.max(0, top)) / maxTop) * maxScrollTop(g);
}

export interface RowWindow {
  /** First row in the DOM (inclusive). */
  first: number;
  /** One past the last row in the DOM. */
  end: number;
  /** Where row `first`'s top is, in content px (the rows are placed from there, one rowHeight apart). */
  offsetY: number;
  /** The first visible row (whole), for the selection and the status line. */
  firstVisible: number;
  /** One past the last (partly) visible row. */
  endVisible: number;
}

/** The rows to put in the DOM for a scroll position: the visible ones and `margin` more on each side. */
export function rowWindow(g: ScrollGeometry, scrollTop: number, margin: number): RowWindow {
  if (g.total <= 0 || g.rowHeight <= 0) return { first: 0, end: 0, offsetY: 0, firstVisible: 0, endVisible: 0 };
  const clamped = Math.min(Math.max(0, scrollTop), maxScrollTop(g));
  const top = topRowAt(g, clamped);
  const firstVisible = Math.floor(top);
  const endVisible = Math.min(g.total, Math.ceil(top + rowsInView(g)));
  const first = Math.max(0, firstVisible - margin);
  const end = Math.min(g.total, endVisible + margin);
  // The viewport's top is at content px `clamped` and shows row `top` there.
  const offsetY = clamped + (first - top) * g.rowHeight;
  return { first, end, offsetY, firstVisible, endVisible };
}

/** The scroll position after which `row` is fully visible, moving as little as possible (or unchanged). */
export function scrollToReveal(g: ScrollGeometry, scrollTop: number, row: number): number {
  const top = topRowAt(g, scrollTop);
  const inView = rowsInView(g);
  if (row < top) return scrollTopFor(g, row);
  if (row + 1 > top + inView) return scrollTopFor(g, row + 1 - inView);
  return scrollTop;
}

/** Whole rows a PageUp/PageDown moves (at least one). */
export function pageRows(g: ScrollGeometry): number {
  return Math.max(1, Math.floor(rowsInView(g)) - 1);
}

// ---------------------------------------------------------------------------------------------
// Page fetch plan

/** Pages (by index) that hold rows [first, end). */
export function pagesOf(first: number, end: number, pageSize: number): number[] {
  if (end <= first) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / pageSize); p * pageSize < end; p++) out.push(p);
  return out;
}

export interface FetchPlanInput {
  window: { first: number; end: number };
  total: number;
  pageSize: number;
  /** Pages already held. */
  has: (page: number) => boolean;
  /** Pages asked for and not answered yet. */
  inFlight: ReadonlySet<number>;
  /** At most this many requests outstanding: a fast drag of the thumb asks only for where it stops. */
  maxInFlight: number;
  /** Also fetch the page after (or before) the window, in the scroll direction. */
  direction: 1 | -1 | 0;
}

/** The pages to request now: the window's missing ones first (nearest the middle first), then one ahead. */
export function fetchPlan(i: FetchPlanInput): number[] {
  const lastPage = Math.max(0, Math.ceil(i.total / i.pageSize) - 1);
  const wanted = pagesOf(i.window.first, i.window.end, i.pageSize);
  const mid = (i.window.first + i.window.end) / 2 / i.pageSize;
  wanted.sort((a, b) => Math.abs(a + 0.5 - mid) - Math.abs(b + 0.5 - mid));
  if (wanted.length && i.direction !== 0) {
    const ahead = i.direction > 0 ? Math.max(...wanted) + 1 : Math.min(...wanted) - 1;
    if (ahead >= 0 && ahead <= lastPage) wanted.push(ahead);
  }
  const budget = i.maxInFlight - i.inFlight.size;
  const out: number[] = [];
  for (const p of wanted) {
    if (out.length >= budget) break;
    if (p > lastPage || i.has(p) || i.inFlight.has(p)) continue;
    out.push(p);
  }
  return out;
}
