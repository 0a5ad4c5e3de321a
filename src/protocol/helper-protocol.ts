// The helper protocol: JSON-RPC 2.0 between the extension host (client) and the socket helper
// (src/helper/main.ts), one JSON message per line on the helper's stdin/stdout (see line-transport.ts).
//
// This file holds the shapes; helper-requests.ts is the whitelist of requests and notifications (method,
// params, result and the params' schema, declared together); every request's params are checked by
// their schema before anything runs. The client must call `initialize` first.
// Large results never travel as one message: dumps and watch snapshots are streamed as
// notifications of at most `chunkSize` records, and a watch sends deltas by cookie after its first
// snapshot.
import type { Family, Netid, SocketRecord, StateName } from './socket-record';
import type { ContainerRef, ProcessIdentity } from './process-identity';
import type { Finding, SocketSummary } from './findings';

/** Bumped on every incompatible change. `initialize` refuses other versions. */
export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Shared parameter shapes

/**
 * A network namespace: a name under /run/netns (as `ip netns` creates) or the namespace of a
 * running process. Names are plain file names: [A-Za-z0-9_.-], at most 255 bytes, not "." or "..".
 * Omitted: the helper's own namespace.
 */
export type NetnsRef = { name: string } | { pid: number };

/** What a record carries beyond the basic columns, like ss's -p -i -m -o -e. */
export interface RecordExtensions {
  /** -p: processes holding the socket (processes the helper cannot read are counted, not named). */
  processes?: boolean;
  /** -i: tcp_info and congestion control. */
  tcpInfo?: boolean;
  /** -m: socket memory. */
  memInfo?: boolean;
  /** -o: timers. */
  timers?: boolean;
  /** -e: mark, cgroup, tos/tclass, shutdown. */
  extended?: boolean;
}

/** Which sockets: the same selection a `sockscope`/ss command line makes. */
export interface SocketQuery {
  /** Socket kinds (ss netids). Omitted or empty: every kind. */
  netids?: Netid[];
  /** Address families (like -4 / -6 / -0 / -x / --vsock). Omitted or empty: every family. */
  families?: Family[];
  /** States. Omitted: every state (listeners included). Ignored when `filter` names states itself. */
  states?: StateName[];
  /**
   * ssq filter text: an ss expression, optionally preceded by `state`/`exclude` words
   * (e.g. `state established dport = :443`). Limited to 64 KiB. Empty or omitted: no filter.
   */
  filter?: string;
  /** Extra per-record information. */
  extensions?: RecordExtensions;
  /** Namespace to look in. */
  netns?: NetnsRef;
}

/**
 * Enough of a record to find the socket again with an exact sock_diag lookup (no dump): inet
 * sockets are found by their addresses and ports and checked by cookie, unix sockets by inode.
 * A SocketRecord is a valid SocketKey.
 */
export interface SocketKey {
  netid: Netid;
  family: Family;
  localAddress: string | null;
  localPort: number;
  peerAddress: string | null;
  peerPort: number;
  iface?: string | null;
  inode: number;
  /** Lowercase hex, at most 16 digits. */
  cookie: string;
}

// ---------------------------------------------------------------------------------------------
// Requests: method -> params, result

export interface InitializeParams {
  /** The client's PROTOCOL_VERSION. */
  protocolVersion: number;
  /** Free text for the helper's log, at most 200 characters. */
  clientName?: string;
}

export interface Capabilities {
  /** Effective uid 0. */
  root: boolean;
  uid: number;
  /** Bits of CapEff in /proc/self/status. */
  netAdmin: boolean;
  sysPtrace: boolean;
  /** CapEff as hex, as the kernel prints it. */
  capEff: string;
  /** Processes seen in /proc at the last scan. */
  processes: number;
  /** Processes whose descriptors the helper could not read: their sockets are listed without a process name. */
  invisibleProcesses: number;
  /** sock_diag SOCK_DESTROY (kill) is allowed: needs CAP_NET_ADMIN. */
  canKill: boolean;
}

export interface InitializeResult {
  protocolVersion: number;
  /** The helper's package version. */
  helperVersion: string;
  pid: number;
  capabilities: Capabilities;
}

export interface DumpParams extends SocketQuery {
  /** Client-chosen id that tags the `dump/chunk` notifications of this request. 1-64 chars [A-Za-z0-9_.:-]. */
  stream: string;
  /** Records per chunk, 1..5000, default 500. */
  chunkSize?: number;
}

export interface DumpResult {
  stream: string;
  /** Records sent in chunks. */
  count: number;
  /** Processes that could not be named (only with extensions.processes). */
  invisibleProcesses: number;
}

export interface LookupParams {
  socket: SocketKey;
  extensions?: RecordExtensions;
  netns?: NetnsRef;
}

