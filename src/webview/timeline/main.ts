// The timeline (browser, bundled with uPlot into dist/timeline.js): socket counts over time by state,
// stacked, for the whole recording, a process or a saved `.ssq` query. Drag on the chart to choose a
// range, click to choose a moment; the buttons then act on the choice (the host runs the commands).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import '../../../media/timeline.css';
import {
  HISTORY_LIMITS, RANGE_PRESETS, TIMELINE_HOST_TO_WEBVIEW,
  type RangePresetId, type TimeRange, type TimelineHostToWebview, type TimelineScope, type TimelineScopeChoice, type TimelineSeries, type TimelineWebviewToHost,
} from '../../protocol/history-webview';
import { parseMessage } from '../../protocol/message-type';
import { X_TICK_SPACE, Y_GAP, clockLabel, xTickLabels, yAxisSize, yTickLabels } from '../chart/axes';
import { themeColors } from '../chart/theme';
import { el, vscodeApi } from '../vscode-api';
import { CLICK_PX, brushChoice, bucketsFor, stack, type BrushChoice, type Stacked } from './stack';

const vscode = vscodeApi<TimelineWebviewToHost>();
const CHART_HEIGHT = 320;

let span: TimeRange | null = null;
let scopes: TimelineScopeChoice[] = [];
let scope: TimelineScope = { kind: 'all' };
let preset: RangePresetId = 'all';
let requestId = 0;
let loaded: { from: number; to: number; series: TimelineSeries } | undefined;
let stacked: Stacked | undefined;
let choice: BrushChoice | undefined;
let plot: uPlot | undefined;

const app = document.getElementById('app') as HTMLElement;
app.textContent = '';
const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Timeline' });
const scopeSelect = el('select', { id: 'scope', 'aria-label': 'What to count' });
const presets = el('div', { class: 'presets', role: 'radiogroup', 'aria-label': 'Time window' });
const presetButtons = new Map<RangePresetId, HTMLButtonElement>();
for (const p of RANGE_PRESETS) {
  const b = el('button', { class: 'preset', role: 'radio', 'data-preset': p.id }, p.label);
  b.addEventListener('click', () => { preset = p.id; load(); });
  presetButtons.set(p.id, b);
  presets.appendChild(b);
}
const statusEl = el('span', { id: 'status', class: 'status', 'aria-live': 'polite' });
toolbar.append(el('label', { for: 'scope' }, 'Count'), scopeSelect, presets, statusEl);

const chartBox = el('section', { id: 'chart', class: 'chart', 'aria-label': 'Sockets by state over time' });
const actions = el('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Selection' });
const choiceText = el('span', { id: 'choice', class: 'choice' }, 'Click the chart to choose a moment, or drag to choose a range.');
const momentBtn = el('button', { id: 'show-moment', class: 'primary' }, 'Show Sockets at This Moment');
const compareBtn = el('button', { id: 'compare-now' }, 'Compare with Now');
const logBtn = el('button', { id: 'show-log' }, 'Show Connection Log for this range');
actions.append(choiceText, momentBtn, compareBtn, logBtn);
const errorEl = el('div', { class: 'error', role: 'alert', hidden: '' });
app.append(toolbar, chartBox, actions, errorEl);

/** The moment a choice acts on: the click, or a range's end. */
function momentOf(c: BrushChoice): number { return c.kind === 'moment' ? c.at : c.to; }

momentBtn.addEventListener('click', () => { if (choice) vscode.postMessage({ type: 'showMoment', at: momentOf(choice) }); });
compareBtn.addEventListener('click', () => { if (choice) vscode.postMessage({ type: 'compareWithNow', at: momentOf(choice) }); });
logBtn.addEventListener('click', () => {
  if (choice?.kind === 'range') vscode.postMessage({ type: 'showLog', range: { from: choice.from, to: choice.to }, scope });
});

function scopeKey(s: TimelineScope): string {
  return s.kind === 'all' ? 'all' : s.kind === 'process' ? `process:${s.pid}` : `query:${s.uri}#${s.name}`;
}

