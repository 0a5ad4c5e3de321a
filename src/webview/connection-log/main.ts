// The connection log table (browser, bundled into dist/connection-log.js). The helper sorts, filters and
// pages; this page keeps a bounded cache of pages, draws only the rows in view (+ a margin) in a pool of
// fixed-height row elements, and asks for the pages it is about to show. Keyboard: arrows, PageUp/PageDown,
// Home/End move the selection; Enter (or a right click) opens the row's actions.
import '../../../media/connection-log.css';
import {
  DEFAULT_LOG_SORT, LOG_COLUMNS, LOG_HOST_TO_WEBVIEW, RANGE_PRESETS, ROW_ACTIONS,
  type LogHostToWebview, type LogSort, type LogTableRow, type LogWebviewToHost, type RangePresetId, type RowAction, type TimeRange,
} from '../../protocol/history-webview';
import { parseMessage } from '../../protocol/message-type';
import { el, vscodeApi } from '../vscode-api';
import { cellTexts, cellTitle, formatCount } from './cells';
import { PageCache } from './page-cache';
import { anchorFor, poolSize, rowLayout, slotRow } from './row-layout';
import { contentHeight, fetchPlan, pageRows, rowWindow, scrollToReveal, scrollTopFor, topRowAt, type ScrollGeometry } from './virtual-scroll';

const ROW_HEIGHT = 22;
const PAGE_SIZE = 200;
const MARGIN_ROWS = 10;
const MAX_PAGES = 60;
const MAX_IN_FLIGHT = 3;

interface SavedState { filter: string; preset: RangePresetId | null; range: TimeRange; sort: LogSort }

const vscode = vscodeApi<LogWebviewToHost>();
const saved = (vscode.getState() ?? null) as SavedState | null;

let state: SavedState = saved ?? { filter: '', preset: '1h', range: { from: null, to: null }, sort: DEFAULT_LOG_SORT };
let span: TimeRange | null = null;
let queryId = 0;
let total = 0;
let answered = false;
let selected = -1;
let lastTop = 0;
/** A row and, once drawn, its cell texts (formatted once, however often it scrolls by). */
interface Slot { row: LogTableRow; texts?: string[] }
const cache = new PageCache<Slot>(MAX_PAGES);
const inFlight = new Set<number>();

const app = document.getElementById('app') as HTMLElement;
app.textContent = '';

// ---- toolbar --------------------------------------------------------------------------------
const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Connection log' });
const filterBox = el('input', {
  id: 'filter', type: 'text', spellcheck: 'false', class: 'filter',
  placeholder: 'Filter (ss language), e.g. dport = :443 or src 10.0.0.0/8', 'aria-label': 'Filter in the ss filter language',
});
const presets = el('div', { class: 'presets', role: 'radiogroup', 'aria-label': 'Time range' });
const presetButtons = new Map<RangePresetId, HTMLButtonElement>();
for (const p of RANGE_PRESETS) {
  const b = el('button', { class: 'preset', role: 'radio', 'data-preset': p.id, title: p.ms === null ? 'The whole recording' : `The last ${p.label} of the recording` }, p.label);
  b.addEventListener('click', () => choosePreset(p.id));
  presetButtons.set(p.id, b);
  presets.appendChild(b);
}
const fromBox = el('input', { id: 'from', type: 'datetime-local', step: '1', 'aria-label': 'From' });
const toBox = el('input', { id: 'to', type: 'datetime-local', step: '1', 'aria-label': 'To' });
const exportBtn = el('button', { id: 'export', class: 'primary', title: 'Export the rows of this query as CSV' }, 'Export CSV');
exportBtn.addEventListener('click', () => vscode.postMessage({ type: 'exportCsv', queryId }));
const line1 = el('div', { class: 'line' });
line1.append(filterBox);
const line2 = el('div', { class: 'line' });
line2.append(presets, el('label', { for: 'from' }, 'From'), fromBox, el('label', { for: 'to' }, 'To'), toBox, el('span', { class: 'spacer-flex' }), exportBtn);
toolbar.append(line1, line2);
const errorLine = el('div', { id: 'filter-error', class: 'filter-error', role: 'alert', hidden: '' });
const statusLine = el('div', { id: 'status', class: 'status', 'aria-live': 'polite' });
// The text changes as the table scrolls: in a box of fixed size, laid out alone.
const statusText = el('span', { class: 'status-text' });
statusLine.appendChild(statusText);

