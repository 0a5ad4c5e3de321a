// Recording while the Sockets view watches, from the extension's side: the settings
// (sockscope.history.*), the file, and the helper's recorder following the live view.
//
// The file is the user's: the extension host (running as the user) makes the folder (0700) and the
// file (0600) before it asks the helper to record, and the helper, which may run as root, opens only
// that existing file (src/helper/history-recording.ts). The default path is the one `sockscope
// record` and `sockscope log` use, so the CLI reads what VS Code recorded. A write that fails (disk
// full, read-only or damaged file) stops the recording with one warning; the Sockets view goes on.
//
// Samples: the tcp_info of charted sockets (ChartPanel) and of the followed processes' sockets
// (FollowService) is kept at each refresh (`tcp_samples`). The helper keeps that set across its
// recordings; this side keeps it too (charts counted per socket) and gives it again to a restarted helper.
import * as vscode from 'vscode';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { SocketKey } from '../../protocol/helper-protocol';
import { HISTORY_REQUESTS, HistoryLimits, defaultHistoryPathIn } from '../../protocol/history-requests';
import { keyOf, type HelperClient } from '../connection/helper-client';
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

/** What charts and following tell the recorder (ChartDeps.sampled, the follow service's pids). */
export interface SampledSockets {
  /** A chart opened (on) or closed (off) on these sockets. */
  sample(sockets: readonly SocketKey[], on: boolean): void;
  /** The followed processes now. */
  sampleProcesses(pids: readonly number[]): void;
}

export class LiveRecorder implements vscode.Disposable, SampledSockets {
  private readonly disposables: vscode.Disposable[] = [];
  private settings = recordingSettings();
  private viewId: string | undefined;
  private recording = false;
  private kernelEvents = false;
  private lastError: string | undefined;
  private warned = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  /** Charted sockets by cookie, with how many charts show each. */
  private readonly charted = new Map<string, { key: SocketKey; charts: number }>();
  private followedPids: number[] = [];
  private pausedByHide = false;

  constructor(private readonly helper: HelperClient, private readonly view: SocketsView, private readonly output: vscode.LogOutputChannel) {
    this.disposables.push(
      view.onDidChangeLiveView((id) => {
        // Hidden (or showing a recorded moment): the view stops watching, so nothing new is recorded until
        // it watches again (said once each way).
        if (!id && this.viewId && this.recording) { this.output.info('History: the Sockets view stopped watching (hidden, or showing history): nothing new is recorded until it watches again'); this.pausedByHide = true; }
        if (id && this.pausedByHide) { this.output.info('History: the Sockets view watches again: recording resumes'); this.pausedByHide = false; }
        this.viewId = id;
        if (id) this.sync();
      }),
      helper.onDidRestart(() => { this.recording = false; this.sync(); this.resendSamples(); }),
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

  sample(sockets: readonly SocketKey[], on: boolean): void {
    const changed: SocketKey[] = [];
    for (const s of sockets) {
      const had = this.charted.get(s.cookie);
      if (on) {
        if (had) had.charts++;
        else { const key = keyOf(s); this.charted.set(s.cookie, { key, charts: 1 }); changed.push(key); }
      } else if (had && --had.charts === 0) {
        this.charted.delete(s.cookie);
        changed.push(had.key);
      }
    }
    if (changed.length) this.send(() => this.helper.request(HISTORY_REQUESTS['history/sample'], { sockets: changed.slice(0, HistoryLimits.maxSampled), on }));
  }

  sampleProcesses(pids: readonly number[]): void {
    const next = [...new Set(pids)].filter((p) => p > 0).sort((a, b) => a - b).slice(0, HistoryLimits.maxSampled);
    if (next.length === this.followedPids.length && next.every((p, i) => p === this.followedPids[i])) return;
    this.followedPids = next;
    this.send(() => this.helper.request(HISTORY_REQUESTS['history/sampleProcesses'], { pids: next }));
  }

  /** A restarted helper knows nothing sampled: tell it again. */
  private resendSamples(): void {
    const keys = [...this.charted.values()].map((c) => c.key);
    if (keys.length) this.send(() => this.helper.request(HISTORY_REQUESTS['history/sample'], { sockets: keys.slice(0, HistoryLimits.maxSampled), on: true }));
    if (this.followedPids.length) { const pids = this.followedPids; this.send(() => this.helper.request(HISTORY_REQUESTS['history/sampleProcesses'], { pids })); }
  }

  /** In order with the recording's own requests; a failure is a line in the Output channel (samples are extra). */
  private send(request: () => Promise<unknown>): void {
    this.queue = this.queue.then(request).then(() => undefined, (e: unknown) => this.output.warn(`History: tcp_info samples: ${e instanceof Error ? e.message : String(e)}`));
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
