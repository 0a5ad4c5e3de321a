// Extension entry point: creates the long-lived parts once and hands them to the command registry
// (src/client/commands/registry.ts). Each piece lives in its own module under src/client/.
import * as vscode from 'vscode';
import type { SockscopeApi } from './api';
import { registerCommands } from './commands/registry';
import { createHelperClient } from './connection/helper-ui';
import { createLiveValuesProvider, SsqLanguage } from './language';
import { createSocketsView } from './tree/sockets-view-setup';
import { helperSocketSource } from './tree/socket-source-adapter';
import { startFollowing } from './follow/follow-setup';
import { FindingsView } from './findings/findings-view';
import { HealthMonitor } from './health/health-monitor';
import { LiveRecorder } from './history/live-recording';
import { TimeTravel } from './history/time-travel';

// Activation (package.json activationEvents): onStartupFinished, not only when the Sockscope
// container opens, because the Findings badge must show without opening anything, and only a
// running extension sets it. With the container closed that costs one helper and a findings dump
// every 30 s (src/client/findings/findings-view.ts); see README "Activation".
export function activate(context: vscode.ExtensionContext): SockscopeApi {
  const output = vscode.window.createOutputChannel('Sockscope', { log: true });
  output.info('Sockscope activated');
  const helper = createHelperClient(context, output);
  const source = helperSocketSource(helper);
  const view = createSocketsView(context, output, source);
  const findings = new FindingsView(helper, view, output);
  const language = new SsqLanguage(context, createLiveValuesProvider(helper));
  const health = new HealthMonitor(helper, view, output);
  context.subscriptions.push(output, language, findings, health);
  const follow = startFollowing(context, output, source, view);
  const recorder = new LiveRecorder(helper, view, output);
  context.subscriptions.push(follow.service.onDidResolve((pids) => recorder.sampleProcesses(pids)));
  const travel = new TimeTravel(helper, view, source, recorder);
  context.subscriptions.push(recorder, travel);
  registerCommands({ extension: context, output, helper, source, view, findings, language, health, follow, history: { recorder, travel }, charts: { extensionUri: context.extensionUri, source, output, sampled: recorder } });
  language.start().catch((e: unknown) => output.error(`ssq language server failed to start: ${e instanceof Error ? e.message : String(e)}`));
  return { ready: Promise.resolve() };
}

export function deactivate(): void {
  // Disposables registered on the context are released by VS Code.
}
