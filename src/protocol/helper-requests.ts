// Every request the helper serves and every notification it sends: method, params and result types and
// the params' schema, declared together (message-type.ts). The helper refuses anything else (MethodNotFound)
// and runs the schema before any handler, so a request it refuses never reaches code that touches the
// system. To add a request: its params/result shapes in helper-protocol.ts, one line here, its handler in
// src/helper/handlers.ts (the compiler asks for it); the client calls `helper.request(HELPER_REQUESTS.x, p)`.
import type {
  Capabilities, DestroyedNotification, FindingsChangedNotification, FindingsParams, FindingsResult, FindingsWatchParams, HealthParams, HealthResult, DumpChunkNotification, DumpParams, DumpResult, InitializeParams, InitializeResult,
  KillParams, KillResult, ListNamespacesResult, LookupParams, LookupResult, ProcessesParams, ProcessesResult, ReadyNotification, SubscribeDestroyedParams,
  UnsubscribeDestroyedParams, UnwatchParams, WatchParams, WatchResult, WatchUpdateNotification,
} from './helper-protocol';
import { Limits } from './helper-protocol';
import { HISTORY_KEYS_ARE_METHODS, HISTORY_NOTIFICATIONS, HISTORY_REQUESTS } from './history-requests';
import { checkParams, notificationType, requestType, type Checked, type ParamsOf, type ResultOf } from './message-type';
import { array, boolean, integer, noParams, object, opt, req, string, type Schema } from './schema';
import {
  MAX_PID, MAX_U32, chunkSizeSchema, extensionsSchema, idSchema, netnsSchema, queryFields, socketKeyLoose, viewSchemas, watchSchema,
} from './validate';
import type {
  ViewChangedNotification, ViewCloseParams, ViewOpenParams, ViewOpenResult, ViewRowsParams, ViewRowsResult,
  ViewUpdateParams, ViewUpdateResult,
} from './view-protocol';

type NoParams = Record<string, never> | undefined;
const anything: Schema = () => undefined;

/** Threshold overrides: at most 64 names of the form `rule.name`, each a finite non-negative number (the helper checks the names). */
const thresholdsSchema: Schema = (v, path, errors) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) { errors.push(`${path}: expected object`); return; }
  const entries = Object.entries(v);
  if (entries.length > 64) { errors.push(`${path}: more than 64 thresholds`); return; }
  for (const [k, n] of entries) {
    if (!/^[a-z-]{1,40}\.[a-z-]{1,40}$/.test(k)) errors.push(`${path}: bad threshold name "${k.slice(0, 40)}"`);
    else if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) errors.push(`${path}.${k}: expected a non-negative number`);
  }
};

