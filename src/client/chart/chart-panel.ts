// "Chart tcp_info": a webview panel plotting live tcp_info of one or several sockets. The host
// samples each socket by exact lookup (cookie) at `sockscope.chart.sampleRate`, keeps a bounded
// history (for Export CSV and a reloaded webview) and posts only new rows to the webview.
// A chart of a recorded socket (Chart on a closed connection in the connection log) shows the tcp_info
// samples the recording kept of it (`tcp_samples`: it was charted or followed then), and samples nothing.
import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import type { NetnsRef } from '../../protocol/helper-protocol';
import type { Counter, SocketRecord } from '../../protocol/socket-record';
import type { ChartRow, ChartSocket, HostToWebview } from '../../protocol/webview-messages';
import type { SocketSource } from '../tree/socket-source';
import { socketLabel } from '../tree/model-format';
import { ChartHistory } from './chart-history';
import { metricVector, sampleIntervalMs } from './chart-metrics';
import { chartHtml } from './chart-html';
import { dispatchWebviewMessage } from './webview-dispatch';
import type { SampledSockets } from '../history/live-recording';

export interface ChartDeps {
  extensionUri: vscode.Uri;
  source: SocketSource;
  output: vscode.OutputChannel;
  /** The history recorder: a charted socket's tcp_info is also recorded while the chart is open. */
  sampled?: Pick<SampledSockets, 'sample'>;
}

/** A recorded socket's samples, for a chart that only shows them. */
export interface RecordedChart {
  socket: ChartSocket;
  /** Oldest first; `info` as the recording stored tcp_info. */
  samples: ReadonlyArray<{ at: number; info: Record<string, unknown> }>;
}

/** A stored tcp_info as the chart's metrics read it (numbers and numeric strings only). */
function recordedRow(cookie: string, at: number, info: Record<string, unknown>): ChartRow {
  const tcpInfo: Record<string, Counter> = {};
  for (const [k, v] of Object.entries(info)) if (typeof v === 'number' || typeof v === 'string') tcpInfo[k] = v;
  return { t: at, values: { [cookie]: metricVector({ tcpInfo }) } };
}

export class ChartPanel implements vscode.Disposable {
  static readonly viewType = 'sockscope.tcpInfoChart';
  /** Open panels (end-to-end tests inspect them). */
  static readonly open = new Set<ChartPanel>();

  readonly panel: vscode.WebviewPanel;
  readonly history: ChartHistory;
  private timer: ReturnType<typeof setInterval> | undefined;
  private paused = false;
  private ready = false;
  private sampling = false;
  private readonly keys: Map<string, SocketRecord>;
  private readonly disposables: vscode.Disposable[] = [];

  static show(deps: ChartDeps, sockets: SocketRecord[], netns?: NetnsRef): ChartPanel {
    return new ChartPanel(deps, sockets, netns);
  }

  /** The recorded samples of a socket (no live sampling). */
  static showRecorded(deps: Omit<ChartDeps, 'source' | 'sampled'>, recorded: RecordedChart): ChartPanel {
    return new ChartPanel(deps, [], undefined, recorded);
  }