// ---- table ----------------------------------------------------------------------------------
const scroller = el('div', { id: 'scroller', class: 'scroller', role: 'grid', tabindex: '0', 'aria-label': 'Connections', 'aria-rowcount': '0', 'aria-colcount': String(LOG_COLUMNS.length) });
const header = el('div', { class: 'row header', role: 'row', 'aria-rowindex': '1' });
const headerCells: HTMLElement[] = [];
/**
 * A cell's place: its column's box, variables set on the scroller (one write per resize for all cells). Set
 * through the CSSOM: the page's CSP refuses style attributes.
 */
function placeCell(cell: HTMLElement, c: number): HTMLElement {
  cell.style.left = `var(--col-x-${c})`;
  cell.style.width = `var(--col-w-${c})`;
  return cell;
}
LOG_COLUMNS.forEach((c, ci) => {
  const h = el('div', { class: `cell ${c.align}`, role: 'columnheader', 'data-column': c.id, tabindex: '-1', title: `Sort by ${c.label}` });
  placeCell(h, ci);
  h.append(el('span', { class: 'label' }, c.label), el('span', { class: 'sort-mark', 'aria-hidden': 'true' }));
  h.addEventListener('click', () => sortBy(c.id));
  headerCells.push(h);
  header.appendChild(h);
});
const spacer = el('div', { class: 'spacer' });
const layer = el('div', { class: 'rows', role: 'rowgroup' });
const empty = el('div', { class: 'empty', hidden: '' });
scroller.append(header, spacer, layer, empty);
const menu = el('div', { class: 'menu', role: 'menu', hidden: '' });
const ACTION_LABELS: Record<RowAction, string> = { showInSockets: 'Show in Sockets View', chart: 'Chart tcp_info', copyFilter: 'Copy as ss Filter' };
for (const a of ROW_ACTIONS) {
  const item = el('button', { role: 'menuitem', 'data-action': a }, ACTION_LABELS[a]);
  item.addEventListener('click', () => runAction(a));
  menu.appendChild(item);
}
app.append(toolbar, errorLine, scroller, statusLine, menu);

/** A pooled row element and what it shows now, so a frame writes only what changed and reads no DOM. */
interface RowView {
  el: HTMLElement;
  /** One Text node per cell, changed in place (a new node per write would rebuild the cell's layout object). */
  texts: Text[];
  /** The row shown: index, and the row's id (-1: the placeholder of a page not here yet); query -1: nothing. */
  index: number;
  rowId: number;
  query: number;
  y: number;
  selected: boolean;
  loading: boolean;
  hidden: boolean;
}

/** The row elements, reused: as many as the viewport and margins need (an even count: see poolSize). */
const pool: RowView[] = [];

function geometry(): ScrollGeometry {
  return { total, rowHeight: ROW_HEIGHT, viewport: Math.max(ROW_HEIGHT, scroller.clientHeight - header.offsetHeight) };
}

function slotAt(i: number): Slot | undefined {
  return cache.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE];
}

function rowAt(i: number): LogTableRow | undefined {
  return slotAt(i)?.row;
}

function ensurePool(n: number): void {
  while (pool.length < n) {
    const k = pool.length;
    const r = el('div', { class: k % 2 === 1 ? 'row odd' : 'row', role: 'row', hidden: '' });
    const texts: Text[] = [];
    LOG_COLUMNS.forEach((c, ci) => {
      const cell = placeCell(el('div', { class: `cell ${c.align}`, role: 'gridcell', 'data-column': c.id }), ci);
      const t = document.createTextNode('');
      cell.appendChild(t);
      texts.push(t);
      r.appendChild(cell);
    });
    const view: RowView = { el: r, texts, index: -1, rowId: -1, query: -1, y: NaN, selected: false, loading: false, hidden: true };
    r.addEventListener('click', () => select(view.index, false));
    r.addEventListener('contextmenu', (e) => { e.preventDefault(); select(view.index, false); openMenu(); });
    r.addEventListener('dblclick', () => openMenu());
    // Tooltips (exact values) are set when the pointer reaches a cell, not for every row drawn.
    r.addEventListener('mouseover', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('.cell');
      const row = rowAt(view.index);
      if (cell && row) cell.title = cellTitle(row, Array.prototype.indexOf.call(r.children, cell));
    });
    layer.appendChild(r);
    pool.push(view);
  }
}

let frame = 0;
function schedule(): void {
  if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(); });
}

