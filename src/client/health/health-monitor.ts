// Health checks in VS Code: the named queries with thresholds (`@warn`, `@error`) of the workspace's
// `.ssq` files are evaluated by the helper (one dump for all, in the Sockets view's namespace) at each
// refresh (`sockscope.refreshInterval`); the status bar shows the worst state and its query; a crossing
// into warn or error raises one notification (health-alerts.ts) whose button opens the query's
// sockets; a code lens above each such query shows its current value and state.
import * as vscode from 'vscode';
import type { HelperClient } from '../connection/helper-client';
import type { SocketsView } from '../tree/sockets-view';
import { HELPER_REQUESTS } from '../../protocol/helper-requests';
import type { HealthQueryResult } from '../../protocol/helper-protocol';
import { RUN_QUERY_COMMAND, type QueryRef } from '../../protocol/ssq-commands';
import type { CommandId } from '../commands/command-table';
import { HealthAlerts, type Crossing } from './health-alerts';

/** A line that makes a file worth sending: a directive (the helper does the real parsing). */
const HAS_DIRECTIVE = /^\s*@(warn|error)\b/m;
const MAX_FILES = 64;
const MAX_BYTES = 256 * 1024;

export const SHOW_HEALTH_COMMAND: CommandId = 'sockscope.showHealth';

const ICON = { ok: '$(pass)', warn: '$(warning)', error: '$(error)' } as const;
const keyOf = (q: { uri: string; name: string }): string => `${q.uri}#${q.name}`;

/** The code lens title: `$(warning) warn · 850 sockets · p99(rtt) 31ms`. */
export function lensTitle(q: HealthQueryResult): string {
  const parts = [`${ICON[q.state]} ${q.state}`, `${q.count} socket${q.count === 1 ? '' : 's'}`];
  for (const m of q.measures.slice(1)) parts.push(`${m.key} ${m.text}`);
  if (q.holding.length) parts.push(q.holding.join(', '));
  return parts.join(' · ');
}

export interface HealthSnapshot {
  queries: HealthQueryResult[];
  errors: string[];
  statusText: string | undefined;
  /** Notifications shown so far, oldest first (tests read them). */
  notifications: string[];
}

