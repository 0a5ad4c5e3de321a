// The schema of every helper request's params (helper-protocol.ts). The helper runs
// `validateParams(method, params)` before any handler: a request it refuses never reaches code that
// touches the system.
import type { HelperMethod, ParamsOf } from './helper-protocol';
import { HELPER_METHODS, Limits } from './helper-protocol';
import { array, boolean, check, integer, noParams, object, oneOf, opt, req, string, nullable } from './schema';
import type { Schema } from './schema';
import { NETIDS, STATE_NAMES } from './socket-record';
import { VIEW_GROUP_BYS, VIEW_SORTS } from './view-protocol';

const FAMILIES = ['inet', 'inet6', 'unix', 'packet', 'netlink', 'vsock'] as const;

/** A file name under /run/netns: no slash, no NUL, not "." or "..". */
export const NETNS_NAME = /^(?!\.{1,2}$)[A-Za-z0-9_.-]{1,255}$/;
/** Client-chosen ids for streams, watches and subscriptions. */
export const STREAM_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** A socket cookie: lowercase hex, as ss -e prints it. */
export const COOKIE = /^[0-9a-f]{1,16}$/;

const MAX_PID = 4_194_304;
const MAX_U32 = 0xffffffff;

const id = string({ max: 64, pattern: STREAM_ID });
const netid = string({ max: 8, oneOf: NETIDS });
const family = string({ max: 8, oneOf: FAMILIES });
const state = string({ max: 16, oneOf: STATE_NAMES });

export const netnsSchema: Schema = oneOf(
  object({ name: req(string({ max: 255, pattern: NETNS_NAME })) }),
  object({ pid: req(integer(1, MAX_PID)) }),
);

const extensions = object({
  processes: opt(boolean), tcpInfo: opt(boolean), memInfo: opt(boolean), timers: opt(boolean), extended: opt(boolean),
});

const queryFields = {
  netids: opt(array(netid, NETIDS.length * 2)),
  families: opt(array(family, FAMILIES.length * 2)),
  states: opt(array(state, STATE_NAMES.length * 2)),
  filter: opt(string({ max: Limits.maxFilterLength })),
  extensions: opt(extensions),
  netns: opt(netnsSchema),
};
export const querySchema = object(queryFields);

const address = nullable(string({ max: 4096 }));
export const socketKeySchema = object({
  netid: req(netid),
  family: req(family),
  localAddress: req(address),
  localPort: req(integer(0, MAX_U32)),
  peerAddress: req(address),
  peerPort: req(integer(0, MAX_U32)),
  iface: opt(nullable(string({ max: 64 }))),
  inode: req(integer(0, MAX_U32)),
  cookie: req(string({ max: 16, pattern: COOKIE })),
});

/** A whole SocketRecord may be passed where a SocketKey is expected: accept its other fields without looking at them. */
const socketKeyLoose: Schema = (v, path, errors) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) { socketKeySchema(v, path, errors); return; }
  const keyOnly: Record<string, unknown> = {};
  const src = v as Record<string, unknown>;
  for (const k of ['netid', 'family', 'localAddress', 'localPort', 'peerAddress', 'peerPort', 'iface', 'inode', 'cookie']) {
    if (k in src) keyOnly[k] = src[k];
  }
  socketKeySchema(keyOnly, path, errors);
};

const chunkSize = integer(1, Limits.maxChunkSize);

const watchSchema: Schema = (v, path, errors) => {
  object({
    watchId: req(id),
    intervalMs: req(integer(Limits.minIntervalMs, Limits.maxIntervalMs)),
    query: opt(querySchema),
    socket: opt(socketKeyLoose),
    extensions: opt(extensions),
    netns: opt(netnsSchema),
    chunkSize: opt(chunkSize),
  })(v, path, errors);
  if (errors.length) return;
  const p = v as { query?: unknown; socket?: unknown };
  if ((p.query === undefined) === (p.socket === undefined)) errors.push(`${path}: exactly one of query and socket`);
};

const { extensions: _extensions, ...viewQueryBase } = queryFields;
const viewQuery = object({ ...viewQueryBase, exposedOnly: opt(boolean), pid: opt(integer(1, MAX_PID)) });
const viewPage = object({
  group: req(string({ min: 1, max: 300 })),
  offset: req(integer(0, 100_000_000)),
  limit: req(integer(1, Limits.maxViewPage)),
  filter: opt(string({ max: Limits.maxFilterLength })),
});
const pinned = array(object({
  id: req(id),
  label: req(string({ max: 200 })),
  pids: req(array(integer(1, MAX_PID), Limits.maxPinnedPids)),
}), Limits.maxPinned);
const viewFields = {
  intervalMs: integer(Limits.minIntervalMs, Limits.maxIntervalMs),
  groupBy: string({ max: 16, oneOf: VIEW_GROUP_BYS }),
  sort: string({ max: 16, oneOf: VIEW_SORTS }),
  expanded: array(viewPage, Limits.maxViewPages),
};

const SCHEMAS: Record<HelperMethod, Schema> = {
  initialize: object({ protocolVersion: req(integer(0, MAX_U32)), clientName: opt(string({ max: 200 })) }),
  dump: object({ ...queryFields, stream: req(id), chunkSize: opt(chunkSize) }),
  lookup: object({ socket: req(socketKeyLoose), extensions: opt(extensions), netns: opt(netnsSchema) }),
  watch: watchSchema,
  unwatch: object({ watchId: req(id) }),
  subscribeDestroyed: object({
    subscriptionId: req(id),
    netids: opt(array(string({ max: 3, oneOf: ['tcp', 'udp'] }), 4)),
    netns: opt(netnsSchema),
  }),
  unsubscribeDestroyed: object({ subscriptionId: req(id) }),
  kill: object({ sockets: req(array(socketKeyLoose, Limits.maxKill)), netns: opt(netnsSchema) }),
  listNamespaces: noParams,
  capabilities: noParams,
  shutdown: noParams,
  'view/open': object({
    viewId: req(id), intervalMs: req(viewFields.intervalMs), query: req(viewQuery), groupBy: req(viewFields.groupBy),
    sort: opt(viewFields.sort), expanded: opt(viewFields.expanded), pinned: opt(pinned),
  }),
  'view/update': object({
    viewId: req(id), intervalMs: opt(viewFields.intervalMs), query: opt(viewQuery), groupBy: opt(viewFields.groupBy),
    sort: opt(viewFields.sort), expanded: opt(viewFields.expanded), pinned: opt(pinned), refresh: opt(boolean),
  }),
  'view/rows': object({ viewId: req(id), page: req(viewPage) }),
  'view/close': object({ viewId: req(id) }),
};

export function isHelperMethod(method: string): method is HelperMethod {
  return (HELPER_METHODS as readonly string[]).includes(method);
}

export type Validation<M extends HelperMethod> = { ok: true; params: ParamsOf<M> } | { ok: false; errors: string[] };

/** Checks a request's params against its method's schema. */
export function validateParams<M extends HelperMethod>(method: M, params: unknown): Validation<M> {
  const errors = check(SCHEMAS[method], params);
  if (errors.length) return { ok: false, errors: errors.slice(0, 20) };
  return { ok: true, params: params as ParamsOf<M> };
}