export interface LookupResult {
  /** null: the socket no longer exists. */
  record: SocketRecord | null;
}

export interface WatchParams {
  /** Client-chosen id, as `stream` in DumpParams. Re-using an active id replaces that watch. */
  watchId: string;
  /** Milliseconds between snapshots, 100..3,600,000. */
  intervalMs: number;
  /** What to watch: a query (a periodic dump) ... */
  query?: SocketQuery;
  /** ... or exactly one socket, found by lookup (cheap enough for 10 Hz). Exactly one of query/socket. */
  socket?: SocketKey;
  /** Used with `socket`. */
  extensions?: RecordExtensions;
  netns?: NetnsRef;
  chunkSize?: number;
}

export interface WatchResult {
  watchId: string;
}

export interface UnwatchParams {
  watchId: string;
}

export interface SubscribeDestroyedParams {
  /** Client-chosen id, as `stream` in DumpParams. */
  subscriptionId: string;
  /** tcp and udp (the SKNLGRP_INET*_DESTROY groups). Default both. */
  netids?: Array<'tcp' | 'udp'>;
  netns?: NetnsRef;
}

export interface UnsubscribeDestroyedParams {
  subscriptionId: string;
}

export interface KillParams {
  /** At most 10,000 sockets. */
  sockets: SocketKey[];
  netns?: NetnsRef;
}

export interface KillFailure {
  cookie: string;
  /** errno name (ENOENT, EPERM, EOPNOTSUPP, ...) or a message. */
  error: string;
}

export interface KillResult {
  killed: string[];
  failed: KillFailure[];
}

export interface NamespaceInfo {
  /** The namespace's inode (as in net:[INODE]), unique per namespace. */
  inode: number;
  /** How to address it in other requests. */
  ref: NetnsRef;
  /** Its name under /run/netns, if it has one. */
  name?: string;
  /** A process living in it (the lowest pid seen) and its command name. */
  pid?: number;
  processName?: string;
  /** That process's label (`node server.js`) and where it runs (its container or unit), as in ProcessIdentity. */
  processLabel?: string;
  container?: ContainerRef;
  unit?: string;
  /** The helper's own namespace. */
  current: boolean;
}

export interface ListNamespacesResult {
  namespaces: NamespaceInfo[];
  /** Processes whose namespace could not be read (not ours without root). */
  invisibleProcesses: number;
}

export interface ProcessesParams {
  /** Processes to describe, at most Limits.maxProcessPids. */
  pids?: number[];
  /** Also every descendant of `pids` (their process trees, as they are now). */
  children?: boolean;
  /** Every process instead, each with the ports it listens on (for a picker). */
  all?: boolean;
}

export interface ProcessesResult {
  /** The asked-for processes that exist (roots first, then their descendants), or every process. */
  processes: ProcessIdentity[];
  /** Asked-for pids with no such process. */
  missing: number[];
}

// ---------------------------------------------------------------------------------------------
// Notifications, helper -> client

/** Sent once when the helper starts, before any request is read (the client waits for it: sudo/pkexec may ask for a password first). */
export interface ReadyNotification {
  protocolVersion: number;
  pid: number;
}

/** One chunk of a `dump` request's records; all chunks arrive before the request's result. */
export interface DumpChunkNotification {
  stream: string;
  records: SocketRecord[];
}

/**
 * One message of a watch tick. A tick is one or more messages with the same `seq`, the last one
 * has `last: true`. In a snapshot tick (`snapshot: true`; always the first tick of a watch, and
 * when the helper restarts) the client drops what it holds when part 0 arrives and every record comes in
 * `added`. In a delta tick, `added` are new cookies, `changed` are records whose content differs
 * from the previous tick, `removed` are keys that are gone. Ticks without any change are not sent.
 * Applying the ticks in order reproduces the latest dump exactly (see watch-state.ts).
 */
export interface WatchUpdateNotification {
  watchId: string;
  seq: number;
  part: number;
  last: boolean;
  snapshot: boolean;
  added: SocketRecord[];
  changed: SocketRecord[];
  /** Keys (recordKey in watch-state.ts: the cookie, unless the cookie is "0") of records that are gone. */
  removed: string[];
  /** The tick failed (e.g. the namespace vanished); the watch keeps trying. */
  error?: string;
}

/** A socket the kernel destroyed (as ss -E prints). */
export interface DestroyedNotification {
  subscriptionId: string;
  record: SocketRecord;
}

// ---------------------------------------------------------------------------------------------
// Errors

