// The query commands behind the code lenses and the selection command:
//   sockscope.runQuery(QueryRef)            -> the Sockets view shows the result; count and time are reported
//   sockscope.runQueryInTerminal(QueryRef)  -> a terminal running the portable `ss ...` command
//   sockscope.applyQuery(QueryRef)          -> filters the Sockets view with the query
//   sockscope.runSelection()                -> runs the selected text (or the current line) as a query
import * as vscode from 'vscode';
import {
  APPLY_QUERY_COMMAND, RUN_QUERY_COMMAND, RUN_QUERY_IN_TERMINAL_COMMAND, RUN_SELECTION_COMMAND, isQueryRef, type QueryRef,
} from '../../protocol/ssq-commands';
import type { CommandContext, CommandFactories } from '../commands/command-context';
import { VIEW_IDS } from '../commands/command-table';
import { shellQuote, shellWords } from './shell-words';

export interface QueryRunResult {
  count: number;
  elapsedMs: number;
}

const label = (q: QueryRef): string => (q.name ? `[${q.name}]` : 'query');
const focusSocketsView = (): Thenable<unknown> => vscode.commands.executeCommand(`${VIEW_IDS.sockets}.focus`);

/** The portable command line: the server's when known, else the text as written behind `ss`. */
export function ssCommandOf(q: QueryRef): string {
  if (q.ssCommand) return q.ssCommand;
  const words = shellWords(q.text);
  if (words[0] === 'ss') words.shift();
  return ['ss', ...words.map(shellQuote)].join(' ');
}

async function runQuery({ view, output }: CommandContext, arg: unknown): Promise<QueryRunResult | undefined> {
  if (!isQueryRef(arg)) {
    void vscode.window.showErrorMessage('Sockscope: Run needs a query (use the code lens above a query).');
    return undefined;
  }
  try {
    await focusSocketsView();
    const r = await view.runFilter(arg.text);
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

async function applyQuery({ view }: CommandContext, arg: unknown): Promise<void> {
  if (!isQueryRef(arg)) return;
  try {
    await view.applyFilter(arg.text);
    await focusSocketsView();
  } catch (e) {
    void vscode.window.showErrorMessage(`Sockscope: cannot apply ${label(arg)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function runSelection(ctx: CommandContext): Promise<QueryRunResult | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const sel = editor.selection;
  const text = (sel.isEmpty ? editor.document.lineAt(sel.active.line).text : editor.document.getText(sel)).trim();
  if (!text) return undefined;
  const checked = await ctx.language.toSsCommand(text);
  if (!checked.ssCommand) {
    void vscode.window.showErrorMessage(`Sockscope: not a valid ss filter: ${checked.errors.join('; ')}`);
    return undefined;
  }
  return runQuery(ctx, { uri: editor.document.uri.toString(), name: null, text, ssCommand: checked.ssCommand } satisfies QueryRef);
}

export const queryCommands = {
  [RUN_QUERY_COMMAND]: (ctx) => (arg: unknown) => runQuery(ctx, arg),
  [RUN_QUERY_IN_TERMINAL_COMMAND]: () => (arg: unknown) => runInTerminal(arg),
  [APPLY_QUERY_COMMAND]: (ctx) => (arg: unknown) => applyQuery(ctx, arg),
  [RUN_SELECTION_COMMAND]: (ctx) => () => runSelection(ctx),
} satisfies CommandFactories;
