// The `history/*` requests: reading a recording (src/host/history) through the helper, for the VS Code
// side (the connection log table, the timeline, time travel in the Sockets view). Read only: the helper
// opens a recording file with `history/open`, keeps it by id until `history/close` (or its exit), and
// answers queries over it. The live recording (the one the helper writes while a view watches) opens
// the same way and says `live: true`.
//
// The row shapes are written once here; the host's queries (src/host/history/queries.ts) return them.
// Times are milliseconds since the Unix epoch; states are the kernel's numbers (1 ESTABLISHED … 10
// LISTEN, as in the file; `stateName` gives ss's word).
import { Limits, type NetnsRef, type SocketKey } from './helper-protocol';
import { notificationType, requestType } from './message-type';
import { array, boolean, integer, noParams, object, oneOf, opt, req, string } from './schema';
import type { Schema } from './schema';
import { STATE_NAMES, type StateName } from './socket-record';
import { MAX_PID, idSchema, netnsSchema, socketKeyLoose } from './validate';

/** How a connection's close was learnt: the kernel's destroy event, or a refresh that no longer listed it. */
export const CLOSED_BY_NAMES = ['kernel-event', 'watch'] as const;
export type ClosedBy = (typeof CLOSED_BY_NAMES)[number];

/** ss's word for a kernel state number (`UNKNOWN` outside the table). */
export function stateName(state: number): StateName | 'UNKNOWN' {
  return STATE_NAMES[state - 1] ?? 'UNKNOWN';
}

/** What every row read back from a recording says of its socket: the ends, the process, when it was first seen. */
export interface RecordedSocket {
  /** The socket's row id in the recording (stable within one file). */
  id: number;
  netid: string;
  localAddress: string | null;
  localPort: number;
  peerAddress: string | null;
  peerPort: number;
  pid: number | null;
  command: string | null;
  openedAt: number;
}

/** A closed connection (the connection log). */
export interface LogRow extends RecordedSocket {
  closedAt: number;
  durationMs: number;
  bytesSent: number | null;
  bytesReceived: number | null;
  retrans: number | null;
  closedBy: ClosedBy | null;
  /** Kernel state number at the close. */
  state: number;
  netns: string | null;
}

/** A socket as a refresh listed it. */
export interface MomentRow extends RecordedSocket {
  /** Kernel state number at that refresh. */
  state: number;
}

/**
 * Where recordings live by default, for `sockscope record`/`log` and the VS Code recorder alike:
 * `$XDG_STATE_HOME/sockscope/history.db`, else `~/.local/state/sockscope/history.db` (given the
 * environment and home folder, so this file stays pure).
 */
export function defaultHistoryPathIn(xdgStateHome: string | undefined, home: string): string {
  const base = xdgStateHome || `${home.replace(/\/+$/, '')}/.local/state`;
  return `${base.replace(/\/+$/, '')}/sockscope/history.db`;
}

// ---------------------------------------------------------------------------------------------
// Requests

export interface HistoryOpenParams {
  /** An absolute path to a recording (`sockscope record`, or the VS Code recorder's file). */
  path: string;
}

export interface HistoryOpenResult {
  /** Names the open recording in the other requests. */
  recordingId: string;
  /** First and last refresh recorded (null: none yet). */
  from: number | null;
  to: number | null;
  /** The file this helper is recording into now (it grows while open). */
  live: boolean;
  /** Sockets recorded, and closed connections among them (listeners left out). */
  sockets: number;
  closed: number;
}

export interface HistoryRecordingParams {
  recordingId: string;
}

/** The log's sort columns: LogRow's keys. */
export const LOG_SORT_COLUMNS = [
  'closedAt', 'openedAt', 'durationMs', 'bytesSent', 'bytesReceived', 'retrans', 'pid', 'command',
  'localAddress', 'localPort', 'peerAddress', 'peerPort', 'netid', 'state', 'closedBy',
] as const satisfies readonly (keyof LogRow)[];
export type LogSortColumn = (typeof LOG_SORT_COLUMNS)[number];