export const ErrorCodes = {
  /** JSON-RPC: the line is not JSON. */
  ParseError: -32700,
  /** JSON-RPC: not a request object, or too large. */
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  /** The params do not match the method's schema. `data` is the list of problems. */
  InvalidParams: -32602,
  InternalError: -32603,
  /** A request other than initialize before initialize. */
  NotInitialized: -32002,
  /** initialize with a different protocol version. */
  UnsupportedVersion: -32010,
  /** The netns (name or pid) does not exist or cannot be entered. */
  NamespaceNotFound: -32011,
  /** The kernel refused (EPERM/EACCES). */
  PermissionDenied: -32012,
  /** The filter text does not parse. `data` holds the ssq diagnostics. */
  BadFilter: -32013,
  /** Too many watches or subscriptions at once. */
  TooMany: -32014,
  /** Unknown watchId / subscriptionId. */
  UnknownId: -32015,
  /** The kernel lacks what the request needs (e.g. no SOCK_DESTROY, no lookup for this kind). */
  NotSupported: -32016,
  /** A recording cannot be opened or read (missing, not a recording, damaged, newer schema): the message says which file and why. */
  RecordingError: -32017,
} as const;

/** Limits the helper enforces (also in the validators). */
export const Limits = {
  /** A line longer than this is dropped unread (answered with InvalidRequest, id null). */
  maxMessageBytes: 1024 * 1024,
  maxFilterLength: 64 * 1024,
  defaultChunkSize: 500,
  maxChunkSize: 5000,
  minIntervalMs: 100,
  maxIntervalMs: 3_600_000,
  maxWatches: 64,
  maxSubscriptions: 16,
  maxKill: 10_000,
  maxViews: 16,
  /** Rows of one page of a view. */
  maxViewPage: 5000,
  maxViewPages: 64,
  maxPinned: 32,
  maxPinnedPids: 4096,
  maxViewCookies: 10_000,
  maxHealthFiles: 64,
  maxHealthFileBytes: 256 * 1024,
  maxProcessPids: 4096,
} as const;

export interface FindingsParams {
  netns?: NetnsRef;
  /** Threshold overrides by name (`close-wait.count`: see src/findings/thresholds.ts); unknown names are InvalidParams. */
  thresholds?: Record<string, number>;
}

/**
 * Findings pushed as the sockets change: after each refresh of a view that holds every tcp and udp
 * socket of the namespace (its store is read, no dump of its own), else from a dump of their own
 * every `intervalMs` (no such view: hidden, filtered, or none). One per session; sending it again
 * replaces it. A `findings/changed` notification goes out only when the findings changed.
 */
export interface FindingsWatchParams extends FindingsParams {
  /** Between the findings' own dumps while no view holds the namespace's sockets (default 30 s). */
  intervalMs?: number;
}

/** The findings now (helper -> client), sent only when they changed since the last one. */
export interface FindingsChangedNotification extends FindingsResult {
  netns?: NetnsRef;
  /** Where the sockets came from: a view's store, or the findings' own dump. */
  source: 'view' | 'dump';
  /** pid -> what the process is (`node server.js`), for every pid the findings name. */
  processLabels: Record<string, string>;
  /** Why no findings could be made (the namespace is gone, the dump failed); findings is then empty. */
  error?: string;
}

/** One `.ssq` file's text (the helper reads no file itself). */
export interface HealthFileText {
  /** Where it came from (echoed in results; never opened by the helper). */
  uri: string;
  text: string;
}

export interface HealthParams {
  files: HealthFileText[];
  netns?: NetnsRef;
}

/** One named query with thresholds, evaluated (spec section 5 of the ssq language). */
export interface HealthQueryResult {
  uri: string;
  name: string;
  /** 0-based line of its `[name]` header. */
  line: number;
  /** The query body as written, lines joined (what `sockscope.runQuery` takes). */
  text: string;
  state: 'ok' | 'warn' | 'error';
  count: number;
  /** Each measure its thresholds name, `count` first; value null over no sockets. */
  measures: { key: string; value: number | null; text: string }[];
  /** The thresholds that hold, as `warn count > 800`. */
  holding: string[];
  /** Every threshold, as `warn count > 800`. */
  thresholds: string[];
  /** The check line's summary: `https WARNING: 850 (warn > 800, error > 1000)`. */
  summary: string;
  note?: string;
}

export interface HealthResult {
  queries: HealthQueryResult[];
  /** Files whose errors keep their queries from being evaluated: `uri:line:column: message`. */
  errors: string[];
}

export interface FindingsResult {
  /** Every finding for the namespace now (a finding not listed any more is resolved). */
  findings: Finding[];
  /** `ss -s`'s numbers, or null when /proc/net/sockstat could not be read. */
  summary: SocketSummary | null;
  /** Milliseconds the rules took (not the dump or the reads): the benchmark reads it. */
  rulesMs: number;
  /** The same work as CPU time (user + system ms): what a loaded machine does not inflate. */
  rulesCpuMs: number;
  /** Sockets the rules looked at. */
  sockets: number;
}

