// What every rule gets, and the small helpers they share.
import type { Finding, RuleId, Severity } from '../../protocol/findings';
import type { Counter } from '../../protocol/socket-record';
import type { FindingSocket, Snapshot, SysctlName } from '../snapshot';
import { errorOf, valueOf } from '../snapshot';
import type { Thresholds } from '../thresholds';
import type { SocketIndex } from '../socket-index';

export interface RuleContext {
  snap: Snapshot;
  /** The snapshot before, for rules that need a rate (counters that grew). */
  prev?: Snapshot;
  th: Thresholds;
  /** The sockets sorted out once for all rules (socket-index.ts). */
  index: SocketIndex;
  /** Cookie -> when the socket was first seen in CLOSE-WAIT (ms), from earlier snapshots. */
  closeWaitSince?: ReadonlyMap<string, number>;
}

export type Rule = (ctx: RuleContext) => Finding[];

export function finding(rule: RuleId, about: string, severity: Severity, f: Omit<Finding, 'id' | 'rule' | 'severity' | 'sockets' | 'processes'> & { sockets?: string[]; processes?: number[] }): Finding {
  return {
    id: about ? `${rule}/${about}` : rule, rule, severity, title: f.title, detail: f.detail,
    sockets: f.sockets ?? [], processes: f.processes ?? [], hint: f.hint,
  };
}

/** `addr:port`, with brackets for IPv6. */
export function endpoint(addr: string | null, port: number): string {
  const a = addr ?? '*';
  return a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`;
}

export const isWildcard = (addr: string | null): boolean => addr === '0.0.0.0' || addr === '::' || addr === null;

/** The pids holding a socket, in order, without repeats. */
export function pidsOf(sockets: Iterable<FindingSocket>): number[] {
  const out = new Set<number>();
  for (const s of sockets) for (const p of s.processes ?? []) out.add(p.pid);
  return [...out].sort((a, b) => a - b);
}

/** `1234 (nginx)` for the first holder, or `an unknown process`. */
export function ownerText(s: FindingSocket): string {
  const p = s.processes?.[0];
  return p ? `${p.name} (pid ${p.pid})` : 'a process Sockscope cannot see (run as root to name it)';
}

export function num(v: Counter | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function counter(snap: Snapshot | undefined, name: string): number | undefined {
  return valueOf(snap?.counters)?.[name];
}

/** A counter's growth since the previous snapshot; undefined without one (or after a reset). */
export function delta(ctx: RuleContext, name: string): number | undefined {
  const a = counter(ctx.prev, name);
  const b = counter(ctx.snap, name);
  if (a === undefined || b === undefined || b < a) return undefined;
  return b - a;
}

export function sysctlNumber(snap: Snapshot, name: SysctlName): { value?: number; error?: string } {
  const s = snap.sysctls[name];
  if (!s) return { error: `${name} was not read` };
  const err = errorOf(s);
  if (err) return { error: `${name}: ${err}` };
  const n = Number(valueOf(s)!.trim());
  return Number.isFinite(n) ? { value: n } : { error: `${name} is not a number ("${valueOf(s)!.trim().slice(0, 40)}")` };
}

export function portRange(snap: Snapshot): { value?: [number, number]; error?: string } {
  const s = snap.sysctls['net.ipv4.ip_local_port_range'];
  if (!s || errorOf(s)) return { error: `net.ipv4.ip_local_port_range: ${errorOf(s) ?? 'not read'}` };
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(valueOf(s)!);
  return m ? { value: [Number(m[1]), Number(m[2])] } : { error: 'net.ipv4.ip_local_port_range is not two numbers' };
}

export const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

/** Group by a key, keeping insertion order. */
export function groupBy<T>(items: Iterable<T>, key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    if (k === undefined) continue;
    const g = out.get(k);
    if (g) g.push(it); else out.set(k, [it]);
  }
  return out;
}