  private constructor(private readonly deps: Omit<ChartDeps, 'source'> & { source?: SocketSource }, sockets: SocketRecord[], private readonly netns?: NetnsRef, recorded?: RecordedChart) {
    this.keys = new Map(sockets.map((s) => [s.cookie, s]));
    this.history = new ChartHistory(recorded ? [recorded.socket] : sockets.map((s) => ({ cookie: s.cookie, label: socketLabel(s) })));
    if (recorded) {
      const { cookie } = recorded.socket;
      for (const x of recorded.samples) this.history.push(recordedRow(cookie, x.at, x.info));
      this.history.markClosed(cookie, recorded.samples[recorded.samples.length - 1]?.at ?? Date.now());
    }
    const roots = [vscode.Uri.joinPath(deps.extensionUri, 'dist'), vscode.Uri.joinPath(deps.extensionUri, 'media')];
    const title = recorded ? `tcp_info (recorded) ${recorded.socket.label}`
      : sockets.length === 1 ? `tcp_info ${socketLabel(sockets[0]).replace(/^\S+ /, '')}` : `tcp_info: ${sockets.length} sockets`;
    this.panel = vscode.window.createWebviewPanel(ChartPanel.viewType, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: roots,
    });
    this.panel.webview.html = chartHtml(this.panel.webview, deps.extensionUri);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      this.panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sockscope.chart.sampleRate') && !recorded) this.restartTimer();
      }),
    );
    ChartPanel.open.add(this);
    if (recorded) return;
    deps.sampled?.sample(sockets, true);
    this.restartTimer();
  }

  get intervalMs(): number {
    return sampleIntervalMs(vscode.workspace.getConfiguration('sockscope').get('chart.sampleRate'));
  }

  get isPaused(): boolean { return this.paused; }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.post({ type: 'paused', paused });
  }

  dispose(): void {
    if (!ChartPanel.open.delete(this)) return;
    if (this.timer) clearInterval(this.timer);
    this.deps.sampled?.sample([...this.keys.values()], false);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }

  private restartTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    if (this.ready) this.postInit();
    void this.sample();
  }

  private post(m: HostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }

  private postInit(): void {
    this.post({ type: 'init', sockets: [...this.history.sockets], sampleIntervalMs: this.intervalMs, paused: this.paused });
  }

  private onMessage(raw: unknown): void {
    dispatchWebviewMessage(raw, {
      ready: () => {
        this.ready = true;
        this.postInit();
        // A reloaded webview gets the history once (in chunks); normally it is empty here.
        const rows = this.history.all();
        for (let i = 0; i < rows.length; i += 2000) this.post({ type: 'rows', rows: rows.slice(i, i + 2000) });
        for (const s of this.history.sockets) if (this.history.isClosed(s.cookie)) this.post({ type: 'closed', cookie: s.cookie, t: Date.now() });
      },
      setPaused: (m) => this.setPaused(m.paused),
      exportCsv: () => void this.exportCsv(),
      log: (m) => this.deps.output.appendLine(`chart webview: ${m.message}`),
    }, (bad) => this.deps.output.appendLine(`chart webview: ignored malformed message ${JSON.stringify(bad)?.slice(0, 200)}`));
  }

  private async sample(): Promise<void> {
    const source = this.deps.source;
    if (this.paused || this.sampling || this.history.allClosed || !source) return;
    this.sampling = true;
    try {
      const t = Date.now();
      const values: ChartRow['values'] = {};
      await Promise.all([...this.keys.values()].map(async (key) => {
        if (this.history.isClosed(key.cookie)) return;
        try {
          const rec = await source.lookup(key, this.netns);
          // A TIME-WAIT record is the kernel's leftover of a closed socket (same cookie, no tcp_info).
          if (rec && rec.state !== 'TIME-WAIT') {
            values[key.cookie] = metricVector(rec);
          } else {
            values[key.cookie] = null;
            if (this.history.markClosed(key.cookie, t)) this.post({ type: 'closed', cookie: key.cookie, t });
          }
        } catch (e) {
          this.deps.output.appendLine(`chart: lookup ${key.cookie} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }));
      if (Object.keys(values).length) {
        const row = { t, values };
        this.history.push(row);
        this.post({ type: 'rows', rows: [row] });
      }
    } finally {
      this.sampling = false;
    }
  }

  async exportCsv(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const uri = target ?? await vscode.window.showSaveDialog({
      title: 'Export tcp_info samples as CSV',
      filters: { CSV: ['csv'] },
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? '/tmp'), `tcp_info-${this.history.sockets[0]?.cookie ?? 'sockets'}.csv`),
    });
    if (!uri) return undefined;
    await writeFile(uri.fsPath, this.history.toCsv(), 'utf8');
    if (!target) void vscode.window.showInformationMessage(`Sockscope: wrote ${this.history.length} samples to ${uri.fsPath}`);
    return uri;
  }
}
