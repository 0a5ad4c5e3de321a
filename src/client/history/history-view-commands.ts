// The commands of the two history webviews: Show Connection Log, Show Timeline, and a snapshot of both
// for end-to-end tests. A command takes `{ path }` (a recording file) or, without it, the recording an
// open panel shows (or time travel's, or the live one), else asks for a file. Panels of one file share
// one source.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { RangePresetId, TimeRange } from '../../protocol/history-webview';
import type { CommandContext, CommandFactories } from '../commands/command-context';
import { ConnectionLogPanel } from './connection-log-panel';
import type { OpenRecording } from './history-client';
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

/**
 * The recording a command shows: `{ path }`, else the one an open view shows, the one time travel is on,
 * the one the Sockets view records into, else a file the user picks. It is opened through TimeTravel, which
 * keeps it open (one helper recording per file, shared with time travel).
 */
async function sourceFor(ctx: CommandContext, arg: HistoryViewArg | undefined): Promise<HistorySource | undefined> {
  const open = openSources();
  const path = typeof arg?.path === 'string' ? arg.path
    : open[0]?.path ?? ctx.history.travel.moment?.path ?? ctx.history.recorder.livePath ?? await ctx.history.travel.pickFile();
  if (!path) return undefined;
  const same = open.find((s) => s.path === path);
  if (same) return same;
  try {
    const reopen = (): Promise<OpenRecording> => ctx.history.travel.open(path);
    return new RecordingSource(await reopen(), basename(path), reopen);
  } catch (e) {
    void vscode.window.showErrorMessage(`Sockscope: cannot open the recording ${path}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

export const historyViewCommands = {
  'sockscope.history.showLog': (ctx) => async (arg?: HistoryViewArg) => {
    const source = await sourceFor(ctx, arg);
    if (!source) return undefined;
    ConnectionLogPanel.show({ extensionUri: ctx.extension.extensionUri, output: ctx.output }, source, { filter: arg?.filter, range: arg?.range, preset: arg?.preset });
    return { recordingId: source.recordingId };
  },

  'sockscope.history.showTimeline': (ctx) => async (arg?: HistoryViewArg) => {
    const source = await sourceFor(ctx, arg);
    if (!source) return undefined;
    TimelinePanel.show({ extensionUri: ctx.extension.extensionUri, output: ctx.output }, source);
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
