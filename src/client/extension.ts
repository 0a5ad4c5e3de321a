// Extension entry point. The runtime (helper connection, Sockets view, language client) is wired
// here; each piece lives in its own module under src/client/.
import * as vscode from 'vscode';
import { activateSsqLanguage } from './language';
import type { SockscopeApi } from './api';

export function activate(context: vscode.ExtensionContext): SockscopeApi {
  const output = vscode.window.createOutputChannel('Sockscope', { log: true });
  context.subscriptions.push(output);
  output.info('Sockscope activated');
  activateSsqLanguage(context, output);
  return { ready: Promise.resolve() };
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
