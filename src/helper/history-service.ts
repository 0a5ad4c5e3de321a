// The `history/*` requests (src/protocol/history-requests.ts): recordings opened read only, kept by
// id until `history/close` or the helper's exit, queried through `Recording` (src/host/history).
// A root helper opening a user's file leaves nothing of its own beside it (side-files.ts).
import { lstatSync } from 'node:fs';
import { ResponseError } from 'vscode-jsonrpc/node';
import { ErrorCodes } from '../protocol/helper-protocol';
import { HistoryLimits, type HistoryRequests } from '../protocol/history-requests';
import type { RequestHandlers } from '../protocol/message-type';
import { hasErrors, parseQuery } from '../ssq';
import { LogPages } from '../host/history/log-pages';
import { Recording } from '../host/history/queries';
import { samplesOf } from '../host/history/samples';
import { recordedProcesses } from '../host/history/recorded-processes';
import { rowMatcher, type RowMatch } from '../host/history/row-filter';
import { adoptSideFiles } from '../host/history/side-files';
import { HistoryError } from '../host/history/sqlite';
import { compareMoments, momentOf } from '../host/history/time-travel';
import { timelineOfCounts, timelineOfQuery } from '../host/history/timeline-buckets';
import { filterResolver } from './filter-resolver';
import { FullViews, type FullViewLease } from './full-views';
import { netnsKey } from './findings-runner';
import { LiveRecording } from './history-recording';
import { SampleSet, type SampleLookup } from './history-sampling';
import type { Notify } from './rpc-server';
import type { ProcessLookup } from './view-groups';
import type { ViewSession } from './view-session';
import type { NetnsRef } from '../protocol/helper-protocol';
import { HELPER_NOTIFICATIONS } from '../protocol/helper-requests';
import { log } from './log';

export type HistoryHandlers = RequestHandlers<HistoryRequests>;

interface Open {
  rec: Recording;
  pages: LogPages;
}

/** A filter's text as a row predicate; a bad one is BadFilter with the parser's messages. */
function matcherOf(text: string | undefined): RowMatch | null {
  const t = text?.trim() ?? '';
  if (!t) return null;
  const parsed = parseQuery(t, { resolver: filterResolver(true), extensions: true });
  if (hasErrors(parsed.diagnostics)) {
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    throw new ResponseError(ErrorCodes.BadFilter, `bad filter: ${errors.join('; ')}`, parsed.diagnostics);
  }
  return rowMatcher(parsed);
}

export interface HistoryServiceOptions {
  /** The open views by id (the recorded one is looked up here). */
  views?: ReadonlyMap<string, ViewSession>;
  processes?: () => ProcessLookup | undefined;
  notify?: Notify;
  /** Destroy events for the recorder (default true). */
  kernelEvents?: boolean;
  /**
   * Where every socket of the namespace is (full-views.ts): the recording reads the recorded view
   * only while it holds them all; while it is filtered, a headless view. Without it, the recorded view.
   */
  full?: FullViews;
  /** Exact lookup with tcp_info, for the sampled sockets (charted, followed). */
  lookup?: SampleLookup;
}

interface Running {
  live: LiveRecording;
  viewId: string;
  netns: NetnsRef | undefined;
  /** The view whose refreshes feed the recorder now, its unsubscribe, and the headless view leased. */
  source?: ViewSession;
  detach?: () => void;
  lease?: FullViewLease;
}

export class HistoryService {
  private readonly open = new Map<string, Open>();
  private nextId = 1;
  private recording: Running | undefined;
  /** What is sampled, kept across recordings (history/sample, history/sampleProcesses). */
  private readonly samples: SampleSet;

  constructor(private readonly options: HistoryServiceOptions = {}) {
    this.samples = new SampleSet(options.lookup, log);
  }

  private livePath(): string | null {
    return this.recording?.live.path ?? null;
  }

