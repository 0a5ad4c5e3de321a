// The findings of a namespace: its sockets, the kernel facts and firewall around them
// (src/host/findings), and the rules (src/findings) with one FindingsSession per namespace, so
// counters are compared with the previous run and CLOSE-WAIT ages accumulate. The sockets come
// from a view's store when a view holds every tcp and udp socket of the namespace (fromStore: no
// dump, no object per socket), else from a dump of their own (fromDump). The firewall is re-read at
// most every FIREWALL_MAX_AGE_MS: it changes rarely and costs processes.
import { ResponseError } from 'vscode-jsonrpc/node';
import { FindingsSession, resolveThresholds, socketSummary, type DiagFacts, type Finding, type FirewallFacts, type Thresholds } from '../findings/index';
import { collectSnapshot, type CollectInput } from '../host/findings/collect';
import { readFirewall } from '../host/findings/firewall';
import { labelProcesses } from '../host/findings/finding-socket';
import { ProcessIdentities } from '../host/process-identity';
import type { FindingsChangedNotification, FindingsParams, FindingsResult, NetnsRef } from '../protocol/helper-protocol';
import { ErrorCodes } from '../protocol/helper-protocol';
import type { ViewQuery } from '../protocol/view-protocol';
import { storePids, storeRows } from './findings-rows';
import { describeNetns, netnsPath } from './netns';
import type { SocketSource } from './socket-engine';
import type { SocketStore } from './socket-store';

const FIREWALL_MAX_AGE_MS = 10_000;
const MAX_SESSIONS = 8;

export type FindingsRun = FindingsResult & Pick<FindingsChangedNotification, 'source' | 'processLabels'>;

/** Thresholds from request params, or InvalidParams naming the bad one. */
export function thresholdsOf(p: FindingsParams): Thresholds {
  const { thresholds, errors } = resolveThresholds(p.thresholds, 'thresholds');
  if (errors.length) throw new ResponseError(ErrorCodes.InvalidParams, errors[0], errors);
  return thresholds;
}

/** The namespace key of a ref ('' for the helper's own), undefined when it does not exist. */
export function netnsKey(ref: NetnsRef | undefined): string | undefined {
  try { return netnsPath(ref) ?? ''; } catch { return undefined; }
}

/**
 * Whether a view holds every tcp and udp socket of its namespace, in every state: only then are its
 * sockets the findings' sockets (a filtered view would make a leak it filters out invisible).
 */
export function holdsAllTcpUdp(q: ViewQuery): boolean {
  if (q.filter?.trim() || q.exposedOnly || q.pid !== undefined || q.cookies !== undefined || q.states?.length) return false;
  if (q.netids?.length && !(q.netids.includes('tcp') && q.netids.includes('udp'))) return false;
  if (q.families?.length && !(q.families.includes('inet') && q.families.includes('inet6'))) return false;
  return true;
}

export class FindingsRunner {
  private readonly sessions = new Map<string, FindingsSession>();
  private readonly firewalls = new Map<string, { at: number; facts: Promise<FirewallFacts> }>();
  /** Findings name processes as the Sockets view does (`node server.js`, not `MainThread`). */
  private readonly identities = new ProcessIdentities();

  constructor(private readonly source: SocketSource, private readonly now: () => number = () => Date.now()) {}

  /** From a dump of the findings' own (no view holds the namespace's sockets). */
  async fromDump(netns: NetnsRef | undefined, thresholds: Thresholds): Promise<FindingsRun> {
    if (!this.source.findingSockets) throw new ResponseError(ErrorCodes.NotSupported, 'this helper has no findings');
    const path = netnsPath(netns);
    const firewall = await this.firewall(path ?? '', path);
    const dump = this.source.findingSockets(netns);
    const label = this.labeller();
    return this.evaluate(netns, path, thresholds, 'dump', {
      sockets: labelProcesses(dump.sockets, label), diag: dump.diag, invisibleProcesses: dump.invisibleProcesses, firewall,
    }, label);
  }

  /**
   * From a view's store, as it is now (the store keeps the findings' tcp_info columns while a
   * findings feed reads it). Reads the store without awaiting anything in between, so a refresh
   * cannot change it halfway.
   */
  async fromStore(netns: NetnsRef | undefined, store: SocketStore, thresholds: Thresholds, dumpDiag?: DiagFacts, source: FindingsRun['source'] = 'view'): Promise<FindingsRun> {
    const path = netnsPath(netns);
    const firewall = await this.firewall(path ?? '', path);
    const pm = this.source.processMap?.();
    const label = this.labeller();
    const rows = storeRows(store, { ...(pm ? { byInode: pm.byInode } : {}), labelOf: label });
    const pids = pm ? storePids(store, pm) : new Map<number, string>();
    for (const pid of pids.keys()) { const l = label(pid); if (l) pids.set(pid, l); }
    return this.evaluate(netns, path, thresholds, source, {
      sockets: [], rows, pids, diag: findingsDiag(dumpDiag), invisibleProcesses: pm?.unreadable ?? 0, firewall,
    }, label);
  }

  private async evaluate(netns: NetnsRef | undefined, path: string | undefined, thresholds: Thresholds, source: FindingsRun['source'], input: CollectInput, label: (pid: number) => string | undefined): Promise<FindingsRun> {
    const key = path ?? '';
    const snapshot = await collectSnapshot({ ...input, ...(path ? { netnsPath: path, netns: describeNetns(netns) } : {}), takenAt: this.now() });
    let session = this.sessions.get(key);
    if (!session) {
      if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
      session = new FindingsSession(thresholds);
      this.sessions.set(key, session);
    }
    session.setThresholds(thresholds);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const findings = session.run(snapshot);
    const used = process.cpuUsage(cpu);
    const rulesMs = performance.now() - started;
    return {
      findings, summary: socketSummary(snapshot.counters), rulesMs, rulesCpuMs: (used.user + used.system) / 1000,
      sockets: snapshot.rows?.size ?? snapshot.sockets.length, source, processLabels: labelsOf(findings, label),
    };
  }

  /** pid -> identity label, read once per run. */
  private labeller(): (pid: number) => string | undefined {
    const seen = new Map<number, string | undefined>();
    return (pid) => {
      if (!seen.has(pid)) seen.set(pid, this.identities.get(pid)?.label);
      return seen.get(pid);
    };
  }

  private firewall(key: string, path: string | undefined): Promise<FirewallFacts> {
    const hit = this.firewalls.get(key);
    if (hit && this.now() - hit.at < FIREWALL_MAX_AGE_MS) return hit.facts;
    const facts = readFirewall(path);
    this.firewalls.set(key, { at: this.now(), facts });
    return facts;
  }
}

/**
 * What the view's dump says that concerns the findings: its tcp and udp sockets (the view also reads
 * unix, raw ... sockets, whose /proc/net fallback the findings do not need), and interrupted dumps.
 */
export function findingsDiag(d: DiagFacts | undefined): DiagFacts {
  if (!d) return { notes: [], procfs: [], skipped: [] };
  const mine = (k: string): boolean => k === 'tcp' || k === 'udp';
  const procfs = d.procfs.filter(mine);
  const skipped = d.skipped.filter(mine);
  const notes = d.notes.filter((n) => /inconsistent|interrupted|truncated/.test(n) || ((procfs.length || skipped.length) && /\b(tcp|udp)\b/i.test(n)));
  return { notes, procfs, skipped, ...(d.error ? { error: d.error } : {}) };
}

function labelsOf(findings: readonly Finding[], label: (pid: number) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of findings) for (const pid of f.processes) { const l = label(pid); if (l) out[pid] = l; }
  return out;
}