/** See anchorFor: rows sit in the layer relative to this row, and the layer moves. */
let anchor: number | null = null;
let anchorQuery = -1;
const ANCHOR_SPAN = 20_000;
let layerY = NaN;
let layoutWidth = -1;

function render(): void {
  // Reads first (sizes, the scroll position), then only writes: no layout is forced in the middle of a frame.
  const g = geometry();
  const scrollTop = scroller.scrollTop;
  const width = scroller.clientWidth;
  const w = rowWindow(g, scrollTop, MARGIN_ROWS);
  const top = topRowAt(g, scrollTop);
  const direction = top > lastTop ? 1 : top < lastTop ? -1 : 0;
  lastTop = top;
  if (width !== layoutWidth) {
    layoutWidth = width;
    const l = rowLayout(width);
    scroller.style.setProperty('--row-width', `${l.rowWidth}px`);
    l.columns.forEach((c, i) => { scroller.style.setProperty(`--col-x-${i}`, `${c.x}px`); scroller.style.setProperty(`--col-w-${i}`, `${c.width}px`); });
  }
  const height = `${contentHeight(g)}px`;
  if (spacer.style.height !== height) spacer.style.height = height;
  ensurePool(poolSize(w.end - w.first));
  if (anchorQuery !== queryId) { anchor = null; anchorQuery = queryId; }
  anchor = anchorFor(anchor, w.first, w.end, ANCHOR_SPAN);
  // Whole pixels: the rows' text stays on the pixel grid (a scaled scrollbar gives fractional offsets).
  const ly = Math.round(w.offsetY - (w.first - anchor) * ROW_HEIGHT);
  if (ly !== layerY) { layerY = ly; layer.style.transform = `translateY(${ly}px)`; }
  for (let k = 0; k < pool.length; k++) {
    const v = pool[k];
    const i = slotRow(k, pool.length, w.first, w.end);
    if (i >= 0) paintRow(v, i, anchor);
    else if (!v.hidden) { v.hidden = true; v.el.hidden = true; v.query = -1; }
  }
  const noRows = answered && total === 0;
  if (empty.hidden === noRows) empty.hidden = !noRows;
  if (answered) for (const p of fetchPlan({ window: w, total, pageSize: PAGE_SIZE, has: (p) => cache.has(p), inFlight, maxInFlight: MAX_IN_FLIGHT, direction })) {
    inFlight.add(p);
    vscode.postMessage({ type: 'fetchPage', queryId, offset: p * PAGE_SIZE, limit: PAGE_SIZE });
  }
  updateStatus(w.firstVisible, w.endVisible);
}

/** Fills a pool element with row i (or its placeholder), `anchor` its layer's first row: only what differs. */
function paintRow(v: RowView, i: number, anchor: number): void {
  const r = v.el;
  if (v.hidden) { v.hidden = false; r.hidden = false; }
  const isSelected = i === selected;
  if (v.selected !== isSelected) { v.selected = isSelected; r.classList.toggle('selected', isSelected); r.setAttribute('aria-selected', String(isSelected)); }
  const y = (i - anchor) * ROW_HEIGHT;
  if (v.y !== y) { v.y = y; r.style.transform = `translateY(${y}px)`; }
  const slot = slotAt(i);
  const row = slot?.row;
  const rowId = row ? row.id : -1;
  if (v.query === queryId && v.index === i && v.rowId === rowId) return;
  if (v.index !== i) { r.dataset.index = String(i); r.setAttribute('aria-rowindex', String(i + 2)); }
  if (v.loading !== !row) { v.loading = !row; r.classList.toggle('loading', !row); }
  v.query = queryId;
  v.index = i;
  v.rowId = rowId;
  const texts = slot ? (slot.texts ??= cellTexts(slot.row)) : undefined;
  for (let c = 0; c < v.texts.length; c++) {
    const text = texts ? texts[c] : c === 0 ? '…' : '';
    const t = v.texts[c];
    if (t.data !== text) t.data = text;
  }
}

let statusShown = '';
function updateStatus(first: number, end: number): void {
  const where = total ? `rows ${formatCount(first + 1)}–${formatCount(end)} of ${formatCount(total)}` : 'no connections';
  const text = answered ? `${where} · ${rangeText()}${extraStatus ? ` · ${extraStatus}` : ''}` : 'Loading…';
  if (text !== statusShown) { statusShown = text; statusText.textContent = text; }
}
let extraStatus = '';

