// The .ssq language support of the extension: the language client and the query commands.
import type * as vscode from 'vscode';
import { startSsqLanguageClient } from './client';
import { registerQueryCommands } from './query-commands';

export { setLiveValuesProvider, getSsqLanguageClient, type LiveValuesProvider } from './client';
export { createLiveValuesProvider, type LiveSocketSource } from './live-values-provider';
export { setQueryRunner, setQueryApplier, type QueryRunner, type QueryApplier, type QueryRunResult } from './query-commands';

export function activateSsqLanguage(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  registerQueryCommands(context, output);
  startSsqLanguageClient(context).catch((e: unknown) => {
    output.appendLine(`ssq language server failed to start: ${e instanceof Error ? e.message : String(e)}`);
  });
}
