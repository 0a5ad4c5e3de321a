// Time travel in VS Code: Open Recording…, Show Sockets at This Moment (the Sockets view shows a
// recorded moment through MomentSource, marked as history and read only), Return to Live, and Compare
// with Now / Compare Two Moments (a plain-text report). A recording is the live one (the file the
// recorder writes) or one opened from a file, from this machine or another: reading it needs no
// kernel access, only the helper's history/* requests.
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { homedir } from 'node:os';
import type { CommandFactories } from '../commands/command-context';
import type { HelperClient } from '../connection/helper-client';
import type { SocketSource } from '../tree/socket-source';
import type { SocketsView } from '../tree/sockets-view';
import { compareReport } from './compare-report';
import { HistoryClient, type OpenRecording } from './history-client';
import type { LiveRecorder } from './live-recording';
import { MomentSource } from './moment-source';
import { momentLabel, parseMomentText } from './moment-time';
import { compareResultOf } from './recording-source';

/** `sockscope.history.showMoment`'s argument (the timeline webview passes it). */
export interface MomentArg {
  recordingId?: string;
  /** Milliseconds since the epoch. */
  at?: number;
  /** A recording file instead of an id. */
  path?: string;
}

export class TimeTravel implements vscode.Disposable {
  private readonly client: HistoryClient;
  /** Recordings this module opened, by file. */
  private readonly opened = new Map<string, OpenRecording>();
  /** The recording Open Recording… chose last (time travel's default over the live one). */
  private chosen: string | undefined;
  private shown: { source: MomentSource; label: string } | undefined;
  private readonly status = vscode.window.createStatusBarItem('sockscope.history', vscode.StatusBarAlignment.Left, 99);

  constructor(helper: HelperClient, private readonly view: SocketsView, private readonly live: SocketSource, private readonly recorder: LiveRecorder) {
    this.client = new HistoryClient(helper);
    this.status.name = 'Sockscope History';
    this.status.command = 'sockscope.history.returnToLive';
    // A restarted helper has forgotten every open recording.
    helper.onDidRestart(() => { this.opened.clear(); });
  }

  /** The moment the Sockets view shows, or undefined when live. */
  get moment(): { recordingId: string; at: number; shownAt: number | null; label: string; path: string } | undefined {
    const s = this.shown;
    return s ? { recordingId: s.source.recording.id, at: s.source.at, shownAt: s.source.shownAt, label: s.label, path: s.source.recording.path } : undefined;
  }

  /** Opens (or reuses) a recording file in the helper; a live one is opened again so its span is current. */
  async open(path: string): Promise<OpenRecording> {
    const known = this.opened.get(path);
    if (known && !known.info.live) return known;
    const rec = known ? await known.refresh() : await this.client.open(path);
    this.opened.set(path, rec);
    return rec;
  }

