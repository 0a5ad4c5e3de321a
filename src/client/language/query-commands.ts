// The query commands behind the code lenses and the selection command:
//   sockscope.runQuery(QueryRef)            -> the Sockets view shows the result; count and time are reported
//   sockscope.runQueryInTerminal(QueryRef)  -> a terminal running the portable `ss ...` command
//   sockscope.applyQuery(QueryRef)          -> the applier the Sockets view supplies (filters the view)
//   sockscope.runSelection()                -> runs the selected text (or the current line) as a query
import * as vscode from 'vscode';
import {
  APPLY_QUERY_COMMAND, RUN_QUERY_COMMAND, RUN_QUERY_IN_TERMINAL_COMMAND, RUN_SELECTION_COMMAND, isQueryRef, type QueryRef,
} from '../../protocol/ssq-commands';
import { toSsCommand } from './client';
import { shellQuote, shellWords } from './shell-words';

export interface QueryRunResult {
  count: number;
  elapsedMs: number;
}

/** Shows a query's result (e.g. in the Sockets view); may return the count and time to report. */
export type QueryRunner = (query: QueryRef) => Promise<QueryRunResult | void> | QueryRunResult | void;
/** Applies a query as the Sockets view's filter. */
export type QueryApplier = (query: QueryRef) => Promise<void> | void;

let queryRunner: QueryRunner | undefined;
let queryApplier: QueryApplier | undefined;

export function setQueryRunner(fn: QueryRunner | undefined): void {
  queryRunner = fn;
}

export function setQueryApplier(fn: QueryApplier | undefined): void {
  queryApplier = fn;
}

const label = (q: QueryRef): string => (q.name ? `[${q.name}]` : 'query');

/** The portable command line: the server's when known, else the text as written behind `ss`. */
export function ssCommandOf(q: QueryRef): string {
  if (q.ssCommand) return q.ssCommand;
  const words = shellWords(q.text);
  if (words[0] === 'ss') words.shift();
  return ['ss', ...words.map(shellQuote)].join(' ');
}

/** The last result of "Run", for end-to-end tests and the status bar message. */
export let lastRunResult: (QueryRunResult & { query: QueryRef }) | undefined;

async function runQuery(output: vscode.OutputChannel, arg: unknown): Promise<QueryRunResult | undefined> {
  if (!isQueryRef(arg)) {
    void vscode.window.showErrorMessage('Sockscope: Run needs a query (use the code lens above a query).');
    return undefined;
  }
  if (!queryRunner) {
    void vscode.window.showErrorMessage('Sockscope: the Sockets view is not available to show the result.');
    return undefined;
  }
  try {
    const r = await queryRunner(arg);
    if (!r) return undefined;
    lastRunResult = { ...r, query: arg };
    const message = `${label(arg)}: ${r.count} socket${r.count === 1 ? '' : 's'} in ${r.elapsedMs} ms`;
    output.appendLine(`Run ${message} (${arg.text})`);
    vscode.window.setStatusBarMessage(`Sockscope: ${message}`, 10_000);
    return r;
  } catch (e) {
    void vscode.window.showErrorMessage(`Sockscope: ${label(arg)} failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

function runInTerminal(arg: unknown): void {
  if (!isQueryRef(arg)) return;
  const terminal = vscode.window.createTerminal({ name: `ss ${arg.name ?? ''}`.trim() });
  terminal.show();
  terminal.sendText(ssCommandOf(arg), true);
}

async function applyQuery(arg: unknown): Promise<void> {
  if (!isQueryRef(arg)) return;
  if (queryApplier) await queryApplier(arg);
  else void vscode.window.showErrorMessage('Sockscope: the Sockets view is not available to apply the query.');
}

async function runSelection(output: vscode.OutputChannel): Promise<QueryRunResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const sel = editor.selection;
  const text = (sel.isEmpty ? editor.document.lineAt(sel.active.line).text : editor.document.getText(sel)).trim();
  if (!text) return undefined;
  const checked = await toSsCommand(text);
  if (!checked.ssCommand) {
    void vscode.window.showErrorMessage(`Sockscope: not a valid ss filter: ${checked.errors.join('; ')}`);
    return undefined;
  }
  return runQuery(output, { uri: editor.document.uri.toString(), name: null, text, ssCommand: checked.ssCommand } satisfies QueryRef);
}

export function registerQueryCommands(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(RUN_QUERY_COMMAND, (arg: unknown) => runQuery(output, arg)),
    vscode.commands.registerCommand(RUN_QUERY_IN_TERMINAL_COMMAND, (arg: unknown) => runInTerminal(arg)),
    vscode.commands.registerCommand(APPLY_QUERY_COMMAND, (arg: unknown) => applyQuery(arg)),
    vscode.commands.registerCommand(RUN_SELECTION_COMMAND, () => runSelection(output)),
  );
}
