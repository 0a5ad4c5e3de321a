// Starts the ssq language server (dist/server.js) and answers its `sockscope/liveValues` requests
// through a provider the Sockets view / helper code supplies with setLiveValuesProvider().
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { LIVE_VALUES_METHOD, isLiveValueKind, type LiveValue, type LiveValueKind, type LiveValuesResult, type SsqInitializationOptions } from '../../protocol/live-values';
import { TO_SS_COMMAND_METHOD, type ToSsCommandParams, type ToSsCommandResult } from '../../protocol/ssq-commands';

export type LiveValuesProvider = (kind: LiveValueKind) => Promise<LiveValue[]> | LiveValue[];

let liveValuesProvider: LiveValuesProvider | undefined;
let client: LanguageClient | undefined;

/** Supplies live values (listening ports, peers, interfaces, netns, cgroups) to completions and hovers. */
export function setLiveValuesProvider(provider: LiveValuesProvider | undefined): void {
  liveValuesProvider = provider;
}

/** The running client, if started (for tests and other modules). */
export function getSsqLanguageClient(): LanguageClient | undefined {
  return client;
}

async function answerLiveValues(params: unknown): Promise<LiveValuesResult> {
  const kind = (params as { kind?: unknown } | null)?.kind;
  if (!liveValuesProvider || !isLiveValueKind(kind)) return { values: [] };
  try {
    return { values: await liveValuesProvider(kind) };
  } catch {
    return { values: [] };
  }
}

/** Starts the server over IPC; `SOCKSCOPE_SSQ_TRANSPORT=stdio` switches to stdio. */
export async function startSsqLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const transport = process.env.SOCKSCOPE_SSQ_TRANSPORT === 'stdio' ? TransportKind.stdio : TransportKind.ipc;
  const serverOptions: ServerOptions = {
    run: { module, transport },
    debug: { module, transport, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: SsqInitializationOptions = { liveValues: true };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'ssq' }],
    initializationOptions,
  };
  client = new LanguageClient('sockscope.ssq', 'Sockscope ssq language server', serverOptions, clientOptions);
  client.onRequest(LIVE_VALUES_METHOD, answerLiveValues);
  await client.start();
  context.subscriptions.push({ dispose: () => void client?.stop() });
  return client;
}

/** Asks the server for the portable `ss` command of free text (used by "Run ss filter from selection"). */
export async function toSsCommand(text: string): Promise<ToSsCommandResult> {
  if (!client) return { ssCommand: null, errors: ['The ssq language server is not running.'] };
  const params: ToSsCommandParams = { text };
  return client.sendRequest<ToSsCommandResult>(TO_SS_COMMAND_METHOD, params);
}
