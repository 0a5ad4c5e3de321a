// Starts following what VS Code runs (debug sessions, tasks, closed terminals) into the Sockets view.
import * as vscode from 'vscode';
import type { SocketSource } from '../tree/socket-source';
import type { SocketsView } from '../tree/sockets-view';
import { portOwner } from './attach-target';
import { followDebugSessions, type PortOwner, followTasks, unfollowClosedTerminals } from './debug-follow';
import { FollowService } from './follow-service';
import { FollowTargets } from './follow-targets';

/** The process listening on a local port, from the helper's listing of every process with its ports. */
function ownerOf(source: SocketSource): PortOwner | undefined {
  const list = source.processes?.bind(source);
  return list ? async (port) => portOwner((await list({ all: true })).processes, port) : undefined;
}

export function startFollowing(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, source: SocketSource, view: SocketsView): { targets: FollowTargets; service: FollowService } {
  const targets = new FollowTargets();
  const interval = (): number => vscode.workspace.getConfiguration('sockscope').get<number>('refreshInterval', 2) * 1000 || 2000;
  const service = new FollowService(targets, source, { setPinned: (g, extras) => view.setPinned(g, extras), onDidUpdate: (l) => view.onDidUpdate(l) }, (m) => output.info(m), interval);
  context.subscriptions.push(service, followDebugSessions(targets, (m) => output.info(m), ownerOf(source)), followTasks(targets), unfollowClosedTerminals(targets));
  return { targets, service };
}
