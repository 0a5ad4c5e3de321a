// A set of named queries evaluated over one dump: the union of what they need is asked of the
// kernel once (kinds, families, states, tcp_info only when a threshold or the caller needs a
// tcp_info field), and each socket is checked against every query's netids, family, states and
// expression as it arrives. `sockscope check`, the exporter and the helper's health requests use it.
import { TCP_STATE } from '../fields/socket-states';
import { SS_DUMP_ORDER, kindOfNetid, type SockDiag, type DumpRequest, type SockKind, type Socket } from '../netlink/index';
import {
  HealthAccumulator, compileMatcher, type ParsedQuery, type QueryHealth, type SsqSocket, type Threshold,
} from '../ssq/index';
import { parseNetstat } from '../findings/index';
import { familyOf } from './record';
import { toSsqSocket } from './ssq-socket';

/** One query of a `.ssq` file, parsed without errors. */
export interface HealthQuery {
  name: string;
  parsed: ParsedQuery;
  thresholds: readonly Threshold[];
}

export interface QuerySetOptions {
  /** Fields to collect for every query besides those its thresholds name (the exporter's rtt). */
  extraFields?: readonly string[];
  /** Also count every socket of every kind by netid and state, and report tcp listeners and counters. */
  inventory?: boolean;
  /** Ask for tcp_info on every tcp socket (for `onSocket`), not only where a threshold needs it. */
  tcpInfo?: boolean;
  /** Sees every dumped socket (transient: valid only during the call). */
  onSocket?: (s: Socket) => void;
}

export interface ListenerSample {
  /** `ADDRESS:PORT` as ss prints a listener's local address (`[::]:22`, `0.0.0.0:80`). */
  local: string;
  /** Summed over the listeners sharing the address (SO_REUSEPORT groups). */
  acceptQueue: number;
  backlog: number;
}

export interface QueryResult {
  name: string;
  health: QueryHealth;
  accumulator: HealthAccumulator;
}

export interface QuerySetSnapshot {
  queries: QueryResult[];
  /** With `inventory`: socket counts keyed by netid, then ss's state name. */
  sockets?: Map<string, Map<string, number>>;
  listeners?: ListenerSample[];
  /** With `inventory`: the namespace's /proc/net/netstat counters by `Group.Name` (`TcpExt.ListenOverflows`). */
  netstat?: Record<string, number>;
  /** Plain-language notes from the dump (procfs fallback and the like). */
  notes: string[];
  /** Kinds read from /proc/net instead of sock_diag, and kinds not dumped at all. */
  procfs: string[];
  skipped: string[];
}

const INET: ReadonlySet<SockKind> = new Set(['tcp', 'udp', 'raw', 'mptcp']);
const ALL = (1 << 14) - 1;
const { LISTEN } = TCP_STATE;

interface Compiled {
  q: HealthQuery;
  netids: ReadonlySet<string>;
  families: ReadonlySet<string>;
  states: number;
  match: ((s: SsqSocket) => boolean) | null;
  acc: HealthAccumulator;
}

/** A query's kinds as the engine names them. */
function kindsOf(p: ParsedQuery): SockKind[] {
  const fam = new Set<string>(p.options.families);
  const out = new Set<SockKind>();
  for (const n of p.options.kinds) {
    const k = kindOfNetid(n);
    if (!k) continue;
    const ok = INET.has(k) ? fam.has('inet') || fam.has('inet6') : k === 'unix' ? fam.has('unix') : k === 'packet' ? fam.has('packet') : fam.has('netlink');
    if (ok) out.add(k);
  }
  return [...out];
}

function listenerAddress(s: Socket): string {
  const a = s.localAddress ?? '*';
  return `${a.includes(':') ? `[${a}]` : a}:${s.localPort}`;
}

/** Reads a field of the socket for an accumulator (undefined where the socket has none). */
function fieldReader(s: Socket): (f: string) => number | undefined {
  let ti: Record<string, unknown> | undefined | null = null;
  return (f) => {
    if (f === 'recvQ') return s.recvQ;
    if (f === 'sendQ') return s.sendQ;
    if (ti === null) ti = s.tcpInfo as unknown as Record<string, unknown> | undefined;
    const v = ti?.[f];
    return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
  };
}