export class HealthMonitor implements vscode.Disposable, vscode.CodeLensProvider {
  private readonly status = vscode.window.createStatusBarItem('sockscope.health', vscode.StatusBarAlignment.Left, 49);
  private readonly alerts = new HealthAlerts();
  private readonly lensEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensEmitter.event;
  private readonly updateEmitter = new vscode.EventEmitter<void>();
  /** Fires after each evaluation (tests wait on it). */
  readonly onDidUpdate = this.updateEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** `.ssq` files that have directives: uri -> text (the editor's text while a file is open). */
  private readonly files = new Map<string, string>();
  private results: HealthQueryResult[] = [];
  private errors: string[] = [];
  private readonly shown: string[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private lastError = '';

  constructor(private readonly helper: HelperClient, private readonly view: SocketsView, private readonly output: vscode.LogOutputChannel) {
    this.status.name = 'Sockscope health checks';
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.ssq');
    this.disposables.push(
      this.status, this.lensEmitter, this.updateEmitter, watcher,
      vscode.languages.registerCodeLensProvider({ language: 'ssq' }, this),
      watcher.onDidCreate((u) => void this.readFile(u)),
      watcher.onDidChange((u) => void this.readFile(u)),
      watcher.onDidDelete((u) => { this.files.delete(u.toString()); void this.evaluate(); }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.document.languageId === 'ssq') this.setText(e.document.uri.toString(), e.document.getText()); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('sockscope.refreshInterval')) this.schedule(); }),
    );
    void this.scan().then(() => this.schedule());
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const seconds = vscode.workspace.getConfiguration('sockscope').get<number>('refreshInterval', 2);
    if (seconds > 0) this.timer = setInterval(() => void this.evaluate(), Math.max(seconds, 0.5) * 1000);
    void this.evaluate();
  }

  private async scan(): Promise<void> {
    const uris = await vscode.workspace.findFiles('**/*.ssq', '**/node_modules/**', 500);
    await Promise.all(uris.map((u) => this.readFile(u, false)));
  }

  private async readFile(uri: vscode.Uri, evaluate = true): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let text: string;
    try {
      text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.files.delete(uri.toString());
      return;
    }
    this.setText(uri.toString(), text, evaluate);
  }

  private setText(uri: string, text: string, evaluate = true): void {
    const had = this.files.has(uri);
    if (HAS_DIRECTIVE.test(text) && text.length <= MAX_BYTES) this.files.set(uri, text);
    else this.files.delete(uri);
    if (evaluate && (had || this.files.has(uri))) void this.evaluate();
  }

  /** One evaluation (concurrent callers share the running one). */
  evaluate(): Promise<void> {
    this.running ??= this.run().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async run(): Promise<void> {
    const files = [...this.files].slice(0, MAX_FILES).map(([uri, text]) => ({ uri, text }));
    if (!files.length) {
      this.apply([], []);
      return;
    }
    try {
      const netns = this.view.netns;
      const r = await this.helper.request(HELPER_REQUESTS.health, { files, ...(netns ? { netns } : {}) });
      this.lastError = '';
      this.apply(r.queries, r.errors);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (msg !== this.lastError) this.output.warn(`health checks: ${msg}`);
      this.lastError = msg;
    }
  }

  private apply(queries: HealthQueryResult[], errors: string[]): void {
    this.results = queries;
    if (errors.join('\n') !== this.errors.join('\n')) for (const e of errors) this.output.warn(`health checks: ${e}`);
    this.errors = errors;
    this.renderStatus();
    this.lensEmitter.fire();
    for (const c of this.alerts.update(queries.map((q) => ({ key: keyOf(q), state: q.state })))) this.notify(c);
    this.updateEmitter.fire();
  }

  private worst(): HealthQueryResult | undefined {
    const rank = { ok: 0, warn: 1, error: 2 } as const;
    let w: HealthQueryResult | undefined;
    for (const q of this.results) if (!w || rank[q.state] > rank[w.state]) w = q;
    return w;
  }

  private renderStatus(): void {
    const w = this.worst();
    if (!w) { this.status.hide(); return; }
    const n = this.results.length;
    if (w.state === 'ok') {
      this.status.text = `${ICON.ok} ${n} check${n === 1 ? '' : 's'} ok`;
      this.status.backgroundColor = undefined;
      this.status.command = { command: SHOW_HEALTH_COMMAND, title: 'Show Health Checks' };
    } else {
      const others = this.results.filter((q) => q !== w && q.state !== 'ok').length;
      this.status.text = `${ICON[w.state]} ${w.name}: ${w.state}${others ? ` (+${others})` : ''}`;
      this.status.backgroundColor = new vscode.ThemeColor(w.state === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
      this.status.command = { command: RUN_QUERY_COMMAND, title: 'Show Sockets', arguments: [this.queryRef(w)] };
    }
    const tip = new vscode.MarkdownString('**Sockscope health checks**\n\n');
    for (const q of this.results) tip.appendMarkdown(`- ${ICON[q.state]} \`${q.name}\`: ${q.summary.slice(q.name.length + 1)}\n`);
    tip.supportThemeIcons = true;
    this.status.tooltip = tip;
    this.status.accessibilityInformation = { label: `Sockscope health: ${w.state === 'ok' ? 'all checks ok' : `${w.name} is in ${w.state}`}` };
    this.status.show();
  }

  private queryRef(q: HealthQueryResult): QueryRef {
    return { uri: q.uri, name: q.name, text: q.text };
  }

  private notify(c: Crossing): void {
    const q = this.results.find((r) => keyOf(r) === c.key);
    if (!q) return;
    const message = `Sockscope: [${q.name}] is in ${c.level}: ${q.count} socket${q.count === 1 ? '' : 's'} (${q.holding.join(', ')})`;
    this.shown.push(message);
    this.output.info(message);
    const shown = c.level === 'error' ? vscode.window.showErrorMessage(message, 'Show Sockets') : vscode.window.showWarningMessage(message, 'Show Sockets');
    void shown.then((choice) => {
      if (choice === 'Show Sockets') void vscode.commands.executeCommand(RUN_QUERY_COMMAND, this.queryRef(q));
    });
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const uri = document.uri.toString();
    return this.results.filter((q) => q.uri === uri && q.line < document.lineCount).map((q) => new vscode.CodeLens(
      document.lineAt(q.line).range,
      { title: lensTitle(q), tooltip: q.summary, command: RUN_QUERY_COMMAND, arguments: [this.queryRef(q)] },
    ));
  }

  /** A quick pick of every check; the chosen one's sockets open in the Sockets view. */
  async pick(): Promise<void> {
    await this.evaluate();
    if (!this.results.length) {
      void vscode.window.showInformationMessage('Sockscope: no health checks (add `@warn` / `@error` lines to a named query in a .ssq file).');
      return;
    }
    const chosen = await vscode.window.showQuickPick(this.results.map((q) => ({ label: `${ICON[q.state]} ${q.name}`, description: q.summary.slice(q.name.length + 1), q })), { title: 'Sockscope health checks' });
    if (chosen) await vscode.commands.executeCommand(RUN_QUERY_COMMAND, this.queryRef(chosen.q));
  }

  snapshot(): HealthSnapshot {
    return { queries: this.results, errors: this.errors, statusText: this.results.length ? this.status.text : undefined, notifications: [...this.shown] };
  }
}

export const healthCommands = {
  'sockscope.showHealth': (ctx) => () => ctx.health.pick(),
  'sockscope.health.snapshot': (ctx) => async (opts?: { evaluate?: boolean }) => {
    if (opts?.evaluate) await ctx.health.evaluate();
    return ctx.health.snapshot();
  },
} satisfies import('../commands/command-context').CommandFactories;
