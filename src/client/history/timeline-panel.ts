// "Sockscope: Show Timeline": socket counts over time by state for a recording, the whole of it, one
// process or a saved `.ssq` query (the picker lists the processes the recording saw and the named queries
// of the workspace's .ssq files). The brush's buttons run the history commands: the Sockets view at a
// moment, what changed since then, and the connection log of a range.
import * as vscode from 'vscode';
import { parseDocument } from '../../ssq';
import type { TimelineHostToWebview, TimelineScope, TimelineScopeChoice, TimeRange } from '../../protocol/history-webview';
import { webviewHtml } from '../webview-html';
import { ConnectionLogPanel, type HistoryPanelDeps } from './connection-log-panel';
import type { HistorySource } from './history-source';
import { dispatchTimelineMessage } from './log-queries';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const MAX_QUERY_FILES = 50;

/** The named queries of the workspace's .ssq files, by `uri#name` (their ss text, directives left out). */
async function workspaceQueries(): Promise<Map<string, { choice: TimelineScopeChoice; text: string }>> {
  const out = new Map<string, { choice: TimelineScopeChoice; text: string }>();
  const files = await vscode.workspace.findFiles('**/*.ssq', '**/node_modules/**', MAX_QUERY_FILES);
  for (const uri of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      continue;
    }
    for (const q of parseDocument(text).queries) {
      if (!q.name || q.parsed.diagnostics.some((d) => d.severity === 'error') || !q.joinedText.trim()) continue;
      const scope: TimelineScope = { kind: 'query', uri: uri.toString(), name: q.name };
      out.set(`${scope.uri}#${q.name}`, { choice: { scope, label: `[${q.name}] ${vscode.workspace.asRelativePath(uri)}`, detail: q.joinedText.trim() }, text: q.joinedText.trim() });
    }
  }
  return out;
}

export class TimelinePanel implements vscode.Disposable {
  static readonly viewType = 'sockscope.timeline';
  static readonly open = new Set<TimelinePanel>();

  readonly panel: vscode.WebviewPanel;
  private ready = false;
  private queries = new Map<string, { choice: TimelineScopeChoice; text: string }>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The last series posted (end-to-end tests read it). */
  lastSeries: { from: number; to: number; states: string[] } | undefined;

  static show(deps: HistoryPanelDeps, source: HistorySource): TimelinePanel {
    for (const p of TimelinePanel.open) if (p.source.recordingId === source.recordingId) { p.panel.reveal(); return p; }
    return new TimelinePanel(deps, source);
  }

  private constructor(private readonly deps: HistoryPanelDeps, readonly source: HistorySource) {
    this.panel = vscode.window.createWebviewPanel(TimelinePanel.viewType, `Timeline: ${source.label}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist')],
    });
    this.panel.webview.html = webviewHtml(this.panel.webview, deps.extensionUri, { bundle: 'timeline', title: 'Timeline', loading: 'Loading the timeline…' });
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      this.panel.onDidDispose(() => this.dispose()),
    );
    TimelinePanel.open.add(this);
  }

  dispose(): void {
    if (!TimelinePanel.open.delete(this)) return;
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }

  private post(m: TimelineHostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }

  private async postInit(): Promise<void> {
    const [span, processes, queries] = await Promise.all([
      this.source.span().catch((e: unknown) => { this.deps.output.warn(`timeline: span: ${errorText(e)}`); return null; }),
      this.source.processes().catch((e: unknown) => { this.deps.output.warn(`timeline: processes: ${errorText(e)}`); return []; }),
      workspaceQueries().catch(() => new Map<string, { choice: TimelineScopeChoice; text: string }>()),
    ]);
    this.queries = queries;
    const scopes: TimelineScopeChoice[] = [
      { scope: { kind: 'all' }, label: 'All sockets' },
      ...processes.slice(0, 300).map((p) => ({
        scope: { kind: 'process', pid: p.pid } as const, label: `${p.command ?? '?'} (${p.pid})`,
        detail: `${p.sockets.toLocaleString('en-US')} socket${p.sockets === 1 ? '' : 's'} recorded, ${new Date(p.from).toLocaleString()} to ${new Date(p.to).toLocaleString()}`,
      })),
      ...[...queries.values()].slice(0, 150).map((q) => q.choice),
    ];
    this.post({ type: 'init', recordingId: this.source.recordingId, recordingLabel: this.source.label, span, scopes, scope: { kind: 'all' } });
  }

  private queryText(scope: TimelineScope): string | undefined {
    return scope.kind === 'query' ? this.queries.get(`${scope.uri}#${scope.name}`)?.text : undefined;
  }

  private onMessage(raw: unknown): void {
    dispatchTimelineMessage(raw, {
      ready: () => { this.ready = true; void this.postInit(); },
      load: (m) => void this.load(m.requestId, m.scope, m.from, m.to, m.buckets),
      showMoment: (m) => void this.run('sockscope.history.showMoment', { recordingId: this.source.recordingId, at: m.at }),
      compareWithNow: (m) => void this.run('sockscope.history.compareWithNow', { recordingId: this.source.recordingId, at: m.at }),
      showLog: (m) => this.showLog(m.range, m.scope),
      log: (m) => this.deps.output.info(`timeline webview: ${m.message}`),
    }, (bad) => this.deps.output.warn(`timeline webview: ignored malformed message ${JSON.stringify(bad)?.slice(0, 200)}`));
  }

  private async load(requestId: number, scope: TimelineScope, from: number, to: number, buckets: number): Promise<void> {
    const queryText = this.queryText(scope);
    if (scope.kind === 'query' && queryText === undefined) {
      this.post({ type: 'error', requestId, message: `the query [${scope.name}] is not in the workspace any more` });
      return;
    }
    try {
      const series = await this.source.timeline({ range: { from, to }, buckets, scope, queryText });
      this.lastSeries = { from, to, states: series.states.map((s) => s.state) };
      this.post({ type: 'series', requestId, from, to, series });
    } catch (e) {
      this.post({ type: 'error', requestId, message: errorText(e) });
    }
  }

  private async run(command: string, arg: unknown): Promise<void> {
    try {
      await vscode.commands.executeCommand(command, arg);
    } catch (e) {
      void vscode.window.showErrorMessage(`Sockscope: ${errorText(e)}`);
    }
  }

  private showLog(range: TimeRange, scope: TimelineScope): void {
    ConnectionLogPanel.show(this.deps, this.source, { range, preset: null, filter: this.queryText(scope) ?? '' });
  }
}
