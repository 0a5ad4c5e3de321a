// Extension entry point. The runtime (helper connection, Sockets view, language client) is wired
// here; each piece lives in its own module under src/client/.
import * as vscode from 'vscode';
import { activateSsqLanguage, createLiveValuesProvider, setLiveValuesProvider } from './language';
import type { SockscopeApi } from './api';
import { createHelperClient } from './connection/helper-ui';
import { registerSocketsView } from './tree/register';
import { helperSocketSource } from './tree/socket-source-adapter';

export function activate(context: vscode.ExtensionContext): SockscopeApi {
  const output = vscode.window.createOutputChannel('Sockscope', { log: true });
  context.subscriptions.push(output);
  output.info('Sockscope activated');
  activateSsqLanguage(context, output);
  // Helper connection + Sockets view (tree, context actions, charts, status bar). The runtime's
  // helper UI (privilege prompts, restart notices) may take over creating the client; the view only
  // needs a SocketSource (src/client/tree/socketSource.ts).
  const helper = createHelperClient(context, output);
  registerSocketsView(context, output, helperSocketSource(helper));
  setLiveValuesProvider(createLiveValuesProvider(helper));
  return { ready: Promise.resolve() };
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
