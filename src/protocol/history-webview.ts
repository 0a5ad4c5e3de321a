// Messages between the extension host and the two history webviews (the connection log table and the
// timeline), declared once: one descriptor per message (message-type.ts), its fields' types and schema
// together, in the style of webview-messages.ts. Both sides import this module and validate what they
// receive; messages from a webview are untrusted input (a compromised page can post anything), so every
// field has a bound and objects refuse unknown keys.
//
// The host answers requests by id: the table posts `query` (filter, range, sort) and gets `queryResult`
// (the total) or `queryError` (where and why the filter is wrong); it then posts `fetchPage` for the
// pages it shows and gets `page` back. Sorting and filtering are done by the helper, never in the page.
import { CLOSED_BY_NAMES, type LogRow } from './history-requests';
import { STATE_NAMES, type StateName } from './socket-record';
import { notificationType, parseMessage, type MessageOf } from './message-type';
import { array, boolean, integer, nullable, number, object, opt, req, string, type Schema } from './schema';

/** The table's columns, in display order; the ids are also the sort keys the helper is asked for. */
export const LOG_COLUMNS = [
  { id: 'process', label: 'Process', align: 'left' },
  { id: 'netid', label: 'Netid', align: 'left' },
  { id: 'local', label: 'Local', align: 'left' },
  { id: 'peer', label: 'Peer', align: 'left' },
  { id: 'opened', label: 'Opened', align: 'left' },
  { id: 'closed', label: 'Closed', align: 'left' },
  { id: 'duration', label: 'Duration', align: 'right' },
  { id: 'sent', label: 'Sent', align: 'right' },
  { id: 'received', label: 'Received', align: 'right' },
  { id: 'retrans', label: 'Retrans', align: 'right' },
  { id: 'state', label: 'Final state', align: 'left' },
  { id: 'closedBy', label: 'Closed by', align: 'left' },
] as const;
export type LogColumnId = (typeof LOG_COLUMNS)[number]['id'];
export const LOG_COLUMN_IDS: readonly LogColumnId[] = LOG_COLUMNS.map((c) => c.id);

export interface LogSort {
  column: LogColumnId;
  descending: boolean;
}
/** What the helper's log is ordered by when the user has not clicked a header. */
export const DEFAULT_LOG_SORT: LogSort = { column: 'closed', descending: false };

/** Time-range presets of the table (and the timeline's initial window); `all`: the whole recording. */
export const RANGE_PRESETS = [
  { id: '15m', label: '15 min', ms: 15 * 60_000 },
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '24h', label: '24 h', ms: 86_400_000 },
  { id: 'all', label: 'All', ms: null },
] as const;
export type RangePresetId = (typeof RANGE_PRESETS)[number]['id'];

/** A time range, milliseconds since the epoch; null: open on that side. */
export interface TimeRange {
  from: number | null;
  to: number | null;
}

/**
 * One row of the connection log as the table shows it: the helper's LogRow (history-requests.ts) with the
 * state as ss names it; `closedAt` null for a connection still open; the cookie where the recording has it.
 */
export interface LogTableRow extends Omit<LogRow, 'state' | 'closedAt' | 'durationMs' | 'netns'> {
  closedAt: number | null;
  durationMs: number | null;
  state: StateName | 'UNKNOWN';
  /** The socket cookie, when known (a still-open socket can then be charted). */
  cookie?: string;
}

/** Bounds: what a page may carry and how long texts may be. */
export const HISTORY_LIMITS = {
  maxPageRows: 1000,
  maxFilter: 4000,
  maxText: 2000,
  maxAddress: 300,
  maxCommand: 300,
  maxScopes: 500,
  maxBuckets: 2000,
  /** A total the table can show (the scroller's math is exact far beyond this). */
  maxTotal: 1e12,
} as const;

const MAX_ID = 2 ** 31 - 1;
const requestId = integer(0, MAX_ID);
const time = number({ min: 0, max: 8.64e15 });
const count = integer(0, Number.MAX_SAFE_INTEGER);
const text = string({ max: HISTORY_LIMITS.maxText });
const columnId = string({ max: 20, oneOf: LOG_COLUMN_IDS });
const sortSchema = object({ column: req(columnId), descending: req(boolean) });
const rangeSchema = object({ from: req(nullable(time)), to: req(nullable(time)) });
const recordingIdSchema = string({ min: 1, max: 200 });