export interface HistoryLogParams extends HistoryRecordingParams {
  /** ss filter language over the stored rows (the state at the close). */
  filter?: string;
  /** Closes in [since, until] (ms); default the whole recording. */
  since?: number;
  until?: number;
  sort: { column: LogSortColumn; descending: boolean };
  /** First row of the page in the sort order, 0-based. */
  offset: number;
  /** 1..Limits.maxHistoryPage. */
  limit: number;
}

export interface HistoryLogResult {
  /** Rows matching (filter, since, until), all pages. */
  total: number;
  rows: LogRow[];
}

export type TimelineScope = { kind: 'all' } | { kind: 'process'; pid: number } | { kind: 'query'; filter: string };

export interface HistoryTimelineParams extends HistoryRecordingParams {
  from: number;
  to: number;
  /** 1..Limits.maxHistoryBuckets equal buckets over [from, to]. */
  buckets: number;
  scope: TimelineScope;
}

export interface TimelineSeries {
  /** Kernel state number, and ss's word for it. */
  state: number;
  name: StateName | 'UNKNOWN';
  /** Sockets in that state at each bucket's refresh (0 where a bucket has no refresh). */
  counts: number[];
}

export interface HistoryTimelineResult {
  from: number;
  to: number;
  bucketMs: number;
  /** Each bucket's start. */
  starts: number[];
  /** The refresh each bucket's counts are from (its last one), null where the bucket holds none. */
  at: (number | null)[];
  /** One series per state that occurs, most sockets first. */
  series: TimelineSeries[];
}

export interface HistoryMomentParams extends HistoryRecordingParams {
  /** A time (ms): the refresh at or before it is shown. */
  at: number;
  filter?: string;
  /** At most this many rows (default and maximum Limits.maxHistoryMoment). */
  limit?: number;
}

export interface HistoryMomentResult {
  /** The refresh the sockets are from (null: `at` is before the recording). */
  at: number | null;
  /** Sockets listed then (after the filter), all of them even past `limit`. */
  total: number;
  sockets: MomentRow[];
}

export interface HistoryCompareParams extends HistoryRecordingParams {
  from: number;
  /** A time, or the recording's last refresh. */
  to: number | 'now';
  filter?: string;
}

export interface StateChange {
  socket: MomentRow;
  /** Its state at `from`; `socket.state` is the one at `to`. */
  before: number;
}

export interface HistoryCompareResult {
  /** The refreshes compared. */
  fromAt: number | null;
  toAt: number | null;
  /** Listed at `to`, not at `from`. */
  appeared: MomentRow[];
  /** Listed at `from`, not at `to` (the row as it was at `from`). */
  went: MomentRow[];
  /** Listed at both, in another state. */
  changed: StateChange[];
  /** Some list was cut at Limits.maxHistoryMoment rows. */
  truncated: boolean;
}

export interface HistoryRecordParams {
  /** An existing file the extension created for the user (mode 0600); the helper never creates it. */
  path: string;
  /** The view whose refreshes are recorded (and its reopenings under the same id). */
  viewId: string;
  /** The view's namespace, for the destroy events. */
  netns?: NetnsRef;
  /** Retention, enforced while recording. */
  maxAgeMs: number;
  maxBytes: number;
}

export interface HistoryRecordResult {
  /** Closes come from the kernel's destroy events (with final tcp_info), not only from refreshes. */
  kernelEvents: boolean;
}

/** helper -> client: the recording stopped by itself (disk full, read-only or damaged file); the view goes on. */
export interface HistoryStoppedNotification {
  path: string;
  message: string;
}

/**
 * Sockets whose tcp_info the live recording keeps at every refresh (`tcp_samples`): charted ones by key,
 * and every socket of the followed processes. The helper keeps the set across recordings (a recording
 * started later samples them too) until it is changed or the helper exits.
 */