  async pickFile(): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: 'Sockscope: Open Recording', canSelectMany: false, openLabel: 'Open Recording',
      defaultUri: await this.pickerFolder(),
      filters: { 'Sockscope recordings': ['db', 'sqlite', 'sqlite3'], 'All files': ['*'] },
    });
    return picked?.[0]?.fsPath;
  }

  /**
   * Where the file dialog starts: the live recording's folder, or (before anything was recorded there,
   * the folder not made yet) the workspace's folder, else the home folder, so the dialog never opens
   * on an empty listing of a folder that does not exist.
   */
  private async pickerFolder(): Promise<vscode.Uri> {
    const candidates = [
      vscode.Uri.file(dirname(this.recorder.state.path)),
      vscode.workspace.workspaceFolders?.[0]?.uri,
      vscode.Uri.file(homedir()),
    ];
    for (const uri of candidates) {
      if (!uri) continue;
      const isFolder = await vscode.workspace.fs.stat(uri).then((s) => (s.type & vscode.FileType.Directory) !== 0, () => false);
      if (isFolder) return uri;
    }
    return vscode.Uri.file('/');
  }

  /** Which recording a command without a path works on: the one opened last, else the live one. */
  private async current(): Promise<OpenRecording> {
    return this.open(this.chosen ?? this.recorder.state.path);
  }

  async recordingFor(arg: MomentArg | undefined): Promise<OpenRecording> {
    if (arg?.recordingId) {
      for (const r of this.opened.values()) if (r.id === arg.recordingId) return r;
      return this.client.borrow(arg.recordingId);
    }
    if (arg?.path) return this.open(arg.path);
    return this.current();
  }

  /** A time over the recording's span: presets back from its end, its start, or a typed time. */
  async pickTime(rec: OpenRecording, title: string): Promise<number | undefined> {
    const { from, to } = rec.info;
    if (from === null || to === null) { void vscode.window.showInformationMessage(`Sockscope: ${basename(rec.path) || 'the recording'} has no refreshes yet.`); return undefined; }
    const items: Array<vscode.QuickPickItem & { at?: number }> = [];
    for (const [label, back] of [['1 minute ago', 60_000], ['5 minutes ago', 300_000], ['15 minutes ago', 900_000], ['1 hour ago', 3600_000]] as const) {
      const at = to - back;
      if (at >= from) items.push({ label, description: momentLabel(at), at });
    }
    items.push({ label: 'Start of the recording', description: momentLabel(from), at: from }, { label: 'End of the recording', description: momentLabel(to), at: to });
    items.push({ label: 'Enter a time…', description: '5m (ago), 14:03:20 (today), or 2026-12-01T22:00:00' });
    const pick = await vscode.window.showQuickPick(items, { title, placeHolder: `Recorded ${momentLabel(from)} to ${momentLabel(to)}` });
    if (!pick) return undefined;
    if (pick.at !== undefined) return pick.at;
    const text = await vscode.window.showInputBox({
      title, prompt: 'A time: 5m (ago), 14:03:20 (today), or an ISO 8601 date and time',
      validateInput: (t) => (parseMomentText(t) === undefined ? 'Not a time: try 5m, 14:03:20 or 2026-12-01T22:00:00' : undefined),
    });
    return text === undefined ? undefined : parseMomentText(text);
  }

  /** Shows the recorded moment in the Sockets view. */
  async showMoment(rec: OpenRecording, at: number): Promise<{ recordingId: string; at: number | null; total: number }> {
    const first = await rec.moment({ at, limit: 1 });
    const label = first.at === null ? `before ${momentLabel(at)}` : momentLabel(first.at);
    const source = new MomentSource(rec, at, { live: this.live });
    this.shown = { source, label };
    await this.view.showHistory(source, label);
    this.status.text = `$(history) History · ${label}`;
    this.status.tooltip = `The Sockets view shows ${rec.path || 'a recording'} at ${first.at === null ? 'a time before its first refresh' : new Date(first.at).toISOString()} (read only). Click to return to live.`;
    this.status.show();
    void vscode.commands.executeCommand('sockscope.sockets.focus').then(undefined, () => undefined);
    return { recordingId: rec.id, at: first.at, total: first.total };
  }

  async returnToLive(): Promise<void> {
    this.shown = undefined;
    this.status.hide();
    await this.view.showHistory(undefined);
  }

  async compare(rec: OpenRecording, from: number, to: number | 'now'): Promise<vscode.TextDocument> {
    const r = compareResultOf(await rec.compare({ from: Math.floor(from), to }));
    const label = basename(rec.path) || rec.id;
    const doc = await vscode.workspace.openTextDocument({ content: compareReport(label, r, from), language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  choose(path: string): void { this.chosen = path; }

  dispose(): void {
    this.status.dispose();
    for (const r of this.opened.values()) void r.close();
    this.opened.clear();
  }
}

const failed = (what: string) => (e: unknown): undefined => {
  void vscode.window.showErrorMessage(`Sockscope: ${what}: ${e instanceof Error ? e.message : String(e)}`);
  return undefined;
};

export const timeTravelCommands = {
  /** Opens a recording file (read only); with `{ path }` no dialog. Then offers what to show of it. */
  'sockscope.history.openRecording': ({ history }) => async (arg?: { path?: string }) => {
    const path = typeof arg?.path === 'string' ? arg.path : await history.travel.pickFile();
    if (!path) return undefined;
    try {
      const rec = await history.travel.open(path);
      history.travel.choose(path);
      const info = { recordingId: rec.id, path, from: rec.info.from, to: rec.info.to, sockets: rec.info.sockets, closed: rec.info.closed };
      if (arg?.path) return info;
      const pick = await vscode.window.showQuickPick([
        { label: '$(history) Show Sockets at a Moment…', command: 'sockscope.history.showMoment', arg: { recordingId: rec.id } },
        { label: '$(list-flat) Show Connection Log', command: 'sockscope.history.showLog', arg: { path } },
        { label: '$(graph) Show Timeline', command: 'sockscope.history.showTimeline', arg: { path } },
      ], { title: `${basename(path)}: ${rec.info.sockets} sockets, ${rec.info.closed} closed connections`, placeHolder: 'What to show of the recording' });
      if (pick) await vscode.commands.executeCommand(pick.command, pick.arg);
      return info;
    } catch (e) {
      return failed(`cannot open the recording ${path}`)(e);
    }
  },

  /** `{ recordingId, at }` (the timeline) or `{ path, at }`; without `at`, a time picked over the recording. */
  'sockscope.history.showMoment': ({ history }) => async (arg?: MomentArg) => {
    try {
      const rec = await history.travel.recordingFor(arg);
      const at = typeof arg?.at === 'number' ? arg.at : await history.travel.pickTime(rec, 'Show Sockets at This Moment');
      return at === undefined ? undefined : await history.travel.showMoment(rec, at);
    } catch (e) {
      return failed('cannot show the recorded moment')(e);
    }
  },

  'sockscope.history.returnToLive': ({ history }) => () => history.travel.returnToLive(),

  /** The moment shown (or `{ recordingId | path, at }`, or a picked time) against the recording's last refresh. */
  'sockscope.history.compareWithNow': ({ history }) => async (arg?: MomentArg) => {
    try {
      const shown = history.travel.moment;
      const rec = arg?.recordingId || arg?.path || !shown ? await history.travel.recordingFor(arg) : await history.travel.recordingFor({ recordingId: shown.recordingId });
      const at = typeof arg?.at === 'number' ? arg.at : shown && !arg?.recordingId && !arg?.path ? shown.at : await history.travel.pickTime(rec, 'Compare with Now: the earlier moment');
      if (at === undefined) return undefined;
      return (await history.travel.compare(rec, at, 'now')).getText();
    } catch (e) {
      return failed('cannot compare')(e);
    }
  },

  /** Two moments of one recording, picked (or `{ recordingId | path, from, to }`). */
  'sockscope.history.compareMoments': ({ history }) => async (arg?: MomentArg & { from?: number; to?: number }) => {
    try {
      const rec = await history.travel.recordingFor(arg);
      const from = typeof arg?.from === 'number' ? arg.from : await history.travel.pickTime(rec, 'Compare Two Moments: the first');
      if (from === undefined) return undefined;
      const to = typeof arg?.to === 'number' ? arg.to : await history.travel.pickTime(rec, 'Compare Two Moments: the second');
      if (to === undefined) return undefined;
      return (await history.travel.compare(rec, Math.min(from, to), Math.max(from, to))).getText();
    } catch (e) {
      return failed('cannot compare')(e);
    }
  },

  'sockscope.history.recordingSnapshot': ({ history }) => () => ({ ...history.recorder.state, moment: history.travel.moment }),
} satisfies CommandFactories;