const rowSchema = object({
  id: req(integer(0, Number.MAX_SAFE_INTEGER)),
  netid: req(string({ max: 10 })),
  localAddress: req(nullable(string({ max: HISTORY_LIMITS.maxAddress }))),
  localPort: req(integer(0, 0xffffffff)),
  peerAddress: req(nullable(string({ max: HISTORY_LIMITS.maxAddress }))),
  peerPort: req(integer(0, 0xffffffff)),
  pid: req(nullable(integer(0, 0x7fffffff))),
  command: req(nullable(string({ max: HISTORY_LIMITS.maxCommand }))),
  openedAt: req(time),
  closedAt: req(nullable(time)),
  durationMs: req(nullable(number({ min: 0 }))),
  bytesSent: req(nullable(number({ min: 0 }))),
  bytesReceived: req(nullable(number({ min: 0 }))),
  retrans: req(nullable(number({ min: 0 }))),
  state: req(string({ max: 20, oneOf: [...STATE_NAMES, 'UNKNOWN'] })),
  closedBy: req(nullable(string({ max: 20, oneOf: CLOSED_BY_NAMES }))),
  cookie: opt(string({ max: 16, pattern: /^[0-9a-f]{1,16}$/ })),
});

/** The filter error as the ss language reports it: 1-based column, the message, the offending range. */
export interface FilterError {
  message: string;
  column: number;
  start: number;
  end: number;
}
const filterErrorSchema = object({
  message: req(text),
  column: req(integer(1, HISTORY_LIMITS.maxFilter + 1)),
  start: req(integer(0, HISTORY_LIMITS.maxFilter)),
  end: req(integer(0, HISTORY_LIMITS.maxFilter)),
});

export interface LogQuery {
  queryId: number;
  filter: string;
  range: TimeRange;
  sort: LogSort;
}

/** Connection log: host -> webview. */
export const LOG_HOST_TO_WEBVIEW = {
  /** The recording shown, its span, and the query to start with (the timeline's range, say). */
  init: notificationType<{ recordingLabel: string; span: TimeRange | null; filter: string; range: TimeRange; preset: RangePresetId | null; sort: LogSort }>()('init', object({
    recordingLabel: req(text), span: req(nullable(rangeSchema)), filter: req(string({ max: HISTORY_LIMITS.maxFilter })),
    range: req(rangeSchema), preset: req(nullable(string({ max: 4, oneOf: RANGE_PRESETS.map((p) => p.id) }))), sort: req(sortSchema),
  })),
  queryResult: notificationType<{ queryId: number; total: number }>()('queryResult', object({ queryId: req(requestId), total: req(integer(0, HISTORY_LIMITS.maxTotal)) })),
  queryError: notificationType<{ queryId: number; error: FilterError | null; message: string }>()('queryError', object({
    queryId: req(requestId), error: req(nullable(filterErrorSchema)), message: req(text),
  })),
  page: notificationType<{ queryId: number; offset: number; rows: LogTableRow[] }>()('page', object({
    queryId: req(requestId), offset: req(integer(0, HISTORY_LIMITS.maxTotal)), rows: req(array(rowSchema, HISTORY_LIMITS.maxPageRows)),
  })),
  /** Something to tell the user in the table's status line (an export finished, a socket is closed). */
  status: notificationType<{ message: string; error: boolean }>()('status', object({ message: req(text), error: req(boolean) })),
} as const;

export const ROW_ACTIONS = ['showInSockets', 'chart', 'copyFilter'] as const;
export type RowAction = (typeof ROW_ACTIONS)[number];

/** Connection log: webview -> host. */
export const LOG_WEBVIEW_TO_HOST = {
  ready: notificationType<Record<never, never>>()('ready', object({})),
  query: notificationType<LogQuery>()('query', object({
    queryId: req(requestId), filter: req(string({ max: HISTORY_LIMITS.maxFilter })), range: req(rangeSchema), sort: req(sortSchema),
  })),
  fetchPage: notificationType<{ queryId: number; offset: number; limit: number }>()('fetchPage', object({
    queryId: req(requestId), offset: req(integer(0, HISTORY_LIMITS.maxTotal)), limit: req(integer(1, HISTORY_LIMITS.maxPageRows)),
  })),
  exportCsv: notificationType<{ queryId: number }>()('exportCsv', object({ queryId: req(requestId) })),
  /** A row action: the row travels back as the host sent it (validated again: it comes from the page). */
  rowAction: notificationType<{ action: RowAction; row: LogTableRow }>()('rowAction', object({
    action: req(string({ max: 20, oneOf: ROW_ACTIONS })), row: req(rowSchema),
  })),
  log: notificationType<{ message: string }>()('log', object({ message: req(text) })),
} as const;

export type LogHostToWebview = MessageOf<typeof LOG_HOST_TO_WEBVIEW>;
export type LogWebviewToHost = MessageOf<typeof LOG_WEBVIEW_TO_HOST>;

