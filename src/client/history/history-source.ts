// What the two history webviews need from the extension's side: the connection log paged, sorted and
// filtered by the helper, counts over time, and the recording's span. One small interface, so the panels
// do not depend on how the helper is reached; `history-source-adapter.ts` implements it over the
// HistoryClient (src/client/history/history-client.ts).
import type { LogSort, LogTableRow, TimeRange, TimelineScope, TimelineSeries } from '../../protocol/history-webview';

export interface LogPageQuery {
  /** ss filter language text ('' for everything). */
  filter: string;
  range: TimeRange;
  sort: LogSort;
  offset: number;
  limit: number;
}

export interface HistorySource {
  /** The recording's id (what `sockscope.history.showMoment` takes) and a label for titles. */
  readonly recordingId: string;
  readonly label: string;
  /** First and last refresh recorded, null when empty. */
  span(): Promise<TimeRange | null>;
  log(query: LogPageQuery): Promise<{ total: number; rows: LogTableRow[] }>;
  timeline(query: { range: { from: number; to: number }; buckets: number; scope: TimelineScope; queryText?: string }): Promise<TimelineSeries>;
  /** The processes the recording saw, for the timeline's scope picker. */
  processes(): Promise<Array<{ pid: number; command: string | null }>>;
}
