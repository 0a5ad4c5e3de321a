// Recording while the Sockets view watches, from the extension's side: the settings
// (sockscope.history.*), the file, and the helper's recorder following the live view.
//
// The file is the user's: the extension host (running as the user) makes the folder (0700) and the
// file (0600) before it asks the helper to record, and the helper, which may run as root, opens only
// that existing file (src/helper/history-recording.ts). The default path is the one `sockscope
// record` and `sockscope log` use, so the CLI reads what VS Code recorded. A write that fails (disk
// full, read-only or damaged file) stops the recording with one warning; the Sockets view goes on.
import * as vscode from 'vscode';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { HISTORY_REQUESTS, defaultHistoryPathIn } from '../../protocol/history-requests';
import type { HelperClient } from '../connection/helper-client';
import type { SocketsView } from '../tree/sockets-view';

export interface RecordingSettings {
  enabled: boolean;
  path: string;
  maxAgeMs: number;
  maxBytes: number;
}

/** The settings as the recorder uses them (written once in package.json's contributes). */
export function recordingSettings(): RecordingSettings {
  const c = vscode.workspace.getConfiguration('sockscope.history');
  const configured = (c.get<string>('path') ?? '').trim().replace(/^~(?=\/|$)/, homedir());
  const hours = c.get<number>('maxAge', 24);
  const mb = c.get<number>('maxSize', 256);
  return {
    enabled: c.get<boolean>('enabled', true),
    path: configured || defaultHistoryPathIn(process.env.XDG_STATE_HOME, homedir()),
    maxAgeMs: Math.round(Math.min(Math.max(hours, 0.02), 24 * 366) * 3600_000),
    maxBytes: Math.round(Math.min(Math.max(mb, 1), 1024 * 1024) * 1024 * 1024),
  };
}

/** Makes the folder (0700) and the file (0600) as this process's user; an existing file is kept as it is. */
export function ensureRecordingFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

export interface RecordingState {
  path: string;
  enabled: boolean;
  recording: boolean;
  kernelEvents: boolean;
  viewId: string | undefined;
  lastError: string | undefined;
}

export class LiveRecorder implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private settings = recordingSettings();
  private viewId: string | undefined;
  private recording = false;
  private kernelEvents = false;
  private lastError: string | undefined;
  private warned = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly helper: HelperClient, private readonly view: SocketsView, private readonly output: vscode.LogOutputChannel) {
    this.disposables.push(
      view.onDidChangeLiveView((id) => { this.viewId = id; if (id) this.sync(); }),
      helper.onDidRestart(() => { this.recording = false; this.sync(); }),
      helper.onHistoryStopped((p) => { this.recording = false; this.fail(p.message); }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('sockscope.history')) return;
        const before = this.settings;
        this.settings = recordingSettings();
        if (before.path !== this.settings.path || before.maxAgeMs !== this.settings.maxAgeMs || before.maxBytes !== this.settings.maxBytes) this.recording = false;
        this.lastError = undefined;
        this.sync(true);
      }),
    );
    this.viewId = view.liveViewId;
    this.sync();
  }

  get state(): RecordingState {
    return { path: this.settings.path, enabled: this.settings.enabled, recording: this.recording, kernelEvents: this.kernelEvents, viewId: this.viewId, lastError: this.lastError };
  }

  /** The file recorded into now (undefined when not recording). */
  get livePath(): string | undefined { return this.recording ? this.settings.path : undefined; }

  /** Brings the helper's recorder in line with the settings and the live view (one change at a time). */
  private sync(restart = false): void {
    this.queue = this.queue.then(() => this.apply(restart)).catch((e: unknown) => this.fail(e instanceof Error ? e.message : String(e)));
  }

  private async apply(restart: boolean): Promise<void> {
    const s = this.settings;
    if (!s.enabled || restart) {
      if (this.recording || restart) await this.helper.request(HISTORY_REQUESTS['history/stopRecording'], undefined).catch(() => undefined);
      this.recording = false;
      if (!s.enabled) { this.output.info('History: recording is off (sockscope.history.enabled)'); return; }
    }
    const viewId = this.viewId;
    if (!viewId || this.lastError) return;
    ensureRecordingFile(s.path);
    const r = await this.helper.request(HISTORY_REQUESTS['history/record'], {
      path: s.path, viewId, maxAgeMs: s.maxAgeMs, maxBytes: s.maxBytes, ...(this.view.netns ? { netns: this.view.netns } : {}),
    });
    if (!this.recording) {
      this.output.info(`History: recording the Sockets view into ${s.path} (${r.kernelEvents ? 'closes from the kernel\'s destroy events' : 'closes seen at refreshes; connections shorter than a refresh can be missed'})`);
    }
    this.recording = true;
    this.kernelEvents = r.kernelEvents;
  }

  /** One clear message (Output and a warning, once per message); recording stops, the view goes on. */
  private fail(message: string): void {
    this.recording = false;
    this.lastError = message;
    this.output.warn(`History: recording stopped: ${message}`);
    if (this.warned.has(message)) return;
    this.warned.add(message);
    void vscode.window.showWarningMessage(`Sockscope: socket history is not being recorded: ${message}`, 'Open Settings').then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'sockscope.history');
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