export interface HistorySampleParams {
  /** Added to (on) or taken from (off) the sampled sockets; a socket is sampled only while the recorded view lists it. */
  sockets: SocketKey[];
  on: boolean;
}

export interface HistorySampleProcessesParams {
  /** The followed processes now (replaces the previous set; empty: none). */
  pids: number[];
}

export interface HistorySampleResult {
  /** Sockets sampled by key, and followed pids, after the change. */
  sockets: number;
  pids: number;
}

export interface HistorySamplesParams extends HistoryRecordingParams {
  /** The socket's row id (`LogRow.id`, `MomentRow.id`). */
  socketId: number;
  /** Samples in [since, until] (ms). */
  since?: number;
  until?: number;
  /** At most this many, the oldest first (default and maximum HistoryLimits.maxHistorySamples). */
  limit?: number;
}

export interface TcpSample {
  at: number;
  /** tcp_info as the recorder stored it: the kernel's field names (tcp-info-fields.ts), numbers. */
  info: Record<string, unknown>;
}

export interface HistorySamplesResult {
  /** Samples in the range, all of them even past `limit`. */
  total: number;
  samples: TcpSample[];
}

export interface HistoryProcessesParams extends HistoryRecordingParams {
  /** At most this many, the most sockets first (default and maximum HistoryLimits.maxHistoryProcesses). */
  limit?: number;
}

/** A process the recording tied sockets to (a pid reused by another program is one entry per command). */
export interface RecordedProcess {
  pid: number;
  command: string | null;
  /** Sockets recorded for it, over the whole recording. */
  sockets: number;
  /** When the first of them was opened and the last one last seen or closed (ms). */
  from: number;
  to: number;
}

export interface HistoryProcessesResult {
  /** Processes in the recording, all of them even past `limit`. */
  total: number;
  processes: RecordedProcess[];
}

export const HistoryLimits = {
  maxHistoryPage: 5000,
  maxHistoryBuckets: 2000,
  maxHistoryMoment: 200_000,
  maxRecordings: 8,
  maxPathLength: 4096,
  /** Sockets sampled by key, and followed pids sampled, at most (each costs an exact lookup per refresh). */
  maxSampled: 256,
  maxHistorySamples: 50_000,
  maxHistoryProcesses: 2000,
} as const;

const time = integer(0, Number.MAX_SAFE_INTEGER);
const filter = string({ max: Limits.maxFilterLength });
const recordingId = idSchema;

/** `from <= to` where both are numbers. */
function ordered(inner: Schema, lo: string, hi: string): Schema {
  return (v, path, errors) => {
    const before = errors.length;
    inner(v, path, errors);
    if (errors.length !== before) return;
    const o = v as Record<string, unknown>;
    if (typeof o[lo] === 'number' && typeof o[hi] === 'number' && (o[lo] as number) > (o[hi] as number)) errors.push(`${path}: ${lo} is after ${hi}`);
  };
}