/**
 * Dumps the namespace of `diag` once and evaluates every query. `diag` stays open (the exporter
 * reuses one across scrapes); errors from the kernel are thrown as NetlinkError.
 */
export async function evaluateQuerySet(diag: SockDiag, queries: readonly HealthQuery[], opts: QuerySetOptions = {}): Promise<QuerySetSnapshot> {
  const portRange = (): [number, number] | undefined => diag.localPortRange();
  const compiled: Compiled[] = queries.map((q) => ({
    q,
    netids: new Set<string>(q.parsed.options.kinds),
    families: new Set<string>(q.parsed.options.families),
    states: q.parsed.options.states,
    match: q.parsed.expr ? compileMatcher(q.parsed.expr, { ephemeralPorts: portRange }) : null,
    acc: new HealthAccumulator(q.thresholds, opts.extraFields ?? []),
  }));

  // The union of what the queries need.
  const kinds = new Set<SockKind>(opts.inventory ? SS_DUMP_ORDER : []);
  let states = opts.inventory ? ALL : 0;
  const families = new Set<4 | 6>(opts.inventory ? [4, 6] : []);
  let info = opts.tcpInfo === true;
  for (const c of compiled) {
    for (const k of kindsOf(c.q.parsed)) kinds.add(k);
    states |= c.states;
    if (c.families.has('inet')) families.add(4);
    if (c.families.has('inet6')) families.add(6);
    if (c.acc.needsTcpInfo && c.netids.has('tcp')) info = true;
  }

  const sockets = opts.inventory ? new Map<string, Map<string, number>>() : undefined;
  const listeners = opts.inventory ? new Map<string, ListenerSample>() : undefined;
  const onSocket = (s: Socket): void => {
    opts.onSocket?.(s);
    if (sockets) {
      let byState = sockets.get(s.netid);
      if (!byState) sockets.set(s.netid, (byState = new Map()));
      const st = s.stateName;
      byState.set(st, (byState.get(st) ?? 0) + 1);
      if (listeners && s.kind === 'tcp' && s.state === LISTEN) {
        const local = listenerAddress(s);
        const l = listeners.get(local);
        if (l) { l.acceptQueue += s.recvQ; l.backlog += s.sendQ; } else listeners.set(local, { local, acceptQueue: s.recvQ, backlog: s.sendQ });
      }
    }
    let ssq: SsqSocket | null = null;
    let read: ((f: string) => number | undefined) | null = null;
    let fam: string | null = null;
    for (const c of compiled) {
      if (!(c.states & (1 << s.state)) || !c.netids.has(s.netid)) continue;
      if (!c.families.has((fam ??= familyOf(s)))) continue;
      if (c.match && !c.match((ssq ??= toSsqSocket(s)))) continue;
      c.acc.add((read ??= fieldReader(s)));
    }
  };

  const notes: string[] = [];
  const procfs: string[] = [];
  const skipped: string[] = [];
  const fams = families.size ? [...families] : [4, 6] as (4 | 6)[];
  for (const kind of SS_DUMP_ORDER) {
    if (!kinds.has(kind)) continue;
    const req: DumpRequest = {
      kinds: [kind], states: states & ALL, transient: true,
      ext: { info: info && kind === 'tcp', mark: true, cgroup: true },
      ...(INET.has(kind) ? { families: fams } : {}),
    };
    const r = await diag.dumpBatched(req, onSocket);
    for (const n of r.notes) if (!notes.includes(n)) notes.push(n);
    procfs.push(...r.procfs);
    skipped.push(...r.skipped);
  }

  const snap: QuerySetSnapshot = {
    queries: compiled.map((c) => ({ name: c.q.name, health: c.acc.result(), accumulator: c.acc })),
    notes, procfs, skipped,
  };
  if (sockets) snap.sockets = sockets;
  if (listeners) snap.listeners = [...listeners.values()];
  if (opts.inventory) {
    const text = diag.netstatText();
    if (text !== undefined) {
      try { snap.netstat = parseNetstat(text); } catch { /* a malformed file: no counters this time */ }
    }
  }
  return snap;
}
