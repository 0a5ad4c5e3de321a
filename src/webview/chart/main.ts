// The tcp_info chart webview (browser, bundled with uPlot into dist/webview.js). It receives
// validated messages from the host (init, new sample rows, socket closed, paused), keeps the data,
// and draws one uPlot chart per quantity with a live legend (hover read-out).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import '../../../media/chart.css';
import {
  CHARTS, CHART_WINDOWS, METRICS, isHostToWebview,
  type ChartId, type ChartRow, type ChartSocket, type ChartWindow, type HostToWebview, type WebviewToHost,
} from '../../protocol/webview-messages';
import { themeColors, seriesColor } from './theme';
import { windowStart } from './chart-window';
import { X_TICK_SPACE, Y_GAP, clockLabel, xTickLabels, yAxisSize, yTickLabels } from './axes';

interface VsCodeApi {
  postMessage(m: WebviewToHost): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState { window: ChartWindow }

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() ?? {}) as Partial<SavedState>;
let windowChoice: ChartWindow = CHART_WINDOWS.includes(saved.window as ChartWindow) ? (saved.window as ChartWindow) : '5m';
let sockets: ChartSocket[] = [];
let paused = false;
const closed = new Map<string, number>();

/** x values (seconds) and, per chart, one column per (socket, metric). */
const xs: number[] = [];
const columns = new Map<ChartId, Array<Array<number | null>>>();
const plots = new Map<ChartId, uPlot>();
let seriesOf = new Map<ChartId, Array<{ cookie: string; metric: number; label: string }>>();

const app = document.getElementById('app') as HTMLElement;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

let statusEl: HTMLElement;
let pauseBtn: HTMLButtonElement;

function buildLayout(): void {
  app.textContent = '';
  const bar = el('div', { class: 'toolbar', role: 'toolbar' });
  pauseBtn = el('button', { id: 'pause', title: 'Pause or resume sampling' }, 'Pause');
  pauseBtn.addEventListener('click', () => vscode.postMessage({ type: 'setPaused', paused: !paused }));
  const win = el('select', { id: 'window', title: 'Time window' });
  for (const w of CHART_WINDOWS) {
    const o = el('option', { value: w }, w === 'all' ? 'All' : w === '1m' ? '1 min' : '5 min');
    if (w === windowChoice) o.selected = true;
    win.appendChild(o);
  }
  win.addEventListener('change', () => {
    windowChoice = win.value as ChartWindow;
    vscode.setState({ window: windowChoice } satisfies SavedState);
    redrawAll();
  });
  const csv = el('button', { id: 'export', title: 'Export all samples as CSV' }, 'Export CSV');
  csv.addEventListener('click', () => vscode.postMessage({ type: 'exportCsv' }));
  statusEl = el('span', { id: 'status', class: 'status', 'aria-live': 'polite' });
  bar.append(pauseBtn, el('label', { for: 'window' }, 'Window'), win, csv, statusEl);
  const names = el('div', { class: 'sockets' });
  sockets.forEach((s, i) => names.appendChild(el('div', { class: 'socket', 'data-cookie': s.cookie }, sockets.length > 1 ? `#${i + 1}  ${s.label}` : s.label)));
  const grid = el('div', { class: 'grid' });
  for (const c of CHARTS) {
    const box = el('section', { class: 'chart', id: `chart-${c.id}` });
    box.appendChild(el('h2', {}, `${c.title} (${c.unit})`));
    grid.appendChild(box);
  }
  app.append(bar, names, grid);
}

function setupSeries(): void {
  seriesOf = new Map();
  columns.clear();
  xs.length = 0;
  for (const c of CHARTS) {
    const list: Array<{ cookie: string; metric: number; label: string }> = [];
    METRICS.forEach((m, i) => {
      if (m.chart !== c.id) return;
      sockets.forEach((s, si) => list.push({ cookie: s.cookie, metric: i, label: sockets.length > 1 ? `${m.label} #${si + 1}` : m.label }));
    });
    seriesOf.set(c.id, list);
    columns.set(c.id, list.map(() => []));
  }
}

function chartWidth(box: HTMLElement): number {
  return Math.max(240, box.clientWidth - 8);
}