  /**
   * Call when a view opens, changes its query or closes: the recorder is fed by the recorded view
   * while that holds every socket of its namespace, else by another client view that does, else by
   * a headless view of the namespace, so filtering the Sockets view never makes the sockets it hides
   * look closed. While the recorded view is closed, nothing is recorded.
   */
  sync(): void {
    const r = this.recording;
    if (!r) return;
    const recorded = this.options.views?.get(r.viewId);
    const full = this.options.full;
    const key = netnsKey(r.netns);
    let target: ViewSession | undefined = recorded;
    if (full && recorded) {
      target = FullViews.covers(recorded, key) ? recorded : full.clientView(r.netns);
      if (target) { r.lease?.release(); r.lease = undefined; } else { r.lease ??= full.lease(r.netns, recorded.interval, r.source ? recorded.interval : 0); target = r.lease.view; }
    } else if (!recorded) { r.lease?.release(); r.lease = undefined; }
    // With no view to read, nothing is recorded, but the closes of sockets already recorded still are.
    r.live.paused = !target;
    if (target === r.source) return;
    r.detach?.();
    r.detach = undefined;
    r.source = target;
    if (!target) return;
    const source = target;
    const headless = target === r.lease?.view;
    r.detach = source.onRefresh((store, info) => {
      // A client view whose query changed since it was chosen: its store may now be a subset.
      if (full && !headless && !FullViews.covers(source, key)) { setImmediate(() => this.sync()); return; }
      r.live.onRefresh(store, info);
    }, r.live.kernelEvents ? {} : { tcpFacts: 'every-refresh' });
  }

  private detach(r: Running): void {
    r.detach?.();
    r.detach = undefined;
    r.source = undefined;
    r.lease?.release();
    r.lease = undefined;
  }

  private async stopRecording(): Promise<void> {
    const r = this.recording;
    this.recording = undefined;
    if (!r) return;
    this.detach(r);
    await r.live.stop();
  }

  private get(id: string): Open {
    const o = this.open.get(id);
    if (!o) throw new ResponseError(ErrorCodes.UnknownId, `no recording "${id}"`);
    return o;
  }

  /** Runs a query on an open recording, then lets a writer in (and gives root's side files back). */
  private use<T>(id: string, fn: (o: Open) => T): T {
    const o = this.get(id);
    try {
      return fn(o);
    } catch (e) {
      throw e instanceof ResponseError ? e : new ResponseError(ErrorCodes.RecordingError, e instanceof Error ? e.message : String(e));
    } finally {
      o.rec.release();
      adoptSideFiles(o.rec.path);
    }
  }

