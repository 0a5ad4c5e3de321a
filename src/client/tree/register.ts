// Wires the Sockets view, its commands, the status bar item and the "Apply to Sockets view"
// hook of the .ssq language support. Called once from activate() with the helper connection.
import * as vscode from 'vscode';
import type { QueryRef } from '../../protocol/ssqCommands';
import { registerSocketCommands } from '../commands/socketCommands';
import { setQueryApplier } from '../language';
import { SocketsStatusBar } from '../status';
import type { SocketSource } from './socketSource';
import { SocketsView } from './socketsView';

export interface SocketsViewApi {
  readonly view: SocketsView;
  /** Filters the view with ss filter text ('' clears); throws when the text does not parse. */
  applyFilter(text: string): Promise<void>;
}

export function registerSocketsView(context: vscode.ExtensionContext, output: vscode.OutputChannel, source: SocketSource): SocketsViewApi {
  const view = new SocketsView(source, output);
  const status = new SocketsStatusBar();
  view.addListener(status);
  context.subscriptions.push(view, status);
  registerSocketCommands(context, view, { extensionUri: context.extensionUri, source, output });
  try {
    context.subscriptions.push(vscode.commands.registerCommand('sockscope.refresh', () => view.refresh()));
  } catch {
    output.appendLine('sockscope.refresh is registered elsewhere');
  }
  const applyFilter = (text: string): Promise<void> => view.applyFilter(text);
  setQueryApplier(async (q: QueryRef) => {
    try {
      await applyFilter(q.text);
      await vscode.commands.executeCommand('sockscope.sockets.focus');
    } catch (e) {
      void vscode.window.showErrorMessage(`Sockscope: cannot apply ${q.name ? `[${q.name}]` : 'query'}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  context.subscriptions.push({ dispose: () => setQueryApplier(undefined) });
  return { view, applyFilter };
}
