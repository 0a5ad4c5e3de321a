// "Sockscope: Show Connection Log": a webview table of a recording's connections. The page asks for a
// query (filter, range, sort) and then for the pages it shows; this panel checks the filter with the
// shared parser (so errors say where and why before the helper sees them), passes both to the
// HistorySource and posts the answers back tagged with the page's query id. Export CSV streams pages
// into the chosen file.
import * as vscode from 'vscode';
import {
  DEFAULT_LOG_SORT, type LogHostToWebview, type LogQuery, type LogTableRow, type RangePresetId, type TimeRange,
} from '../../protocol/history-webview';
import { ChartPanel } from '../chart/chart-panel';
import { webviewHtml } from '../webview-html';
import type { HistorySource } from './history-source';
import { exportLogCsv } from './log-export';
import { dispatchLogMessage, rowFilter } from './log-queries';
import { LogResponder } from './log-responder';

export interface HistoryPanelDeps {
  extensionUri: vscode.Uri;
  output: vscode.LogOutputChannel;
}

export interface LogOpenOptions {
  filter?: string;
  range?: TimeRange;
  preset?: RangePresetId | null;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class ConnectionLogPanel implements vscode.Disposable {
  static readonly viewType = 'sockscope.connectionLog';
  /** Open panels (end-to-end tests inspect them). */
  static readonly open = new Set<ConnectionLogPanel>();

  readonly panel: vscode.WebviewPanel;
  private ready = false;
  private readonly responder: LogResponder;
  private readonly disposables: vscode.Disposable[] = [];

  static show(deps: HistoryPanelDeps, source: HistorySource, options: LogOpenOptions = {}): ConnectionLogPanel {
    // One table per recording: a second Show reuses it with the new range.
    for (const p of ConnectionLogPanel.open) {
      if (p.source.recordingId === source.recordingId) {
        p.options = options;
        p.panel.reveal();
        if (p.ready) void p.postInit();
        return p;
      }
    }
    return new ConnectionLogPanel(deps, source, options);
  }

  private constructor(private readonly deps: HistoryPanelDeps, readonly source: HistorySource, private options: LogOpenOptions) {
    this.panel = vscode.window.createWebviewPanel(ConnectionLogPanel.viewType, `Connection Log: ${source.label}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist')],
    });
    this.panel.webview.html = webviewHtml(this.panel.webview, deps.extensionUri, { bundle: 'connection-log', title: 'Connection log', loading: 'Loading the connection log…' });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      this.panel.onDidDispose(() => this.dispose()),
    );
    this.responder = new LogResponder(source, (m) => this.post(m), (m) => deps.output.warn(m));
    ConnectionLogPanel.open.add(this);
  }

  /** The page's current query and what its answer said (end-to-end tests read them). */
  get currentQuery(): LogQuery | undefined { return this.responder.current; }
  get lastAnswer(): LogResponder['lastAnswer'] { return this.responder.lastAnswer; }

  dispose(): void {
    if (!ConnectionLogPanel.open.delete(this)) return;
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }

  private post(m: LogHostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }

  private async postInit(): Promise<void> {
    let span: TimeRange | null = null;
    try {
      span = await this.source.span();
    } catch (e) {
      this.deps.output.warn(`connection log: span of ${this.source.label}: ${errorText(e)}`);
    }
    const range = this.options.range ?? { from: null, to: null };
    const preset = this.options.preset !== undefined ? this.options.preset : this.options.range ? null : '1h';
    this.post({ type: 'init', recordingLabel: this.source.label, span, filter: this.options.filter ?? '', range, preset, sort: DEFAULT_LOG_SORT });
  }

  private onMessage(raw: unknown): void {
    dispatchLogMessage(raw, {
      ready: () => { this.ready = true; void this.postInit(); },
      query: (m) => void this.responder.runQuery(m),
      fetchPage: (m) => void this.responder.fetchPage(m.queryId, m.offset, m.limit),
      exportCsv: (m) => void this.exportCsv(m.queryId),
      rowAction: (m) => void this.rowAction(m.action, m.row),
      log: (m) => this.deps.output.info(`connection log webview: ${m.message}`),
    }, (bad) => this.deps.output.warn(`connection log webview: ignored malformed message ${JSON.stringify(bad)?.slice(0, 200)}`));
  }

  /** Export CSV of the page's current query (or of `queryId`'s, which must be current) to `target` or a picked file. */
  async exportCsv(queryId?: number, target?: vscode.Uri): Promise<{ uri: vscode.Uri; rows: number } | undefined> {
    const q = this.responder.current;
    if (!q || (queryId !== undefined && q.queryId !== queryId)) return undefined;
    const uri = target ?? await vscode.window.showSaveDialog({
      title: 'Export the connection log as CSV',
      filters: { CSV: ['csv'] },
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? '/tmp'), 'connection-log.csv'),
    });
    if (!uri) return undefined;
    try {
      const rows = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Sockscope: exporting the connection log', cancellable: true }, (progress, token) => {
        let last = 0;
        return exportLogCsv(this.source, { filter: q.filter.trim(), range: q.range, sort: q.sort }, uri.fsPath, (done, total) => {
          const pct = total ? (done / total) * 100 : 100;
          progress.report({ increment: pct - last, message: `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows` });
          last = pct;
        }, () => token.isCancellationRequested);
      });
      this.post({ type: 'status', message: `exported ${rows.toLocaleString('en-US')} rows to ${uri.fsPath}`, error: false });
      return { uri, rows };
    } catch (e) {
      void vscode.window.showErrorMessage(`Sockscope: export to ${uri.fsPath} failed: ${errorText(e)}`);
      this.post({ type: 'status', message: `export failed: ${errorText(e)}`, error: true });
      return undefined;
    }
  }

  /** A closed connection's chart: the tcp_info the recording kept of it (it was charted or followed then). */
  private async chartRecorded(row: LogTableRow, closedAt: number): Promise<void> {
    let samples: Awaited<ReturnType<NonNullable<HistorySource['samples']>>> = [];
    try {
      samples = (await this.source.samples?.(row.id)) ?? [];
    } catch (e) {
      this.post({ type: 'status', message: `tcp_info samples: ${errorText(e)}`, error: true });
      return;
    }
    if (!samples.length) {
      this.post({ type: 'status', message: `this connection closed at ${new Date(closedAt).toLocaleString()} and the recording kept no tcp_info of it (it keeps it for charted and followed sockets): only a socket still open can be charted`, error: true });
      return;
    }
    const peer = row.peerAddress === null ? '' : ` → ${row.peerAddress}:${row.peerPort}`;
    ChartPanel.showRecorded(this.deps, { socket: { cookie: row.cookie ?? `${row.id.toString(16)}`, label: `${row.netid} ${row.localAddress}:${row.localPort}${peer}` }, samples });
    this.post({ type: 'status', message: `charted ${samples.length} recorded tcp_info samples`, error: false });
  }

  private async rowAction(action: 'showInSockets' | 'chart' | 'copyFilter', row: LogTableRow): Promise<void> {
    const filter = rowFilter(row);
    if (action === 'copyFilter') {
      if (!filter) { this.post({ type: 'status', message: `ss has no address filter for a ${row.netid} socket`, error: true }); return; }
      await vscode.env.clipboard.writeText(filter);
      this.post({ type: 'status', message: `copied: ${filter}`, error: false });
      return;
    }
    if (action === 'chart' && row.closedAt !== null) {
      await this.chartRecorded(row, row.closedAt);
      return;
    }
    if (!filter) { this.post({ type: 'status', message: `the Sockets view cannot filter to a ${row.netid} socket`, error: true }); return; }
    try {
      // Both actions show the connection in the Sockets view; Chart then charts it by its cookie.
      await vscode.commands.executeCommand('sockscope.filter', filter);
      await vscode.commands.executeCommand('sockscope.sockets.focus');
      if (action === 'chart') {
        const charted = row.cookie ? await vscode.commands.executeCommand('sockscope.chartTcpInfo', { cookie: row.cookie }) : undefined;
        if (!charted) this.post({ type: 'status', message: 'this socket is not open any more (or the Sockets view does not list it): nothing to chart', error: true });
      } else {
        this.post({ type: 'status', message: `Sockets view filtered: ${filter}`, error: false });
      }
    } catch (e) {
      this.post({ type: 'status', message: errorText(e), error: true });
    }
  }
}