function rangeText(): string {
  const p = RANGE_PRESETS.find((x) => x.id === state.preset);
  if (p) return p.ms === null ? 'whole recording' : `last ${p.label}`;
  const f = state.range.from === null ? 'start' : new Date(state.range.from).toLocaleString();
  const t = state.range.to === null ? 'end' : new Date(state.range.to).toLocaleString();
  return `${f} – ${t}`;
}

// ---- queries --------------------------------------------------------------------------------
/** The range sent: a preset counts back from the recording's last refresh (a file from another day works too). */
function effectiveRange(): TimeRange {
  const p = RANGE_PRESETS.find((x) => x.id === state.preset);
  if (!p) return state.range;
  if (p.ms === null) return { from: null, to: null };
  const end = span?.to ?? Date.now();
  return { from: Math.max(0, end - p.ms), to: null };
}

function sendQuery(): void {
  queryId = (queryId + 1) % 2 ** 31;
  cache.clear();
  inFlight.clear();
  answered = false;
  extraStatus = '';
  statusLine.classList.remove('error');
  vscode.setState(state);
  vscode.postMessage({ type: 'query', queryId, filter: state.filter, range: effectiveRange(), sort: state.sort });
  showControls();
  schedule();
}

function showControls(): void {
  if (document.activeElement !== filterBox) filterBox.value = state.filter;
  for (const [id, b] of presetButtons) { b.setAttribute('aria-checked', String(id === state.preset)); b.classList.toggle('on', id === state.preset); }
  const r = effectiveRange();
  fromBox.value = r.from === null ? '' : localInput(r.from);
  toBox.value = r.to === null ? '' : localInput(r.to);
  for (const h of headerCells) {
    const on = h.dataset.column === state.sort.column;
    h.setAttribute('aria-sort', on ? (state.sort.descending ? 'descending' : 'ascending') : 'none');
    (h.querySelector('.sort-mark') as HTMLElement).textContent = on ? (state.sort.descending ? '▼' : '▲') : '';
  }
}

function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}

function parseLocalInput(v: string): number | null {
  if (!v) return null;
  const t = new Date(v).getTime();
  return Number.isFinite(t) ? t : null;
}

function sortBy(column: LogSort['column']): void {
  state = { ...state, sort: { column, descending: state.sort.column === column ? !state.sort.descending : false } };
  selected = -1;
  scroller.scrollTop = 0;
  sendQuery();
}

function choosePreset(id: RangePresetId): void {
  state = { ...state, preset: id, range: { from: null, to: null } };
  sendQuery();
}

function onRangeInput(): void {
  state = { ...state, preset: null, range: { from: parseLocalInput(fromBox.value), to: parseLocalInput(toBox.value) } };
  sendQuery();
}
fromBox.addEventListener('change', onRangeInput);
toBox.addEventListener('change', onRangeInput);

let filterTimer: ReturnType<typeof setTimeout> | undefined;
filterBox.addEventListener('input', () => {
  if (filterTimer) clearTimeout(filterTimer);
  filterTimer = setTimeout(applyFilter, 350);
});
filterBox.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') { if (filterTimer) clearTimeout(filterTimer); applyFilter(); }
  if (e.key === 'ArrowDown') { e.preventDefault(); scroller.focus(); if (selected < 0 && total) select(0, true); }
});
function applyFilter(): void {
  if (filterBox.value === state.filter) return;
  state = { ...state, filter: filterBox.value };
  selected = -1;
  scroller.scrollTop = 0;
  sendQuery();
}

function showFilterError(m: Extract<LogHostToWebview, { type: 'queryError' }>): void {
  errorLine.hidden = false;
  errorLine.textContent = '';
  if (m.error) {
    const f = state.filter;
    const start = Math.min(m.error.start, f.length), end = Math.max(start + 1, Math.min(m.error.end, f.length));
    const shown = el('code', { class: 'source' });
    shown.append(document.createTextNode(f.slice(0, start)), el('mark', {}, f.slice(start, end) || ' '), document.createTextNode(f.slice(end)));
    errorLine.append(el('span', { class: 'where' }, `column ${m.error.column}: `), el('span', {}, m.error.message), el('br'), shown);
    filterBox.setAttribute('aria-invalid', 'true');
  } else {
    errorLine.textContent = m.message;
  }
}

// ---- selection and actions ------------------------------------------------------------------
function select(i: number, reveal: boolean): void {
  if (!total) return;
  selected = Math.max(0, Math.min(total - 1, i));
  closeMenu();
  if (reveal) scroller.scrollTop = scrollToReveal(geometry(), scroller.scrollTop, selected);
  schedule();
}

