// The connection log table at 1,000,000 rows (issue 14): a recording written through the real writer,
// opened by the real helper (dist/helper.js, `history/*` over stdio, its LogPages paging), answered by the
// panel's own LogResponder through RecordingSource, and the production webview bundle
// (dist/connection-log.js) in Debian's Chromium. The page is scrolled programmatically, a frame at a time:
// steadily (as a wheel or PageDown held) and by jumps (as a dragged thumb), and every frame's time is
// taken from requestAnimationFrame, long tasks from the performance timeline. Prints figures; asserts
// nothing. Alone: BENCH_ONLY=history-views npm run bench (BENCH_LOG_ROWS for another size).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLogRecording } from '../test/lib/history-fixture';
import { startHelper, type HelperRpc } from '../test/system/lib/helper-rpc';
import { HistoryClient, type HistoryRequester } from '../src/client/history/history-client';
import { RecordingSource } from '../src/client/history/recording-source';
import { LogResponder } from '../src/client/history/log-responder';
import { dispatchLogMessage } from '../src/client/history/log-queries';
import { DEFAULT_LOG_SORT, type LogHostToWebview } from '../src/protocol/history-webview';
import type { BrowserContext } from 'playwright-core';

const ROWS = Number(process.env.BENCH_LOG_ROWS ?? 1_000_000);
const REPO = join(__dirname, '..');

/** The theme variables the page reads (VS Code's Dark Modern values), so it draws as in the workbench. */
const THEME = `body{--vscode-foreground:#ccc;--vscode-editor-background:#1f1f1f;--vscode-font-family:sans-serif;--vscode-font-size:13px;
--vscode-editor-font-family:monospace;--vscode-list-activeSelectionBackground:#04395e;--vscode-list-hoverBackground:#2a2d2e;
--vscode-input-background:#313131;--vscode-button-background:#0078d4;--vscode-editorWidget-background:#202020;}`;

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
}

interface FrameStats {
  frames: number; maxMs: number; p95Ms: number; over50: number; longTasks: number; longestTaskMs: number; placeholderFrames: number;
  loafs: number; loafScriptMaxMs: number; loafScriptP95Ms: number; loafLayoutMaxMs: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-bench-log-'));
  let helper: HelperRpc | undefined;
  let browser: { close(): Promise<void> } | undefined;
  try {
    const db = join(dir, 'log.db');
    let t0 = Date.now();
    buildLogRecording(db, { rows: ROWS, spanMs: 24 * 3600_000 });
    console.log(`history views: ${ROWS.toLocaleString('en-US')}-row recording written through the writer in ${((Date.now() - t0) / 1000).toFixed(1)} s (${(statSync(db).size / 1e6).toFixed(0)} MB)`);

    helper = await startHelper();
    const rpc = helper;
    const requester: HistoryRequester = { request: (type, params, timeoutMs) => rpc.result(type.method, params, timeoutMs ?? 120_000) as never };
    const client = new HistoryClient(requester);
    const source = new RecordingSource(await client.open(db), 'bench', () => client.open(db));
    const span = await source.span();

    const { launchChromium } = await import(join(REPO, 'scripts', 'chromium.mjs')) as { launchChromium(dir: string, o?: object): Promise<BrowserContext> };
    const ctx = await launchChromium(join(dir, 'profile'));
    browser = ctx;
    const page = ctx.pages()[0] ?? await ctx.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    const pageTimes: number[] = [];
    // The host's messages reach the page as JSON text parsed there, as VS Code's webview messages (serialized in
    // the extension host): handing the page of rows to page.evaluate as an object cost the page's main thread
    // 20-130 ms per page (the DevTools protocol's own encoding of 200 rows), frames the table never spends.
    const post = (m: LogHostToWebview): void => { void page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(m)).catch(() => undefined); };
    const timed = {
      log: async (q: Parameters<RecordingSource['log']>[0]) => { const s = Date.now(); const r = await source.log(q); pageTimes.push(Date.now() - s); return r; },
    };
    const responder = new LogResponder(timed, post, (m) => console.error(m));
    await page.exposeBinding('__toHost', (_src: unknown, msg: unknown) => {
      dispatchLogMessage(msg, {
        ready: () => post({ type: 'init', recordingLabel: 'bench', span, filter: '', range: { from: null, to: null }, preset: 'all', sort: DEFAULT_LOG_SORT }),
        query: (m) => void responder.runQuery(m),
        fetchPage: (m) => void responder.fetchPage(m.queryId, m.offset, m.limit),
        exportCsv: () => undefined, rowAction: () => undefined, log: () => undefined,
      });
    });
    const css = readFileSync(join(REPO, 'dist', 'connection-log.css'), 'utf8');
    const js = readFileSync(join(REPO, 'dist', 'connection-log.js'), 'utf8');
    t0 = Date.now();
    await page.setContent(`<!DOCTYPE html><html><head><style>${THEME}\n${css}</style></head><body class="vscode-dark"><div id="app"></div>
<script>window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__toHost(m), getState: () => null, setState: () => undefined });</script>
<script>${js}</script></body></html>`);
    await page.locator('#status').filter({ hasText: `of ${ROWS.toLocaleString('en-US')}` }).waitFor({ timeout: 180_000 });
    await page.locator('.rows .row:not(.loading)').first().waitFor({ timeout: 60_000 });
    console.log(`history views: first rows on screen ${Date.now() - t0} ms after the page loaded (the helper orders ${ROWS.toLocaleString('en-US')} rows once)`);

