// What command handlers get: the extension's long-lived parts, passed in once by activate() instead of
// module-level setters. A handler factory takes this and returns the function VS Code calls.
import type * as vscode from 'vscode';
import type { ChartDeps } from '../chart/chart-panel';
import type { HelperClient } from '../connection/helper-client';
import type { SsqLanguage } from '../language/client';
import type { SocketSource } from '../tree/socket-source';
import type { SocketsView } from '../tree/sockets-view';
import type { HealthMonitor } from '../health/health-monitor';
import type { FindingsView } from '../findings/findings-view';
import type { CommandId } from './command-table';
import type { FollowService } from '../follow/follow-service';
import type { FollowTargets } from '../follow/follow-targets';
import type { LiveRecorder } from '../history/live-recording';
import type { TimeTravel } from '../history/time-travel';

export interface CommandContext {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly helper: HelperClient;
  readonly source: SocketSource;
  readonly view: SocketsView;
  readonly findings: FindingsView;
  readonly charts: ChartDeps;
  readonly language: SsqLanguage;
  /** What the Sockets view follows (debug sessions, tasks, terminals, processes) and the service that pins them. */
  readonly follow: { readonly targets: FollowTargets; readonly service: FollowService };
  readonly health: HealthMonitor;
  /** Recording while the Sockets view watches, and time travel over recordings. */
  readonly history: { readonly recorder: LiveRecorder; readonly travel: TimeTravel };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own arguments; VS Code passes unknown[]
export type CommandHandler = (...args: any[]) => unknown;
export type CommandFactory = (ctx: CommandContext) => CommandHandler;

/** A module's share of the registry: only known ids (an unknown one is a compile error). */
export type CommandFactories = Partial<Record<CommandId, CommandFactory>>;
