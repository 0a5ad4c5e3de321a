// The extension's typed client of the helper's `history/*` requests (src/protocol/history-requests.ts):
// one method per request, the types from the descriptors. No vscode import, so it also runs in plain
// node (system tests). The webviews (connection log, timeline) and time travel use it.
import { HISTORY_REQUESTS, type HistoryCompareParams, type HistoryLogParams, type HistoryMomentParams, type HistoryProcessesParams, type HistoryRequests, type HistorySamplesParams, type HistoryTimelineParams } from '../../protocol/history-requests';
import type { ParamsOf, ResultOf } from '../../protocol/message-type';

/** What it needs of the helper connection: HelperClient has it. */
export interface HistoryRequester {
  request<T extends HistoryRequests[keyof HistoryRequests]>(type: T, params: ParamsOf<T>, timeoutMs?: number): Promise<ResultOf<T>>;
}

type Result<K extends keyof HistoryRequests> = ResultOf<HistoryRequests[K]>;
type WithoutId<P> = Omit<P, 'recordingId'>;

/** A long query (the first page of a million-row log, a day's timeline by query) may take seconds. */
const QUERY_TIMEOUT_MS = 120_000;

export class HistoryClient {
  constructor(private readonly helper: HistoryRequester) {}

  /** Opens a recording file (read only) in the helper. */
  async open(path: string): Promise<OpenRecording> {
    const info = await this.helper.request(HISTORY_REQUESTS['history/open'], { path }, QUERY_TIMEOUT_MS);
    return new OpenRecording(this.helper, path, info);
  }

  /** A recording someone else opened (a webview passes its id): queried, never closed from here. */
  borrow(recordingId: string): OpenRecording {
    return new OpenRecording(this.helper, '', { recordingId, from: null, to: null, live: false, sockets: 0, closed: 0 }, false);
  }
}

/** One recording open in the helper. Closed with close(); a restarted helper has forgotten it (reopen). */
export class OpenRecording {
  private closed = false;

  constructor(private readonly helper: HistoryRequester, readonly path: string, readonly info: Result<'history/open'>, private readonly owned = true) {}

  get id(): string { return this.info.recordingId; }

  log(p: WithoutId<HistoryLogParams>): Promise<Result<'history/log'>> {
    return this.helper.request(HISTORY_REQUESTS['history/log'], { recordingId: this.id, ...p }, QUERY_TIMEOUT_MS);
  }

  timeline(p: WithoutId<HistoryTimelineParams>): Promise<Result<'history/timeline'>> {
    return this.helper.request(HISTORY_REQUESTS['history/timeline'], { recordingId: this.id, ...p }, QUERY_TIMEOUT_MS);
  }

  moment(p: WithoutId<HistoryMomentParams>): Promise<Result<'history/moment'>> {
    return this.helper.request(HISTORY_REQUESTS['history/moment'], { recordingId: this.id, ...p }, QUERY_TIMEOUT_MS);
  }

  compare(p: WithoutId<HistoryCompareParams>): Promise<Result<'history/compare'>> {
    return this.helper.request(HISTORY_REQUESTS['history/compare'], { recordingId: this.id, ...p }, QUERY_TIMEOUT_MS);
  }

  /** A recorded socket's tcp_info samples (charted or followed while recorded), oldest first. */
  samples(p: WithoutId<HistorySamplesParams>): Promise<Result<'history/samples'>> {
    return this.helper.request(HISTORY_REQUESTS['history/samples'], { recordingId: this.id, ...p }, QUERY_TIMEOUT_MS);
  }

  /** The processes the recording tied sockets to, the busiest first. */
  processes(p: WithoutId<HistoryProcessesParams> = {}): Promise<Result<'history/processes'>> {
    return this.helper.request(HISTORY_REQUESTS['history/processes'], { recordingId: this.id, ...p }, QUERY_TIMEOUT_MS);
  }

  /** The first and last refresh now (a live recording grows): reopening is cheap. */
  async refresh(): Promise<OpenRecording> {
    const again = await this.helper.request(HISTORY_REQUESTS['history/open'], { path: this.path }, QUERY_TIMEOUT_MS);
    await this.close();
    return new OpenRecording(this.helper, this.path, again);
  }

  async close(): Promise<void> {
    if (this.closed || !this.owned) return;
    this.closed = true;
    await this.helper.request(HISTORY_REQUESTS['history/close'], { recordingId: this.id }).catch(() => undefined);
  }
}