export const HELPER_REQUESTS = {
  initialize: requestType<InitializeParams, InitializeResult>()('initialize',
    object({ protocolVersion: req(integer(0, MAX_U32)), clientName: opt(string({ max: 200 })) })),
  dump: requestType<DumpParams, DumpResult>()('dump', object({ ...queryFields, stream: req(idSchema), chunkSize: opt(chunkSizeSchema) })),
  lookup: requestType<LookupParams, LookupResult>()('lookup',
    object({ socket: req(socketKeyLoose), extensions: opt(extensionsSchema), netns: opt(netnsSchema) })),
  watch: requestType<WatchParams, WatchResult>()('watch', watchSchema),
  unwatch: requestType<UnwatchParams, null>()('unwatch', object({ watchId: req(idSchema) })),
  subscribeDestroyed: requestType<SubscribeDestroyedParams, null>()('subscribeDestroyed', object({
    subscriptionId: req(idSchema),
    netids: opt(array(string({ max: 3, oneOf: ['tcp', 'udp'] }), 4)),
    netns: opt(netnsSchema),
  })),
  unsubscribeDestroyed: requestType<UnsubscribeDestroyedParams, null>()('unsubscribeDestroyed', object({ subscriptionId: req(idSchema) })),
  kill: requestType<KillParams, KillResult>()('kill', object({ sockets: req(array(socketKeyLoose, Limits.maxKill)), netns: opt(netnsSchema) })),
  listNamespaces: requestType<NoParams, ListNamespacesResult>()('listNamespaces', noParams),
  capabilities: requestType<NoParams, Capabilities>()('capabilities', noParams),
  /** The findings (src/findings) of a namespace, from a fresh dump; deltas against this session's previous call. */
  findings: requestType<FindingsParams, FindingsResult>()('findings', object({ netns: opt(netnsSchema), thresholds: opt(thresholdsSchema) })),
  /** Findings pushed as `findings/changed` when they change (FindingsWatchParams); replaces the session's previous one. */
  'findings/watch': requestType<FindingsWatchParams, null>()('findings/watch', object({
    netns: opt(netnsSchema), thresholds: opt(thresholdsSchema), intervalMs: opt(integer(Limits.minIntervalMs, Limits.maxIntervalMs)),
  })),
  /** Stops the session's findings watch. */
  'findings/unwatch': requestType<NoParams, null>()('findings/unwatch', noParams),
  /** The thresholds of `.ssq` files' named queries over one dump (the texts come with the request). */
  health: requestType<HealthParams, HealthResult>()('health', object({
    files: req(array(object({ uri: req(string({ max: 4096 })), text: req(string({ max: Limits.maxHealthFileBytes })) }), Limits.maxHealthFiles)),
    netns: opt(netnsSchema),
  })),
  /** Stops every watch and subscription, answers null, then the helper exits. */
  shutdown: requestType<NoParams, null>()('shutdown', noParams),
  /** What processes are (command line, user, container or unit) and their process trees. */
  processes: requestType<ProcessesParams, ProcessesResult>()('processes', object({
    pids: opt(array(integer(1, MAX_PID), Limits.maxProcessPids)), children: opt(boolean), all: opt(boolean),
  })),
  /** The screen-shaped view of a socket set (view-protocol.ts). */
  'view/open': requestType<ViewOpenParams, ViewOpenResult>()('view/open', viewSchemas.open),
  'view/update': requestType<ViewUpdateParams, ViewUpdateResult>()('view/update', viewSchemas.update),
  'view/rows': requestType<ViewRowsParams, ViewRowsResult>()('view/rows', viewSchemas.rows),
  'view/close': requestType<ViewCloseParams, null>()('view/close', viewSchemas.close),
  /** Reading recordings (history-requests.ts). */
  ...HISTORY_REQUESTS,
} as const;

// The client trusts the helper it started (it validated what it sent); notification schemas accept anything.
export const HELPER_NOTIFICATIONS = {
  ready: notificationType<ReadyNotification>()('ready', anything),
  dumpChunk: notificationType<DumpChunkNotification>()('dump/chunk', anything),
  watchUpdate: notificationType<WatchUpdateNotification>()('watch/update', anything),
  destroyed: notificationType<DestroyedNotification>()('destroyed', anything),
  viewChanged: notificationType<ViewChangedNotification>()('view/changed', anything),
  findingsChanged: notificationType<FindingsChangedNotification>()('findings/changed', anything),
  ...HISTORY_NOTIFICATIONS,
} as const;

export type HelperRequests = typeof HELPER_REQUESTS;
export type HelperMethod = keyof HelperRequests;
export type HelperParams<M extends HelperMethod> = ParamsOf<HelperRequests[M]>;
export type HelperResult<M extends HelperMethod> = ResultOf<HelperRequests[M]>;
export type HelperNotifications = typeof HELPER_NOTIFICATIONS;

export const HELPER_METHODS = Object.keys(HELPER_REQUESTS) as HelperMethod[];

// Each table key is its method name (the compiler checks it): the dispatcher looks requests up by key.
const keysAreMethods: { [K in HelperMethod]: HelperRequests[K]['method'] extends K ? true : never } = {
  initialize: true, dump: true, lookup: true, watch: true, unwatch: true, subscribeDestroyed: true, unsubscribeDestroyed: true,
  kill: true, listNamespaces: true, capabilities: true, findings: true, 'findings/watch': true, 'findings/unwatch': true, shutdown: true, processes: true, health: true,
  'view/open': true, 'view/update': true, 'view/rows': true, 'view/close': true,
  ...HISTORY_KEYS_ARE_METHODS,
};
void keysAreMethods;

export function isHelperMethod(method: string): method is HelperMethod {
  return Object.prototype.hasOwnProperty.call(HELPER_REQUESTS, method);
}

/** Checks a request's params against its method's schema. */
export function validateParams<M extends HelperMethod>(method: M, params: unknown): Checked<HelperParams<M>> {
  return checkParams(HELPER_REQUESTS[method], params) as Checked<HelperParams<M>>;
}
