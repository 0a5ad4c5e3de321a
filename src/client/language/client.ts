// Starts the ssq language server (dist/server.js) and answers its `sockscope/liveValues` requests
// from the provider it is given.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LIVE_VALUES, type LiveValue, type LiveValueKind, type LiveValuesResult, type SsqInitializationOptions } from '../../protocol/live-values';
import { onRequest, sendRequest } from '../../protocol/message-type';
import { TO_SS_COMMAND, type ToSsCommandResult } from '../../protocol/ssq-commands';

export type LiveValuesProvider = (kind: LiveValueKind) => Promise<LiveValue[]> | LiveValue[];

/** The .ssq language client: started once by activate(), asked by commands. */
export class SsqLanguage implements vscode.Disposable {
  private client: LanguageClient | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly liveValues: LiveValuesProvider) {}

  /** Starts the server over IPC; `SOCKSCOPE_SSQ_TRANSPORT=stdio` switches to stdio. */
  async start(): Promise<void> {
    const module = this.context.asAbsolutePath(path.join('dist', 'server.js'));
    const transport = process.env.SOCKSCOPE_SSQ_TRANSPORT === 'stdio' ? TransportKind.stdio : TransportKind.ipc;
    const serverOptions: ServerOptions = {
      run: { module, transport },
      debug: { module, transport, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const initializationOptions: SsqInitializationOptions = { liveValues: true };
    const clientOptions: LanguageClientOptions = { documentSelector: [{ language: 'ssq' }], initializationOptions };
    const client = new LanguageClient('sockscope.ssq', 'Sockscope ssq language server', serverOptions, clientOptions);
    onRequest(client, LIVE_VALUES, (params) => this.answerLiveValues(params.kind));
    this.client = client;
    await client.start();
  }

  private async answerLiveValues(kind: LiveValueKind): Promise<LiveValuesResult> {
    try {
      return { values: await this.liveValues(kind) };
    } catch {
      return { values: [] };
    }
  }

  /** Asks the server for the portable `ss` command of free text (used by "Run ss filter from selection"). */
  async toSsCommand(text: string): Promise<ToSsCommandResult> {
    if (!this.client) return { ssCommand: null, errors: ['The ssq language server is not running.'] };
    return sendRequest(this.client, TO_SS_COMMAND, { text });
  }

  dispose(): void {
    void this.client?.stop();
  }
}
