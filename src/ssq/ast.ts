// The expression AST. Every node carries the source range it was parsed from; parentheses do not
// get nodes of their own (the grouping is the tree's shape), so `format(parse(x))` keeps the tree.
import type { Range } from './text';

export type Expr = BinaryExpr | NotExpr | HostExpr | PortExpr | DevExpr | MarkExpr | CgroupExpr | AutoboundExpr | ErrorExpr;

/** `a and b`, `a b` (juxtaposition, op null) or `a or b`; AND and OR group left to right with equal precedence. */
export interface BinaryExpr {
  type: 'and' | 'or';
  left: Expr;
  right: Expr;
  /** The operator word as written (`and`, `&&`, `|`...), or null for juxtaposition. */
  op: Token | null;
  range: Range;
}

export interface NotExpr {
  type: 'not';
  operand: Expr;
  /** `!` or `not` as written. */
  op: Token;
  range: Range;
}

/** A word of the source with its range. */
export interface Token {
  text: string;
  range: Range;
}

export type PortCmp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/** `src HOST` / `dst HOST`. The `src != X` extension parses as a `not` node around this (op `!=`). */
export interface HostExpr {
  type: 'host';
  dir: 'src' | 'dst';
  keyword: Token;
  /** The operator as written, null when omitted. */
  op: Token | null;
  host: HostSpec;
  range: Range;
}

/** `sport CMP PORT` / `dport CMP PORT`. */
export interface PortExpr {
  type: 'port';
  dir: 'sport' | 'dport';
  keyword: Token;
  cmp: PortCmp;
  op: Token | null;
  port: PortValue;
  range: Range;
}

export interface DevExpr {
  type: 'dev';
  keyword: Token;
  negated: boolean;
  op: Token | null;
  /** Interface name or number as written. */
  value: Token;
  /** Resolved interface index; null if the name could not be resolved (no resolver or unknown). */
  ifindex: number | null;
  range: Range;
}

export interface MarkExpr {
  type: 'fwmark';
  keyword: Token;
  negated: boolean;
  op: Token | null;
  value: Token;
  mark: number;
  /** 0xffffffff when no `/MASK` was given. */
  mask: number;
  range: Range;
}

export interface CgroupExpr {
  type: 'cgroup';
  keyword: Token;
  negated: boolean;
  op: Token | null;
  value: Token;
  /** cgroup v2 id from the resolver, null if unresolved. */
  id: bigint | null;
  range: Range;
}

export interface AutoboundExpr {
  type: 'autobound';
  range: Range;
}

/** Placeholder where a term could not be parsed; it matches nothing and compiles to no bytecode. */
export interface ErrorExpr {
  type: 'error';
  range: Range;
}

/** A port value: a number, or null for `*` (any port). */
export interface PortValue {
  text: string;
  range: Range;
  value: number | null;
  /** The service name when written as one (`ssh`), else undefined. */
  service?: string;
}

export type HostFamilyPrefix = 'inet' | 'inet6' | 'unix' | 'link' | 'netlink' | 'vsock';

export type HostSpec = InetHost | UnixHost | LinkHost | NetlinkHost | VsockHost;

interface HostBase {
  /** The word as written (without shell quotes). */
  text: string;
  range: Range;
  /** An explicit `inet:` ... `vsock:` prefix, or null. */
  prefix: HostFamilyPrefix | null;
}

/** An IPv4/IPv6 prefix. `bytes` has 4 or 16 entries; bits past prefixLen are as written. */
export interface InetPrefix {
  family: 4 | 6;
  bytes: Uint8Array;
  prefixLen: number;
}

export interface InetHost extends HostBase {
  kind: 'inet';
  /** 4 or 6 when fixed by a prefix or the address itself, null when any (`*:22`, `:22`). */
  family: 4 | 6 | null;
  /** Alternatives (a host name can resolve to several); empty means any address. */
  addresses: InetPrefix[];
  /** Set when the address was a name to resolve. */
  hostname?: string;
  port: PortValue | null;
}

/** A glob (fnmatch, no flags) over the unix socket path; `@name` for abstract sockets. */
export interface UnixHost extends HostBase {
  kind: 'unix';
  pattern: string;
}

/** `link:PROTO[:IFACE]`: packet sockets. */
export interface LinkHost extends HostBase {
  kind: 'link';
  /** Ethernet protocol number (host order), null for any. */
  protocol: number | null;
  ifindex: number | null;
}

/** `netlink:PROTO[:PORTID]`. */
export interface NetlinkHost extends HostBase {
  kind: 'netlink';
  protocol: number | null;
  portId: number | null;
}

/** `vsock:CID[:PORT]`. */
export interface VsockHost extends HostBase {
  kind: 'vsock';
  cid: number | null;
  port: number | null;
}