    // Page-side code as text: tsx's transform would add helpers (__name) the page does not have.
    const run = (mode: 'idle' | 'steady' | 'jumps', frames: number): Promise<FrameStats> => page.evaluate(`(async ({ mode, frames }) => {
      const scroller = document.getElementById('scroller');
      const long = [];
      const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) long.push(e.duration); });
      try { obs.observe({ type: 'longtask', buffered: false }); } catch { /* not supported */ }
      // Long animation frames (Chromium's LoAF): how much of a slow frame was this page's script and its
      // style/layout, and how much was waiting for a core (the machine's load).
      const loaf = [];
      const obs2 = new PerformanceObserver((l) => { for (const e of l.getEntries()) loaf.push({ d: e.duration, script: e.scripts.reduce((t, x) => t + x.duration, 0), layout: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0 }); });
      try { obs2.observe({ type: 'long-animation-frame', buffered: false }); } catch { /* not supported */ }
      const deltas = [];
      let placeholders = 0;
      let seed = 12345;
      const rnd = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
      const max = scroller.scrollHeight - scroller.clientHeight;
      // Half a screen of rows a frame, whether or not the scrollbar is scaled (then a pixel is several rows).
      const viewRows = (scroller.clientHeight - 22) / 22;
      const total = Number(scroller.getAttribute('aria-rowcount')) - 1;
      const stepPx = (viewRows / 2) * max / Math.max(1, total - viewRows);
      await new Promise((done) => {
        let last = performance.now();
        let n = 0;
        const step = (now) => {
          deltas.push(now - last);
          last = now;
          if (document.querySelector('.rows .row.loading:not([hidden])')) placeholders++;
          if (++n > frames) { done(); return; }
          if (mode !== 'idle') scroller.scrollTop = mode === 'steady' ? Math.min(max, scroller.scrollTop + stepPx) : Math.floor(rnd() * max);
          requestAnimationFrame(step);
        };
        requestAnimationFrame((now) => { last = now; requestAnimationFrame(step); });
      });
      obs.disconnect();
      obs2.disconnect();
      const scriptMs = loaf.map((x) => x.script).sort((a, b) => a - b);
      const layoutMs = loaf.map((x) => x.layout).sort((a, b) => a - b);
      deltas.shift();
      const sorted = [...deltas].sort((a, b) => a - b);
      return {
        frames: deltas.length, maxMs: sorted[sorted.length - 1] ?? 0, p95Ms: sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 0,
        over50: deltas.filter((d) => d > 50).length, longTasks: long.length, longestTaskMs: Math.max(0, ...long), placeholderFrames: placeholders,
        loafs: loaf.length, loafScriptMaxMs: scriptMs[scriptMs.length - 1] ?? 0, loafScriptP95Ms: scriptMs[Math.floor(0.95 * (scriptMs.length - 1))] ?? 0,
        loafLayoutMaxMs: layoutMs[layoutMs.length - 1] ?? 0,
      };
    })(${JSON.stringify({ mode, frames })})`);

    const what = { idle: 'no scrolling (the machine\'s baseline)', steady: 'steadily (half a screen a frame)', jumps: 'by jumps (a random position each frame, as a dragged thumb)' };
    for (const [mode, frames] of [['idle', 200], ['steady', 600], ['jumps', 300]] as const) {
      const s = await run(mode, frames);
      console.log(`history views: ${what[mode]} over ${ROWS.toLocaleString('en-US')} rows: ` +
        `${s.frames} frames, longest ${s.maxMs.toFixed(1)} ms, p95 ${s.p95Ms.toFixed(1)} ms, ${s.over50} over 50 ms (target: none); ` +
        `long tasks ${s.longTasks} (longest ${s.longestTaskMs.toFixed(0)} ms); frames showing rows still loading: ${s.placeholderFrames}; ` +
        `long animation frames ${s.loafs}: the page's script in them at most ${s.loafScriptMaxMs.toFixed(1)} ms (p95 ${s.loafScriptP95Ms.toFixed(1)} ms), style+layout+paint at most ${s.loafLayoutMaxMs.toFixed(1)} ms`);
    }
    console.log(`history views: load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${require('node:os').cpus().length} cores while measuring`);
    const sorted = [...pageTimes].sort((a, b) => a - b);
    console.log(`history views: helper pages answered: ${sorted.length}, median ${pct(sorted, 0.5)} ms, p95 ${pct(sorted, 0.95)} ms, longest ${sorted[sorted.length - 1]} ms`);
    const inDom = await page.locator('.rows .row').count();
    console.log(`history views: row elements in the DOM: ${inDom}`);

    // The control: the same steady scroll over a page with no script, a scroller as tall as the table's
    // and as many static rows: what this browser and machine drop by themselves (a 50 ms frame here is
    // three vsyncs that no script of the table's was in).
    const height = await page.evaluate('document.getElementById("scroller").scrollHeight');
    await page.setContent(`<!DOCTYPE html><html><head><style>${THEME}\n${css}</style></head><body class="vscode-dark">
<div id="scroller" style="height:860px;overflow:auto" aria-rowcount="${ROWS + 1}"><div style="height:${Number(height)}px;position:relative">
${Array.from({ length: inDom }, (_, i) => `<div style="position:sticky;top:${i * 22}px;height:22px">${'10.0.0.1:443 → 10.0.0.2:51234 · python3 · 1.2 s · 4.1 kB'.repeat(2)}</div>`).join('')}</div></div></body></html>`);
    const c = await run('steady', 600);
    console.log(`history views: control, a static page scrolled the same way (no script): ${c.frames} frames, longest ${c.maxMs.toFixed(1)} ms, p95 ${c.p95Ms.toFixed(1)} ms, ${c.over50} over 50 ms`);

  } finally {
    await browser?.close().catch(() => undefined);
    await helper?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(`history views bench: ${e instanceof Error ? e.stack : String(e)}`); process.exitCode = 0; });
