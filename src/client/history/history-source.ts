// What the two history webviews need from the extension's side: the connection log paged, sorted and
// filtered by the helper, counts over time, the recording's span and its processes; and the shape of a
// comparison's report.
// One small interface, so the panels (and their tests) do not depend on how the helper is reached;
// recording-source.ts implements it over the HistoryClient's OpenRecording.
import type { LogSort, LogTableRow, TimeRange, TimelineScope, TimelineSeries } from '../../protocol/history-webview';
import type { RecordedProcess, RecordedSocket } from '../../protocol/history-requests';

export interface LogPageQuery {
  /** ss filter language text ('' for everything). */
  filter: string;
  range: TimeRange;
  sort: LogSort;
  offset: number;
  limit: number;
}

/** A socket of a comparison ("Compare with Now", compare-report.ts): its ends, process and state (ss's name). */
export type RecordedEnd = Omit<RecordedSocket, 'id' | 'openedAt'> & { state: string };

export interface CompareResult {
  fromAt: number | null;
  toAt: number | null;
  appeared: RecordedEnd[];
  went: RecordedEnd[];
  changed: Array<RecordedEnd & { before: string }>;
  truncated: boolean;
}

export interface HistorySource {
  /** The recording's id (what `sockscope.history.showMoment` takes) and a label for titles. */
  readonly recordingId: string;
  readonly label: string;
  /** The recording file (panels of one file share one source). */
  readonly path: string;
  /** First and last refresh recorded, null when empty. */
  span(): Promise<TimeRange | null>;
  log(query: LogPageQuery): Promise<{ total: number; rows: LogTableRow[] }>;
  timeline(query: { range: { from: number; to: number }; buckets: number; scope: TimelineScope; queryText?: string }): Promise<TimelineSeries>;
  /** The processes the recording tied sockets to, over all of it, for the timeline's scope picker. */
  processes(): Promise<RecordedProcess[]>;
  /** A recorded socket's tcp_info samples (it was charted or followed while recorded), oldest first. */
  samples?(socketId: number): Promise<Array<{ at: number; info: Record<string, unknown> }>>;
}