scroller.addEventListener('scroll', () => { closeMenu(); schedule(); }, { passive: true });
scroller.addEventListener('keydown', (e) => {
  if (!menu.hidden) return;
  const g = geometry();
  const cur = selected < 0 ? Math.floor(topRowAt(g, scroller.scrollTop)) - 1 : selected;
  const moves: Record<string, number> = { ArrowDown: cur + 1, ArrowUp: cur - 1, PageDown: cur + pageRows(g), PageUp: cur - pageRows(g), Home: 0, End: total - 1 };
  if (e.key in moves) { e.preventDefault(); select(moves[e.key], true); return; }
  if ((e.key === 'Enter' || e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) && selected >= 0) { e.preventDefault(); openMenu(); }
});

function openMenu(): void {
  const row = rowAt(selected);
  if (!row) return;
  const el0 = pool.find((v) => v.index === selected && !v.hidden)?.el;
  const box = (el0 ?? scroller).getBoundingClientRect();
  menu.hidden = false;
  const chart = menu.querySelector<HTMLButtonElement>('[data-action="chart"]');
  if (chart) chart.title = row.closedAt !== null ? 'This connection is closed: only a still-open socket can be charted' : '';
  menu.style.top = `${Math.min(window.innerHeight - menu.offsetHeight - 4, box.bottom)}px`;
  menu.style.left = `${Math.max(4, Math.min(window.innerWidth - menu.offsetWidth - 4, box.left + 24))}px`;
  (menu.firstElementChild as HTMLElement).focus();
}

function closeMenu(): void {
  if (menu.hidden) return;
  menu.hidden = true;
  scroller.focus({ preventScroll: true });
}

menu.addEventListener('keydown', (e) => {
  const items = Array.from(menu.querySelectorAll<HTMLButtonElement>('[role="menuitem"]'));
  const at = items.indexOf(document.activeElement as HTMLButtonElement);
  if (e.key === 'Escape') { e.preventDefault(); closeMenu(); }
  else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length].focus(); }
  else if (e.key === 'Tab') { e.preventDefault(); }
});
document.addEventListener('mousedown', (e) => { if (!menu.hidden && !menu.contains(e.target as Node)) closeMenu(); });

function runAction(action: RowAction): void {
  const row = rowAt(selected);
  closeMenu();
  if (row) vscode.postMessage({ type: 'rowAction', action, row });
}

// ---- messages from the host -----------------------------------------------------------------
function onMessage(m: LogHostToWebview): void {
  switch (m.type) {
    case 'init': {
      span = m.span;
      document.title = `Connection log: ${m.recordingLabel}`;
      // An init with an explicit range (the timeline's "Show Connection Log") replaces the saved query.
      if (!saved || m.preset !== null || m.range.from !== null || m.range.to !== null || m.filter) {
        state = { filter: m.filter, preset: m.preset, range: m.range, sort: m.sort };
      }
      sendQuery();
      break;
    }
    case 'queryResult':
      if (m.queryId !== queryId) return;
      total = m.total;
      answered = true;
      errorLine.hidden = true;
      filterBox.removeAttribute('aria-invalid');
      scroller.setAttribute('aria-rowcount', String(total + 1));
      empty.textContent = 'No connections closed in this range match.';
      if (selected >= total) selected = total - 1;
      scroller.scrollTop = Math.min(scroller.scrollTop, scrollTopFor(geometry(), total));
      schedule();
      break;
    case 'queryError':
      if (m.queryId !== queryId) return;
      answered = true;
      total = 0;
      showFilterError(m);
      schedule();
      break;
    case 'page': {
      if (m.queryId !== queryId) return;
      const p = Math.floor(m.offset / PAGE_SIZE);
      inFlight.delete(p);
      const w = rowWindow(geometry(), scroller.scrollTop, MARGIN_ROWS);
      const keep = new Set<number>();
      for (let q = Math.floor(w.first / PAGE_SIZE); q * PAGE_SIZE < w.end; q++) keep.add(q);
      cache.set(p, m.rows.map((row) => ({ row })), keep);
      schedule();
      break;
    }
    case 'status':
      extraStatus = m.message;
      statusLine.classList.toggle('error', m.error);
      schedule();
      break;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = parseMessage(LOG_HOST_TO_WEBVIEW, e.data);
  if (m) onMessage(m);
});
new ResizeObserver(() => schedule()).observe(scroller);
showControls();
vscode.postMessage({ type: 'ready' });
