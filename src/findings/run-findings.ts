// Runs every rule over a snapshot. `runFindings` is the one entry point (the CLI's doctor, the
// helper, the Prometheus exporter); FindingsSession keeps what a rule needs from earlier snapshots
// (the previous one for counter deltas, when each CLOSE-WAIT socket was first seen).
import { RULE_IDS, SEVERITIES, type Finding, type RuleId } from '../protocol/findings';
import type { Snapshot } from './snapshot';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds';
import type { Rule, RuleContext } from './rules/context';
import { indexSockets, type SocketIndex } from './socket-index';
import { arrayRows } from './socket-rows';
import { closeWait } from './rules/close-wait';
import { listenOverflow } from './rules/listen-overflow';
import { synBacklog } from './rules/syn-backlog';
import { retransmits } from './rules/retransmits';
import { windowLimited } from './rules/window-limited';
import { portExhaustion } from './rules/port-exhaustion';
import { kernelLimits } from './rules/kernel-limits';
import { fdLimit } from './rules/fd-limit';
import { exposedNoFirewall, udpAmplification } from './rules/exposure';
import { diagUnavailable } from './rules/diag-unavailable';

const RULES: readonly Rule[] = [
  diagUnavailable, listenOverflow, synBacklog, closeWait, fdLimit, portExhaustion, kernelLimits,
  retransmits, windowLimited, exposedNoFirewall, udpAmplification,
];

export interface RunOptions {
  previous?: Snapshot;
  thresholds?: Thresholds;
  closeWaitSince?: ReadonlyMap<string, number>;
}

const ruleOrder = (r: RuleId): number => RULE_IDS.indexOf(r);
const severityOrder = (f: Finding): number => SEVERITIES.indexOf(f.severity);

/** Every finding for the snapshot, errors first, then by rule, then by id. */
export function runFindings(snapshot: Snapshot, options: RunOptions = {}): Finding[] {
  const th = options.thresholds ?? DEFAULT_THRESHOLDS;
  return runIndexed(snapshot, indexSockets(snapshot.rows ?? arrayRows(snapshot.sockets), th), options);
}

function runIndexed(snapshot: Snapshot, index: SocketIndex, options: RunOptions): Finding[] {
  const th = options.thresholds ?? DEFAULT_THRESHOLDS;
  const ctx: RuleContext = {
    snap: snapshot, th, index,
    ...(options.previous ? { prev: options.previous } : {}),
    ...(options.closeWaitSince ? { closeWaitSince: options.closeWaitSince } : {}),
  };
  const out: Finding[] = [];
  for (const rule of RULES) out.push(...rule(ctx));
  return out.sort((a, b) => severityOrder(a) - severityOrder(b) || ruleOrder(a.rule) - ruleOrder(b.rule) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Counts by rule and severity (what the Prometheus exporter publishes). */
export function countFindings(findings: readonly Finding[]): { rule: RuleId; severity: Finding['severity']; count: number }[] {
  const m = new Map<string, { rule: RuleId; severity: Finding['severity']; count: number }>();
  for (const f of findings) {
    const k = `${f.rule} ${f.severity}`;
    const e = m.get(k);
    if (e) e.count++; else m.set(k, { rule: f.rule, severity: f.severity, count: 1 });
  }
  return [...m.values()];
}

/** Successive snapshots of one namespace: deltas against the previous one, CLOSE-WAIT ages. */
export class FindingsSession {
  private previous: Snapshot | undefined;
  private closeWaitSince = new Map<string, number>();

  constructor(private thresholds: Thresholds = DEFAULT_THRESHOLDS) {}

  setThresholds(t: Thresholds): void { this.thresholds = t; }

  run(snapshot: Snapshot): Finding[] {
    const index = indexSockets(snapshot.rows ?? arrayRows(snapshot.sockets), this.thresholds);
    const seen = new Map<string, number>();
    for (const s of index.closeWait) {
      if (s.cookie === '0') continue;
      seen.set(s.cookie, this.closeWaitSince.get(s.cookie) ?? snapshot.takenAt);
    }
    this.closeWaitSince = seen;
    const findings = runIndexed(snapshot, index, {
      thresholds: this.thresholds, closeWaitSince: seen, ...(this.previous ? { previous: this.previous } : {}),
    });
    // Only the counters are needed later: keep no sockets alive.
    this.previous = { ...snapshot, sockets: [], rows: undefined };
    return findings;
  }
}