function fillScopes(): void {
  scopeSelect.textContent = '';
  const groups = new Map<string, HTMLElement>();
  for (const c of scopes) {
    const label = c.scope.kind === 'all' ? '' : c.scope.kind === 'process' ? 'Processes' : 'Saved queries';
    let parent: HTMLElement = scopeSelect;
    if (label) {
      let g = groups.get(label);
      if (!g) { g = el('optgroup', { label }); groups.set(label, g); scopeSelect.appendChild(g); }
      parent = g;
    }
    const o = el('option', { value: scopeKey(c.scope), title: c.detail ?? '' }, c.label);
    if (scopeKey(c.scope) === scopeKey(scope)) o.selected = true;
    parent.appendChild(o);
  }
}
scopeSelect.addEventListener('change', () => {
  const c = scopes.find((x) => scopeKey(x.scope) === scopeSelect.value);
  if (c) { scope = c.scope; load(); }
});

function window_(): { from: number; to: number } | undefined {
  if (!span || span.from === null || span.to === null) return undefined;
  const p = RANGE_PRESETS.find((x) => x.id === preset);
  const from = p?.ms ? Math.max(span.from, span.to - p.ms) : span.from;
  return { from, to: Math.max(from + 1, span.to) };
}

function load(): void {
  for (const [id, b] of presetButtons) { b.classList.toggle('on', id === preset); b.setAttribute('aria-checked', String(id === preset)); }
  const w = window_();
  if (!w) { statusEl.textContent = 'The recording has no refresh yet.'; return; }
  requestId = (requestId + 1) % 2 ** 31;
  statusEl.textContent = 'Loading…';
  vscode.postMessage({ type: 'load', requestId, scope, from: w.from, to: w.to, buckets: bucketsFor(chartBox.clientWidth || 800, HISTORY_LIMITS.maxBuckets) });
}

function stateColor(state: string, i: number): string {
  const c = themeColors();
  const css = (name: string, fallback: string): string => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
  const by: Record<string, string> = {
    ESTAB: css('--vscode-charts-green', '#89d185'), LISTEN: css('--vscode-charts-blue', '#3794ff'),
    'TIME-WAIT': css('--vscode-charts-yellow', '#cca700'), 'CLOSE-WAIT': css('--vscode-charts-orange', '#d18616'),
    'SYN-SENT': css('--vscode-charts-purple', '#b180d7'), UNCONN: css('--vscode-charts-foreground', '#888'),
    'FIN-WAIT-1': css('--vscode-charts-red', '#f14c4c'), 'FIN-WAIT-2': css('--vscode-charts-red', '#f14c4c'),
  };
  return by[state] ?? c.series[i % c.series.length];
}

function draw(): void {
  plot?.destroy();
  plot = undefined;
  if (!loaded) return;
  stacked = stack(loaded.series);
  const colors = themeColors();
  const xs = loaded.series.at.map((t) => t / 1000);
  const s = stacked;
  const own = s.own;
  // Top layer first: each lower (running-sum) layer is filled over the one above it.
  const order = s.states.map((_, i) => i).reverse();
  const opts: uPlot.Options = {
    width: Math.max(320, chartBox.clientWidth - 4),
    height: CHART_HEIGHT,
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.05)] } },
    cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    legend: { live: true },
    axes: [
      { stroke: colors.foreground, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid }, space: X_TICK_SPACE, values: (_u, splits) => xTickLabels(splits) },
      {
        stroke: colors.foreground, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, size: 4 }, gap: Y_GAP,
        label: 'sockets', labelSize: 18, labelGap: 4, values: (_u, splits) => yTickLabels(splits),
        size: (u, values, axisIdx) => {
          const font = u.axes[axisIdx].font as unknown as [string, number] | string | undefined;
          u.ctx.font = Array.isArray(font) ? font[0] : font ?? '12px sans-serif';
          return yAxisSize(values ?? [], (t) => u.ctx.measureText(t).width / devicePixelRatio, 4);
        },
      },
    ],
    series: [
      { label: 'time', value: (_u, v) => (v == null ? '—' : clockLabel(v)) },
      ...order.map((i) => {
        const color = stateColor(s.states[i], i);
        return {
          label: s.states[i], stroke: color, fill: color, width: 1, points: { show: false },
          value: (_u: uPlot, _v: number | null, _si: number, idx: number | null) => (idx == null ? '—' : String(own[i][idx] ?? 0)),
        };
      }),
    ],
    hooks: {
      setSelect: [(u) => { if (u.select.width >= 3) onBrush(u); }],
      draw: [(u) => drawMoment(u)],
      // A new chart (theme, new data) keeps the chosen range on screen; its scales exist only once it is ready.
      ready: [(u) => showRange(u)],
    },
  };
  const u = new uPlot(opts, [xs, ...order.map((i) => s.cumulative[i])] as uPlot.AlignedData, chartBox);
  plot = u;
  // A click (no drag) is a moment at the pointer: uPlot's selection is empty then, its cursor is where the click was.
  let downX: number | undefined;
  const xIn = (e: MouseEvent): number => e.clientX - u.over.getBoundingClientRect().left;
  u.over.addEventListener('mousedown', (e) => { downX = xIn(e); });
  u.over.addEventListener('mouseup', (e) => {
    const x = xIn(e);
    if (downX !== undefined && Math.abs(x - downX) < CLICK_PX) setTimeout(() => { if (plot === u) onBrush(u, x); }, 0);
    downX = undefined;
  });
}