  readonly handlers: HistoryHandlers = {
    'history/record': async (p) => {
      const running = this.recording;
      if (running && running.live.path === p.path) {
        // The same file: follow the view named now (the client's view was reopened under a new id).
        running.viewId = p.viewId;
        running.netns = p.netns;
        this.sync();
        return { kernelEvents: running.live.kernelEvents };
      }
      await this.stopRecording();
      let live: LiveRecording;
      try {
        live = await LiveRecording.start({
          path: p.path, retention: { maxAgeMs: p.maxAgeMs, maxBytes: p.maxBytes }, netns: p.netns, processes: this.options.processes,
          kernelEvents: this.options.kernelEvents, samples: this.samples,
          onFailed: (message) => {
            if (this.recording?.live === live) { this.detach(this.recording); this.recording = undefined; }
            void this.options.notify?.(HELPER_NOTIFICATIONS.historyStopped, { path: p.path, message }).catch(() => undefined);
          },
        });
      } catch (e) {
        throw new ResponseError(ErrorCodes.RecordingError, e instanceof Error ? e.message : String(e));
      }
      this.recording = { live, viewId: p.viewId, netns: p.netns };
      this.sync();
      log(`history: recording view ${p.viewId} (${live.kernelEvents ? 'closes from destroy events' : 'closes from refreshes'})`);
      return { kernelEvents: live.kernelEvents };
    },

    'history/stopRecording': async () => {
      await this.stopRecording();
      return null;
    },

    'history/sample': (p) => {
      this.samples.set(p.sockets, p.on);
      return { sockets: this.samples.sockets.size, pids: this.samples.pids.size };
    },

    'history/sampleProcesses': (p) => {
      this.samples.pids = new Set(p.pids);
      return { sockets: this.samples.sockets.size, pids: this.samples.pids.size };
    },

    'history/samples': (p) => this.use(p.recordingId, ({ rec }) => samplesOf(rec, p.socketId, p.since ?? 0, p.until ?? Number.MAX_SAFE_INTEGER, p.limit ?? HistoryLimits.maxHistorySamples)),

    'history/processes': (p) => this.use(p.recordingId, ({ rec }) => recordedProcesses(rec, p.limit ?? HistoryLimits.maxHistoryProcesses)),

    'history/open': (p) => {
      if (this.open.size >= HistoryLimits.maxRecordings) throw new ResponseError(ErrorCodes.TooMany, `at most ${HistoryLimits.maxRecordings} open recordings`);
      let st;
      try { st = lstatSync(p.path); } catch { throw new ResponseError(ErrorCodes.RecordingError, `no recording at ${p.path}`); }
      if (!st.isFile()) throw new ResponseError(ErrorCodes.RecordingError, `${p.path}: not a regular file`);
      let rec: Recording;
      try {
        rec = new Recording(p.path);
      } catch (e) {
        throw new ResponseError(ErrorCodes.RecordingError, e instanceof HistoryError || e instanceof Error ? e.message : String(e));
      } finally {
        adoptSideFiles(p.path);
      }
      const recordingId = `rec-${this.nextId++}`;
      this.open.set(recordingId, { rec, pages: new LogPages(rec) });
      return this.use(recordingId, ({ rec: r }) => {
        const span = r.span();
        return { recordingId, from: span?.from ?? null, to: span?.to ?? null, live: this.livePath() === p.path, ...r.totals() };
      });
    },

    'history/close': (p) => {
      const o = this.get(p.recordingId);
      this.open.delete(p.recordingId);
      o.rec.close();
      adoptSideFiles(o.rec.path);
      return null;
    },

    'history/log': (p) => {
      const match = matcherOf(p.filter);
      return this.use(p.recordingId, (o) => o.pages.page({
        since: p.since ?? 0, until: p.until ?? Number.MAX_SAFE_INTEGER, sort: p.sort, filterText: p.filter?.trim() ?? '', match,
      }, p.offset, p.limit));
    },

    'history/timeline': (p) => {
      const match = p.scope.kind === 'query' ? matcherOf(p.scope.filter) : null;
      const spec = { from: p.from, to: p.to, buckets: p.buckets };
      return this.use(p.recordingId, ({ rec }) => {
        if (p.scope.kind === 'all') return timelineOfCounts(rec, spec);
        if (p.scope.kind === 'process') return timelineOfCounts(rec, spec, p.scope.pid);
        return timelineOfQuery(rec, spec, match);
      });
    },

    'history/moment': (p) => {
      const match = matcherOf(p.filter);
      return this.use(p.recordingId, ({ rec }) => momentOf(rec, p.at, match, p.limit ?? HistoryLimits.maxHistoryMoment));
    },

    'history/compare': (p) => {
      const match = matcherOf(p.filter);
      return this.use(p.recordingId, ({ rec }) => compareMoments(rec, p.from, p.to === 'now' ? null : p.to, match, HistoryLimits.maxHistoryMoment));
    },
  };

  dispose(): Promise<void> {
    const stopped = this.stopRecording();
    for (const o of this.open.values()) { try { o.rec.close(); adoptSideFiles(o.rec.path); } catch { /* closing anyway */ } }
    this.open.clear();
    return stopped;
  }
}