function createPlots(): void {
  for (const p of plots.values()) p.destroy();
  plots.clear();
  const colors = themeColors();
  for (const c of CHARTS) {
    const box = document.getElementById(`chart-${c.id}`) as HTMLElement;
    const list = seriesOf.get(c.id) ?? [];
    const opts: uPlot.Options = {
      width: chartWidth(box),
      height: 170,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: { x: { time: true } },
      axes: [
        {
          stroke: colors.foreground, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid },
          space: X_TICK_SPACE, values: (_u, splits) => xTickLabels(splits),
        },
        {
          stroke: colors.foreground, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, size: 4 },
          gap: Y_GAP, label: c.unit, labelSize: 18, labelGap: 4,
          values: (_u, splits) => yTickLabels(splits),
          size: (u, values, axisIdx) => {
            const axis = u.axes[axisIdx];
            // uPlot keeps an axis font as [css font, size] once the plot exists (the typings say string).
            const font = axis.font as unknown as [string, number] | string | undefined;
            u.ctx.font = Array.isArray(font) ? font[0] : font ?? '12px sans-serif';
            return yAxisSize(values ?? [], (t) => u.ctx.measureText(t).width / devicePixelRatio, 4);
          },
        },
      ],
      series: [
        { label: 'time', value: (_u, v) => (v == null ? '—' : clockLabel(v)) },
        ...list.map((s, i) => ({
          label: s.label,
          stroke: seriesColor(colors, i),
          width: 1.5,
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : `${fmt(v)} ${c.unit}`),
        })),
      ],
    };
    plots.set(c.id, new uPlot(opts, dataFor(c.id), box));
  }
}

function fmt(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function visibleStart(): number {
  return windowStart(xs, windowChoice);
}

function dataFor(id: ChartId): uPlot.AlignedData {
  const start = visibleStart();
  const cols = columns.get(id) ?? [];
  return [xs.slice(start), ...cols.map((c) => c.slice(start))] as uPlot.AlignedData;
}

function redrawAll(): void {
  for (const [id, p] of plots) p.setData(dataFor(id));
}

function addRows(rows: ChartRow[]): void {
  for (const row of rows) {
    xs.push(row.t / 1000);
    for (const c of CHARTS) {
      const list = seriesOf.get(c.id) ?? [];
      const cols = columns.get(c.id) ?? [];
      list.forEach((s, i) => cols[i].push(row.values[s.cookie]?.[s.metric] ?? null));
    }
  }
  redrawAll();
  updateStatus();
}

function updateStatus(): void {
  const parts: string[] = [];
  const ended = sockets.length > 0 && sockets.every((s) => closed.has(s.cookie));
  parts.push(ended ? 'Ended' : paused ? 'Paused' : 'Live');
  parts.push(`${xs.length} samples`);
  for (const s of sockets) if (closed.has(s.cookie)) parts.push(`socket closed${sockets.length > 1 ? ` (${s.label})` : ''} at ${new Date(closed.get(s.cookie) ?? 0).toLocaleTimeString()}`);
  statusEl.textContent = parts.join(' · ');
  statusEl.classList.toggle('closed', closed.size > 0);
  pauseBtn.textContent = paused ? 'Resume' : 'Pause';
  pauseBtn.setAttribute('aria-pressed', String(paused));
  document.querySelectorAll<HTMLElement>('.socket').forEach((e) => e.classList.toggle('closed', closed.has(e.dataset.cookie ?? '')));
}

function onMessage(m: HostToWebview): void {
  switch (m.type) {
    case 'init': {
      const same = m.sockets.length === sockets.length && m.sockets.every((s, i) => s.cookie === sockets[i]?.cookie);
      paused = m.paused;
      if (!same) {
        sockets = m.sockets;
        buildLayout();
        setupSeries();
        createPlots();
      }
      updateStatus();
      break;
    }
    case 'rows': addRows(m.rows); break;
    case 'closed': closed.set(m.cookie, m.t); updateStatus(); break;
    case 'paused': paused = m.paused; updateStatus(); break;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  if (isHostToWebview(e.data)) onMessage(e.data);
});

// Theme changes (light, dark, high contrast) switch the body class: redraw with the new colors.
new MutationObserver(() => { if (sockets.length) createPlots(); }).observe(document.body, { attributes: true, attributeFilter: ['class'] });

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    for (const [id, p] of plots) {
      const box = document.getElementById(`chart-${id}`);
      if (box) p.setSize({ width: chartWidth(box), height: 170 });
    }
  }, 100);
});

vscode.postMessage({ type: 'ready' });
