// The query commands behind the code lenses and the selection command:
//   sockscope.runQuery(QueryRef)            -> the runner the Sockets view supplies, else the CLI fallback
//   sockscope.runQueryInTerminal(QueryRef)  -> a terminal running the portable `ss ...` command
//   sockscope.applyQuery(QueryRef)          -> the applier the Sockets view supplies (filters the view)
//   sockscope.runSelection()                -> runs the selected text (or the current line) as a query
import * as vscode from 'vscode';
import {
  APPLY_QUERY_COMMAND, RUN_QUERY_COMMAND, RUN_QUERY_IN_TERMINAL_COMMAND, RUN_SELECTION_COMMAND, isQueryRef, type QueryRef,
} from '../../protocol/ssqCommands';
import { runCli } from './cliRunner';
import { toSsCommand } from './client';
import { shellQuote, shellWords } from './shellWords';

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

async function runQuery(context: vscode.ExtensionContext, output: vscode.OutputChannel, arg: unknown): Promise<void> {
  if (!isQueryRef(arg)) {
    void vscode.window.showErrorMessage('Sockscope: Run needs a query (use the code lens above a query).');
    return;
  }
  if (queryRunner) {
    const r = await queryRunner(arg);
    if (r) void vscode.window.setStatusBarMessage(`Sockscope: ${label(arg)}: ${r.count} sockets in ${r.elapsedMs} ms`, 5000);
    return;
  }
  try {
    const r = await runCli(context.extensionPath, arg.text);
    output.appendLine(`${label(arg)} ${arg.text}: ${r.count} sockets in ${r.elapsedMs} ms`);
    const pick = vscode.window.createQuickPick();
    pick.title = `${label(arg)}: ${r.count} sockets in ${r.elapsedMs} ms`;
    pick.items = r.lines.slice(0, 1000).map((l) => ({ label: l }));
    pick.onDidHide(() => pick.dispose());
    pick.show();
  } catch (e) {
    void vscode.window.showErrorMessage(`Sockscope: ${label(arg)} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function runInTerminal(arg: unknown): void {
  if (!isQueryRef(arg)) return;
  const terminal = vscode.window.createTerminal({ name: `ss ${arg.name ?? ''}`.trim() });
  terminal.show();
  terminal.sendText(ssCommandOf(arg), true);
}

async function applyQuery(context: vscode.ExtensionContext, output: vscode.OutputChannel, arg: unknown): Promise<void> {
  if (!isQueryRef(arg)) return;
  if (queryApplier) {
    await queryApplier(arg);
    return;
  }
  // No Sockets view wired yet: at least show the result.
  await runQuery(context, output, arg);
}

async function runSelection(context: vscode.ExtensionContext, output: vscode.OutputChannel): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const sel = editor.selection;
  const text = (sel.isEmpty ? editor.document.lineAt(sel.active.line).text : editor.document.getText(sel)).trim();
  if (!text) return;
  const checked = await toSsCommand(text);
  if (!checked.ssCommand) {
    void vscode.window.showErrorMessage(`Sockscope: not a valid ss filter: ${checked.errors.join('; ')}`);
    return;
  }
  await runQuery(context, output, { uri: editor.document.uri.toString(), name: null, text, ssCommand: checked.ssCommand } satisfies QueryRef);
}

export function registerQueryCommands(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(RUN_QUERY_COMMAND, (arg: unknown) => runQuery(context, output, arg)),
    vscode.commands.registerCommand(RUN_QUERY_IN_TERMINAL_COMMAND, (arg: unknown) => runInTerminal(arg)),
    vscode.commands.registerCommand(APPLY_QUERY_COMMAND, (arg: unknown) => applyQuery(context, output, arg)),
    vscode.commands.registerCommand(RUN_SELECTION_COMMAND, () => runSelection(context, output)),
  );
}
