// The `view/*` requests: a data flow shaped like the screen. The helper holds the whole set of a
// view's sockets (src/helper/socket-store.ts, next to the kernel); the client says what the tree
// shows (grouping, sort, the expanded groups with the page the user is on, pinned groups) and
// receives only that: group counts, and the rows of the expanded pages that changed. A client
// holds a few hundred rows however many sockets the helper sees.
//
// Flow: `view/open` starts a view that refreshes every `intervalMs`; every refresh that changes
// something the client shows is sent as one `view/changed` notification (the first one after open
// or after a new query has `reset: true`). `view/update` changes what is shown (and refreshes at
// once); `view/rows` reads rows once without keeping them shown (a tooltip, a chart, a test);
// `view/close` ends it.
import type { SocketQuery } from './helper-protocol';
import type { SocketRecord, StateName } from './socket-record';

export const VIEW_GROUP_BYS = ['process', 'state', 'flat'] as const;
export type ViewGroupBy = (typeof VIEW_GROUP_BYS)[number];

/**
 * Row order inside a group. `address`: netid, state, local address and port, peer address and
 * port (addresses compared as numbers, not text). `rate`: send + receive bytes per second,
 * highest first; `rtt`: highest first; `retrans`: retransmits per second, highest first. The
 * three measured sorts make the helper read tcp_info on every refresh.
 */
export const VIEW_SORTS = ['address', 'rate', 'rtt', 'retrans'] as const;
export type ViewSort = (typeof VIEW_SORTS)[number];

/** Group keys: `p:PID`, `p:unknown`, `s:STATE`, `all` (flat), `pin:ID` (pinned). */
export const FLAT_GROUP = 'all';
export const UNKNOWN_GROUP = 'p:unknown';
export const pinnedGroupKey = (id: string): string => `pin:${id}`;
export const UNKNOWN_PROCESS_LABEL = 'Unknown process (run as root to see)';
/**
 * With root the helper inspects every process it can: a socket left without one is held by the kernel
 * (TIME-WAIT, orphaned) or by a process hidden even from root, so "run as root" would be a wrong hint.
 */
export const NO_VISIBLE_PROCESS_LABEL = 'No visible process';

/** Which sockets a view holds: a SocketQuery (extensions are the helper's business) plus the view's own filters. */
export interface ViewQuery extends Omit<SocketQuery, 'extensions'> {
  /** Only listening inet sockets bound to a wildcard address (the "exposed listeners" filter). */
  exposedOnly?: boolean;
  /** Only sockets held by this process. */
  pid?: number;
  /** Only these sockets, by key (cookie), at most Limits.maxViewCookies (e.g. a finding's evidence). */
  cookies?: string[];
}

/** A group the user expanded and the page of it the tree shows. */
export interface ViewPageRequest {
  group: string;
  /** First row of the page, 0-based, in the view's sort order. */
  offset: number;
  /** Rows in the page, 1..Limits.maxViewPage. */
  limit: number;
  /** ssq filter text applied within the group only (`dport = :443`, `state established`). */
  filter?: string;
}

/**
 * A group defined by a set of processes (e.g. the processes of a debug session, labelled by its
 * launch configuration). Pinned groups come first, in request order; a socket held by one of the
 * pids is in the pinned group and also in its usual group.
 */
export interface PinnedGroup {
  /** [A-Za-z0-9_.:-], 1-64 chars. */
  id: string;
  /** Shown as the group's label, at most 200 chars. */
  label: string;
  /** At most Limits.maxPinnedPids. */
  pids: number[];
}

export interface ViewOpenParams {
  /** Client-chosen id, as watchId. Re-using an open id replaces that view. */
  viewId: string;
  /** Milliseconds between refreshes, as WatchParams.intervalMs. */
  intervalMs: number;
  query: ViewQuery;
  groupBy: ViewGroupBy;
  /** Default `address`. */
  sort?: ViewSort;
  expanded?: ViewPageRequest[];
  pinned?: PinnedGroup[];
}

export interface ViewOpenResult {
  viewId: string;
}

/** Changes what a view shows; omitted fields keep their value. Always refreshes at once. */
export interface ViewUpdateParams {
  viewId: string;
  intervalMs?: number;
  /** A new query starts the view over (the next notification has `reset: true`). */
  query?: ViewQuery;
  groupBy?: ViewGroupBy;
  sort?: ViewSort;
  /** The complete list of expanded pages (replaces the previous one). */
  expanded?: ViewPageRequest[];
  pinned?: PinnedGroup[];
  /** Dump again now rather than at the next interval (after a kill, on the Refresh command). */
  refresh?: boolean;
}

export interface ViewUpdateResult {
  viewId: string;
  /** The `seq` of the notification that reflects this update (it may be sent before this result). */
  seq: number;
}

export interface ViewRowsParams {
  viewId: string;
  /** `group: FLAT_GROUP` reads every socket of the view, whatever its grouping. */
  page: ViewPageRequest;
}

export interface ViewRowsResult {
  /** Sockets in the group after its filter. */
  total: number;
  rows: ViewRow[];
}

export interface ViewCloseParams {
  viewId: string;
}

export interface ViewGroup {
  key: string;
  kind: 'pinned' | 'process' | 'unknown' | 'state' | 'flat';
  label: string;
  count: number;
  pid?: number;
  processName?: string;
  state?: StateName;
}

/**
 * Per-second figures from the tcp_info counters of the two last refreshes (tcp sockets, measured
 * sorts only). null until two samples exist, and for sockets without tcp_info: shown as "—".
 */
export interface ViewRates {
  /** bytes_acked per second. */
  sendBps: number | null;
  /** bytes_received per second. */
  recvBps: number | null;
  /** total_retrans per second (segments). */
  retransPerSec: number | null;
  /** Smoothed rtt, microseconds. */
  rttUs: number | null;
}

export interface ViewRow {
  /** The socket's key: recordKey(record) (the cookie, for every socket read from netlink). */
  id: string;
  /** The basic columns and processes (no tcp_info: fetched with `lookup` on hover). */
  record: SocketRecord;
  rates: ViewRates;
}

export interface ViewPage {
  group: string;
  offset: number;
  limit: number;
  filter?: string;
  /** Sockets in the group after the page's filter (the "N of M shown" figure). */
  total: number;
  /** The page's rows in order, by id. */
  ids: string[];
  /** Rows new to this page or changed since the page was last sent; the others are as sent before. */
  rows: ViewRow[];
  /** The page's filter does not parse: the page is empty. */
  error?: string;
}

/** helper -> client: what changed in a view at one refresh. Refreshes without a change are not sent. */
export interface ViewChangedNotification {
  viewId: string;
  seq: number;
  /** First notification of the view or of a new query: drop every page and group held. */
  reset: boolean;
  /** Sockets in the view (after its query). */
  total: number;
  /** By state, most frequent first. */
  counts: Array<[StateName, number]>;
  /** Every group in display order; present when a group came, went or changed its count or label. */
  groups?: ViewGroup[];
  /** Expanded pages whose rows, order or total changed (all of them on reset). */
  pages: ViewPage[];
  /** Processes whose sockets could not be attributed (no root). */
  invisibleProcesses: number;
  /** The refresh failed (e.g. the namespace vanished); the view keeps trying. */
  error?: string;
}
