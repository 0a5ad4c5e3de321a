// The building blocks of the helper requests' schemas (namespaces, queries, socket keys, ids); the
// requests themselves, each with its schema, are in helper-requests.ts.
import { Limits } from './helper-protocol';
import { array, boolean, integer, object, oneOf, opt, req, string, nullable } from './schema';
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

export const MAX_PID = 4_194_304;
export const MAX_U32 = 0xffffffff;

export const idSchema = string({ max: 64, pattern: STREAM_ID });
const netid = string({ max: 8, oneOf: NETIDS });
const family = string({ max: 8, oneOf: FAMILIES });
const state = string({ max: 16, oneOf: STATE_NAMES });

export const netnsSchema: Schema = oneOf(
  object({ name: req(string({ max: 255, pattern: NETNS_NAME })) }),
  object({ pid: req(integer(1, MAX_PID)) }),
);

export const extensionsSchema = object({
  processes: opt(boolean), tcpInfo: opt(boolean), memInfo: opt(boolean), timers: opt(boolean), extended: opt(boolean),
});

export const queryFields = {
  netids: opt(array(netid, NETIDS.length * 2)),
  families: opt(array(family, FAMILIES.length * 2)),
  states: opt(array(state, STATE_NAMES.length * 2)),
  filter: opt(string({ max: Limits.maxFilterLength })),
  extensions: opt(extensionsSchema),
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
export const socketKeyLoose: Schema = (v, path, errors) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) { socketKeySchema(v, path, errors); return; }
  const keyOnly: Record<string, unknown> = {};
  const src = v as Record<string, unknown>;
  for (const k of ['netid', 'family', 'localAddress', 'localPort', 'peerAddress', 'peerPort', 'iface', 'inode', 'cookie']) {
    if (k in src) keyOnly[k] = src[k];
  }
  socketKeySchema(keyOnly, path, errors);
};

export const chunkSizeSchema = integer(1, Limits.maxChunkSize);

export const watchSchema: Schema = (v, path, errors) => {
  object({
    watchId: req(idSchema),
    intervalMs: req(integer(Limits.minIntervalMs, Limits.maxIntervalMs)),
    query: opt(querySchema),
    socket: opt(socketKeyLoose),
    extensions: opt(extensionsSchema),
    netns: opt(netnsSchema),
    chunkSize: opt(chunkSizeSchema),
  })(v, path, errors);
  if (errors.length) return;
  const p = v as { query?: unknown; socket?: unknown };
  if ((p.query === undefined) === (p.socket === undefined)) errors.push(`${path}: exactly one of query and socket`);
};

// The view/* requests (view-protocol.ts).
const { extensions: _extensions, ...viewQueryBase } = queryFields;
const viewQuery = object({
  ...viewQueryBase, exposedOnly: opt(boolean), pid: opt(integer(1, MAX_PID)),
  cookies: opt(array(string({ max: 300 }), Limits.maxViewCookies)),
});
const viewPage = object({
  group: req(string({ min: 1, max: 300 })),
  offset: req(integer(0, 100_000_000)),
  limit: req(integer(1, Limits.maxViewPage)),
  filter: opt(string({ max: Limits.maxFilterLength })),
});
const pinned = array(object({
  id: req(idSchema),
  label: req(string({ max: 200 })),
  pids: req(array(integer(1, MAX_PID), Limits.maxPinnedPids)),
}), Limits.maxPinned);
const intervalMs = integer(Limits.minIntervalMs, Limits.maxIntervalMs);
const groupBy = string({ max: 16, oneOf: VIEW_GROUP_BYS });
const sort = string({ max: 16, oneOf: VIEW_SORTS });
const expanded = array(viewPage, Limits.maxViewPages);

export const viewSchemas = {
  open: object({
    viewId: req(idSchema), intervalMs: req(intervalMs), query: req(viewQuery), groupBy: req(groupBy),
    sort: opt(sort), expanded: opt(expanded), pinned: opt(pinned),
  }),
  update: object({
    viewId: req(idSchema), intervalMs: opt(intervalMs), query: opt(viewQuery), groupBy: opt(groupBy),
    sort: opt(sort), expanded: opt(expanded), pinned: opt(pinned), refresh: opt(boolean),
  }),
  rows: object({ viewId: req(idSchema), page: req(viewPage) }),
  close: object({ viewId: req(idSchema) }),
};