export function isLogHostToWebview(x: unknown): x is LogHostToWebview {
  return parseMessage(LOG_HOST_TO_WEBVIEW, x) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Timeline

/** What the timeline counts: every socket of the recording, one process, or a saved `.ssq` query. */
export type TimelineScope =
  | { kind: 'all' }
  | { kind: 'process'; pid: number }
  | { kind: 'query'; uri: string; name: string };

export interface TimelineScopeChoice {
  scope: TimelineScope;
  label: string;
  detail?: string;
}

const scopeSchema: Schema = (v, path, errors) => {
  const kind = typeof v === 'object' && v !== null ? (v as { kind?: unknown }).kind : undefined;
  if (kind === 'all') object({ kind: req(string({ max: 8 })) })(v, path, errors);
  else if (kind === 'process') object({ kind: req(string({ max: 8 })), pid: req(integer(0, 0x7fffffff)) })(v, path, errors);
  else if (kind === 'query') object({ kind: req(string({ max: 8 })), uri: req(string({ min: 1, max: 4096 })), name: req(string({ max: 200 })) })(v, path, errors);
  else errors.push(`${path}.kind: not one of all, process, query`);
};

/** Counts per state at each bucket's start (uPlot's aligned columns). */
export interface TimelineSeries {
  /** Bucket start times, ms. */
  at: number[];
  /** One column per state present, same length as `at`. */
  states: Array<{ state: StateName | 'UNKNOWN'; counts: number[] }>;
}

const seriesSchema: Schema = (v, path, errors) => {
  object({
    at: req(array(time, HISTORY_LIMITS.maxBuckets)),
    states: req(array(object({ state: req(string({ max: 20, oneOf: [...STATE_NAMES, 'UNKNOWN'] })), counts: req(array(count, HISTORY_LIMITS.maxBuckets)) }), STATE_NAMES.length + 1)),
  })(v, path, errors);
  if (errors.length) return;
  const s = v as TimelineSeries;
  for (const c of s.states) if (c.counts.length !== s.at.length) errors.push(`${path}.states: ${c.state} has ${c.counts.length} counts for ${s.at.length} times`);
};

/** Timeline: host -> webview. */
export const TIMELINE_HOST_TO_WEBVIEW = {
  init: notificationType<{ recordingId: string; recordingLabel: string; span: TimeRange | null; scopes: TimelineScopeChoice[]; scope: TimelineScope }>()('init', object({
    recordingId: req(recordingIdSchema), recordingLabel: req(text), span: req(nullable(rangeSchema)),
    scopes: req(array(object({ scope: req(scopeSchema), label: req(text), detail: opt(text) }), HISTORY_LIMITS.maxScopes)),
    scope: req(scopeSchema),
  })),
  series: notificationType<{ requestId: number; from: number; to: number; series: TimelineSeries }>()('series', object({
    requestId: req(requestId), from: req(time), to: req(time), series: req(seriesSchema),
  })),
  error: notificationType<{ requestId: number; message: string }>()('error', object({ requestId: req(requestId), message: req(text) })),
} as const;

/** Timeline: webview -> host. */
export const TIMELINE_WEBVIEW_TO_HOST = {
  ready: notificationType<Record<never, never>>()('ready', object({})),
  load: notificationType<{ requestId: number; scope: TimelineScope; from: number; to: number; buckets: number }>()('load', object({
    requestId: req(requestId), scope: req(scopeSchema), from: req(time), to: req(time), buckets: req(integer(1, HISTORY_LIMITS.maxBuckets)),
  })),
  /** "Show Sockets at This Moment". */
  showMoment: notificationType<{ at: number }>()('showMoment', object({ at: req(time) })),
  /** "Compare with Now": what appeared, went and changed state between `at` and the latest refresh. */
  compareWithNow: notificationType<{ at: number }>()('compareWithNow', object({ at: req(time) })),
  /** "Show Connection Log for this range". */
  showLog: notificationType<{ range: TimeRange; scope: TimelineScope }>()('showLog', object({ range: req(rangeSchema), scope: req(scopeSchema) })),
  log: notificationType<{ message: string }>()('log', object({ message: req(text) })),
} as const;

export type TimelineHostToWebview = MessageOf<typeof TIMELINE_HOST_TO_WEBVIEW>;
export type TimelineWebviewToHost = MessageOf<typeof TIMELINE_WEBVIEW_TO_HOST>;

export function isTimelineHostToWebview(x: unknown): x is TimelineHostToWebview {
  return parseMessage(TIMELINE_HOST_TO_WEBVIEW, x) !== undefined;
}