export const HISTORY_REQUESTS = {
  'history/open': requestType<HistoryOpenParams, HistoryOpenResult>()('history/open',
    object({ path: req(string({ min: 1, max: HistoryLimits.maxPathLength, pattern: /^\/[^\0]*$/ })) })),
  'history/close': requestType<HistoryRecordingParams, null>()('history/close', object({ recordingId: req(recordingId) })),
  'history/log': requestType<HistoryLogParams, HistoryLogResult>()('history/log', ordered(object({
    recordingId: req(recordingId),
    filter: opt(filter),
    since: opt(time),
    until: opt(time),
    sort: req(object({ column: req(string({ max: 16, oneOf: LOG_SORT_COLUMNS })), descending: req(boolean) })),
    offset: req(integer(0, Number.MAX_SAFE_INTEGER)),
    limit: req(integer(1, HistoryLimits.maxHistoryPage)),
  }), 'since', 'until')),
  'history/timeline': requestType<HistoryTimelineParams, HistoryTimelineResult>()('history/timeline', ordered(object({
    recordingId: req(recordingId),
    from: req(time),
    to: req(time),
    buckets: req(integer(1, HistoryLimits.maxHistoryBuckets)),
    scope: req(oneOf(
      object({ kind: req(string({ max: 3, oneOf: ['all'] })) }),
      object({ kind: req(string({ max: 7, oneOf: ['process'] })), pid: req(integer(0, MAX_PID)) }),
      object({ kind: req(string({ max: 5, oneOf: ['query'] })), filter: req(filter) }),
    )),
  }), 'from', 'to')),
  'history/moment': requestType<HistoryMomentParams, HistoryMomentResult>()('history/moment', object({
    recordingId: req(recordingId),
    at: req(time),
    filter: opt(filter),
    limit: opt(integer(1, HistoryLimits.maxHistoryMoment)),
  })),
  'history/compare': requestType<HistoryCompareParams, HistoryCompareResult>()('history/compare', object({
    recordingId: req(recordingId),
    from: req(time),
    to: req(oneOf(time, string({ max: 3, oneOf: ['now'] }))),
    filter: opt(filter),
  })),
  /** Starts recording the view's refreshes into the file (replacing a recording already running). */
  'history/record': requestType<HistoryRecordParams, HistoryRecordResult>()('history/record', object({
    path: req(string({ min: 1, max: HistoryLimits.maxPathLength, pattern: /^\/[^\0]*$/ })),
    viewId: req(idSchema),
    netns: opt(netnsSchema),
    maxAgeMs: req(integer(60_000, 366 * 24 * 3600_000)),
    maxBytes: req(integer(1024 * 1024, 1024 ** 4)),
  })),
  /** Charted sockets: their tcp_info is kept at each refresh while recording (HistorySampleParams). */
  'history/sample': requestType<HistorySampleParams, HistorySampleResult>()('history/sample', object({
    sockets: req(array(socketKeyLoose, HistoryLimits.maxSampled)),
    on: req(boolean),
  })),
  /** Followed processes: the tcp_info of every socket they hold is kept at each refresh while recording. */
  'history/sampleProcesses': requestType<HistorySampleProcessesParams, HistorySampleResult>()('history/sampleProcesses', object({
    pids: req(array(integer(1, MAX_PID), HistoryLimits.maxSampled)),
  })),
  /** A recorded socket's tcp_info samples (`tcp_samples`), oldest first. */
  'history/samples': requestType<HistorySamplesParams, HistorySamplesResult>()('history/samples', ordered(object({
    recordingId: req(recordingId),
    socketId: req(integer(0, Number.MAX_SAFE_INTEGER)),
    since: opt(time),
    until: opt(time),
    limit: opt(integer(1, HistoryLimits.maxHistorySamples)),
  }), 'since', 'until')),
  'history/processes': requestType<HistoryProcessesParams, HistoryProcessesResult>()('history/processes', object({
    recordingId: req(recordingId),
    limit: opt(integer(1, HistoryLimits.maxHistoryProcesses)),
  })),
  /** Stops recording (what is waiting is written); null when none was running. */
  'history/stopRecording': requestType<Record<string, never> | undefined, null>()('history/stopRecording', noParams),
} as const;

/** The client trusts the helper it started: notification schemas accept anything. */
export const HISTORY_NOTIFICATIONS = {
  historyStopped: notificationType<HistoryStoppedNotification>()('history/stopped', () => undefined),
} as const;

export type HistoryRequests = typeof HISTORY_REQUESTS;
export type HistoryMethod = keyof HistoryRequests;

// Each key is its method name (the compiler checks it): the helper's dispatcher looks requests up by key.
export const HISTORY_KEYS_ARE_METHODS: { [K in HistoryMethod]: HistoryRequests[K]['method'] extends K ? true : never } = {
  'history/open': true, 'history/close': true, 'history/log': true, 'history/timeline': true, 'history/moment': true, 'history/compare': true,
  'history/record': true, 'history/stopRecording': true, 'history/sample': true, 'history/sampleProcesses': true, 'history/samples': true,
  'history/processes': true,
};