function showRange(u: uPlot): void {
  if (choice?.kind !== 'range') return;
  const left = u.valToPos(choice.from / 1000, 'x'), right = u.valToPos(choice.to / 1000, 'x');
  u.setSelect({ left, top: 0, width: Math.max(0, right - left), height: u.over.clientHeight }, false);
}

function onBrush(u: uPlot, clickLeft?: number): void {
  if (!loaded) return;
  const c = clickLeft !== undefined
    ? brushChoice(clickLeft, 0, (px) => u.posToVal(px, 'x') * 1000, { from: loaded.from, to: loaded.to })
    : brushChoice(u.select.left, u.select.width, (px) => u.posToVal(px, 'x') * 1000, { from: loaded.from, to: loaded.to });
  setChoice(c);
  if (c.kind === 'moment') u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  u.redraw(false, false);
}

function drawMoment(u: uPlot): void {
  if (choice?.kind !== 'moment') return;
  const x = Math.round(u.valToPos(choice.at / 1000, 'x', true));
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = getComputedStyle(document.body).getPropertyValue('--vscode-editorCursor-foreground').trim() || themeColors().foreground;
  ctx.lineWidth = 2 * devicePixelRatio;
  ctx.beginPath();
  ctx.moveTo(x, u.bbox.top);
  ctx.lineTo(x, u.bbox.top + u.bbox.height);
  ctx.stroke();
  ctx.restore();
}

function timeText(ms: number): string {
  return new Date(ms).toLocaleString();
}

function setChoice(c: BrushChoice | undefined): void {
  choice = c;
  momentBtn.disabled = !c;
  compareBtn.disabled = !c;
  logBtn.disabled = c?.kind !== 'range';
  if (!c) choiceText.textContent = 'Click the chart to choose a moment, or drag to choose a range.';
  else if (c.kind === 'moment') choiceText.textContent = `Moment: ${timeText(c.at)}`;
  else choiceText.textContent = `Range: ${timeText(c.from)} – ${timeText(c.to)} (${Math.round((c.to - c.from) / 1000)} s)`;
  document.body.dataset.choice = c ? c.kind : '';
}

function onMessage(m: TimelineHostToWebview): void {
  switch (m.type) {
    case 'init':
      span = m.span;
      scopes = m.scopes;
      scope = m.scope;
      document.title = `Timeline: ${m.recordingLabel}`;
      fillScopes();
      setChoice(undefined);
      load();
      break;
    case 'series': {
      if (m.requestId !== requestId) return;
      loaded = { from: m.from, to: m.to, series: m.series };
      errorEl.hidden = true;
      const peak = Math.max(0, ...m.series.at.map((_, i) => m.series.states.reduce((sum, c) => sum + (c.counts[i] ?? 0), 0)));
      statusEl.textContent = `${timeText(m.from)} – ${timeText(m.to)} · ${m.series.at.length} points · peak ${peak} sockets`;
      if (choice && (momentOf(choice) < m.from || momentOf(choice) > m.to)) setChoice(undefined);
      draw();
      break;
    }
    case 'error':
      if (m.requestId !== requestId) return;
      errorEl.hidden = false;
      errorEl.textContent = m.message;
      statusEl.textContent = '';
      break;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = parseMessage(TIMELINE_HOST_TO_WEBVIEW, e.data);
  if (m) onMessage(m);
});
new MutationObserver(() => draw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => plot?.setSize({ width: Math.max(320, chartBox.clientWidth - 4), height: CHART_HEIGHT }), 100);
});
setChoice(undefined);
vscode.postMessage({ type: 'ready' });
