// The commands of the two history webviews: Show Connection Log, Show Timeline, and a snapshot of both
// for end-to-end tests. A command takes `{ path }` (a recording file) or, without it, the recording an
// open panel shows, else asks for a file. Panels of one file share one open recording, closed in the
// helper when the last of them closes.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { RangePresetId, TimeRange } from '../../protocol/history-webview';
import type { CommandContext, CommandFactories } from '../commands/command-context';
import { ConnectionLogPanel } from './connection-log-panel';
import { HistoryClient } from './history-client';
import type { HistorySource } from './history-source';
import { RecordingSource } from './recording-source';
import { TimelinePanel } from './timeline-panel';

export interface HistoryViewArg {
  /** An absolute path to a recording. */
  path?: string;
  filter?: string;
  range?: TimeRange;
  preset?: RangePresetId | null;
}

function openSources(): HistorySource[] {
  return [...[...ConnectionLogPanel.open].map((p) => p.source), ...[...TimelinePanel.open].map((p) => p.source)];
}

function defaultRecordingFolder(): vscode.Uri {
  const state = process.env.XDG_STATE_HOME || (process.env.HOME ? `${process.env.HOME}/.local/state` : '/tmp');
  return vscode.Uri.file(`${state}/sockscope`);
}

async function sourceFor(ctx: CommandContext, arg: HistoryViewArg | undefined): Promise<HistorySource | undefined> {
  const open = openSources();
  let path: string | undefined = typeof arg?.path === 'string' ? arg.path : open[0]?.path;
  if (!path) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Sockscope: the recording to show', canSelectMany: false, openLabel: 'Show',
      defaultUri: defaultRecordingFolder(), filters: { 'Sockscope recordings': ['db', 'sqlite', 'sqlite3'], 'All files': ['*'] },
    });
    path = picked?.[0]?.fsPath;
    if (!path) return undefined;
  }
  const same = open.find((s) => s.path === path);
  if (same) return same;
  try {
    const rec = await new HistoryClient(ctx.helper).open(path);
    return new RecordingSource(rec, basename(path));
  } catch (e) {
    void vscode.window.showErrorMessage(`Sockscope: cannot open the recording ${path}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** Closes a recording in the helper once no panel shows it. */
function closeWhenUnused(panel: { panel: vscode.WebviewPanel }, source: HistorySource): void {
  panel.panel.onDidDispose(() => {
    setTimeout(() => { if (!openSources().includes(source)) void source.close(); }, 0);
  });
}

export const historyViewCommands = {
  'sockscope.history.showLog': (ctx) => async (arg?: HistoryViewArg) => {
    const source = await sourceFor(ctx, arg);
    if (!source) return undefined;
    const known = ConnectionLogPanel.open.size;
    const panel = ConnectionLogPanel.show({ extensionUri: ctx.extension.extensionUri, output: ctx.output }, source, { filter: arg?.filter, range: arg?.range, preset: arg?.preset });
    if (ConnectionLogPanel.open.size > known) closeWhenUnused(panel, source);
    return { recordingId: source.recordingId };
  },

  'sockscope.history.showTimeline': (ctx) => async (arg?: HistoryViewArg) => {
    const source = await sourceFor(ctx, arg);
    if (!source) return undefined;
    const known = TimelinePanel.open.size;
    const panel = TimelinePanel.show({ extensionUri: ctx.extension.extensionUri, output: ctx.output }, source);
    if (TimelinePanel.open.size > known) closeWhenUnused(panel, source);
    return { recordingId: source.recordingId };
  },

  'sockscope.history.viewsSnapshot': () => async (opts?: { exportCsv?: string }) => {
    const log = [...ConnectionLogPanel.open][0];
    const exported = log && opts?.exportCsv ? await log.exportCsv(undefined, vscode.Uri.file(opts.exportCsv)) : undefined;
    return {
      logs: [...ConnectionLogPanel.open].map((p) => ({ recordingId: p.source.recordingId, answer: p.lastAnswer, query: p.currentQuery })),
      timelines: [...TimelinePanel.open].map((p) => ({ recordingId: p.source.recordingId, series: p.lastSeries })),
      exported: exported ? { path: exported.uri.fsPath, rows: exported.rows } : undefined,
    };
  },
} satisfies CommandFactories;
