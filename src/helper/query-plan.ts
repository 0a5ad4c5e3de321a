// A protocol SocketQuery -> what to ask the engine for (kinds, families, states, extensions,
// bytecode) and what to check on each socket (netids, the ssq expression). Filter text is parsed
// with ssq; options that would read files (-F) are refused.
import { ResponseError } from 'vscode-jsonrpc/node';
import type { DumpExt, DumpRequest, SockKind, Socket } from '../netlink';
import { ALL_STATES, kindOfNetid } from '../netlink';
import type { NetnsRef, RecordExtensions, SocketQuery } from '../protocol/helper-protocol';
import { ErrorCodes } from '../protocol/helper-protocol';
import { stateNumber } from '../fields/socket-states';
import type { Family, Netid } from '../protocol/socket-record';
import { NETIDS } from '../protocol/socket-record';
import { NETNS_NAME } from '../protocol/validate';
import { compileBytecode, compileMatcher, hasErrors, parseQuery, SS_ALL, type Expr } from '../ssq';
import { filterResolver } from './filter-resolver';
import { toSsqSocket } from '../host/ssq-socket';

export interface QueryPlan {
  request: DumpRequest;
  /**
   * The check of netid and expression for a dump of a namespace whose ip_local_port_range
   * `portRange` reads (for `autobound`); null: every socket the kernel returns.
   */
  acceptIn(portRange: () => [number, number] | undefined): ((s: Socket) => boolean) | null;
  extensions: RecordExtensions;
  netns: NetnsRef | undefined;
}

const FAMILIES_OF: Record<SockKind, Family[]> = {
  tcp: ['inet', 'inet6'], udp: ['inet', 'inet6'], raw: ['inet', 'inet6'], mptcp: ['inet', 'inet6'],
  unix: ['unix'], packet: ['packet'], netlink: ['netlink'],
};

export function engineExt(e: RecordExtensions): DumpExt {
  return {
    info: !!e.tcpInfo, cong: !!e.tcpInfo, mem: !!e.memInfo,
    tos: !!e.extended, shutdown: !!e.extended, mark: !!e.extended, cgroup: !!e.extended,
  };
}

function filterError(message: string, data?: unknown): ResponseError<unknown> {
  return new ResponseError(ErrorCodes.BadFilter, message, data);
}

export function planQuery(q: SocketQuery): QueryPlan {
  let netids: Netid[] = q.netids?.length ? [...q.netids] : [...NETIDS];
  let families: Family[] | undefined = q.families?.length ? [...q.families] : undefined;
  let states = q.states?.length ? q.states.reduce((m, s) => m | (1 << stateNumber(s)), 0) : SS_ALL;
  let netns = q.netns;
  let filter: Expr | null = null;
  let bytecode: Uint8Array | undefined;

  const text = q.filter?.trim() ?? '';
  if (text) {
    const parsed = parseQuery(text, { resolver: filterResolver(netns === undefined), extensions: true });
    if (hasErrors(parsed.diagnostics)) {
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
      throw filterError(`bad filter: ${errors.map((d) => d.message).join('; ')}`, errors.map((d) => ({ message: d.message, range: d.range })));
    }
    const o = parsed.options;
    if (o.filterFile !== null) throw filterError('bad filter: -F is not allowed here');
    if (o.netns !== null && netns === undefined) {
      if (!NETNS_NAME.test(o.netns)) throw filterError('bad filter: -N takes a name under /run/netns');
      netns = { name: o.netns };
    }
    if (o.explicitKinds) {
      const wanted = new Set<string>(o.kinds);
      netids = netids.filter((n) => wanted.has(n));
      const fams = new Set<string>(o.families);
      families = (families ?? (['inet', 'inet6', 'unix', 'packet', 'netlink', 'vsock'] as Family[])).filter((f) => fams.has(f));
    }
    if (parsed.stateWords.length || o.all || o.listening) states = o.states;
    if (parsed.expr) {
      filter = parsed.expr;
      try { bytecode = compileBytecode(parsed.expr) ?? undefined; } catch { bytecode = undefined; }
    }
  }

  const kinds: SockKind[] = [];
  for (const n of netids) {
    const k = kindOfNetid(n);
    if (k && !kinds.includes(k) && (!families || FAMILIES_OF[k].some((f) => families!.includes(f)))) kinds.push(k);
  }
  const inetFamilies: (4 | 6)[] = !families ? [4, 6] : [...(families.includes('inet') ? [4 as const] : []), ...(families.includes('inet6') ? [6 as const] : [])];

  // unix and packet kinds cover several netids: check the netid when only some were asked for.
  const netidSet = new Set<string>(netids);
  const partial = netids.length < NETIDS.length;
  const acceptIn = (portRange: () => [number, number] | undefined): ((s: Socket) => boolean) | null => {
    const match = filter ? compileMatcher(filter, { ephemeralPorts: portRange }) : null;
    if (partial) return match ? (s) => netidSet.has(s.netid) && match(toSsqSocket(s)) : (s) => netidSet.has(s.netid);
    return match ? (s) => match(toSsqSocket(s)) : null;
  };

  const extensions = q.extensions ?? {};
  const request: DumpRequest = { kinds, families: inetFamilies.length ? inetFamilies : [4, 6], states: states & ALL_STATES, ext: engineExt(extensions) };
  // fwmark and cgroup terms need those attributes even when the records do not show them.
  if (filter || partial) request.ext = { ...request.ext, mark: true, cgroup: true };
  if (bytecode && bytecode.length) request.bytecode = bytecode;
  if (kinds.length && inetFamilies.length === 0) request.kinds = kinds.filter((k) => !['tcp', 'udp', 'raw', 'mptcp'].includes(k));
  return { request, acceptIn, extensions, netns };
}
