// Whether findings are worth sending again. The helper computes findings after every view refresh
// (every 2 s) and the client redraws its tree on each message, so a message goes only when the set
// changed: a finding came or went (a resolved one goes), or its severity, title, sockets,
// processes or hint moved. The detail's numbers (a CLOSE-WAIT age that grows every second) and
// the ss -s summary change on almost every refresh: they alone are sent at most every
// `slowMs`.
import type { Finding, SocketSummary } from '../protocol/findings';

const keyOf = (f: Finding): string => JSON.stringify([f.id, f.severity, f.title, f.hint, f.sockets, f.processes]);

export class FindingsChanges {
  private sentSet: string | undefined;
  private sentDetail = '';
  private sentAt = -Infinity;

  constructor(private readonly slowMs = 10_000) {}

  /** True when these findings should be sent now (and records them as sent). */
  offer(findings: readonly Finding[], summary: SocketSummary | null, now: number): boolean {
    const set = findings.map(keyOf).join('\n');
    const detail = JSON.stringify([findings.map((f) => f.detail), summary]);
    const setChanged = set !== this.sentSet;
    const slowChanged = detail !== this.sentDetail && now - this.sentAt >= this.slowMs;
    if (!setChanged && !slowChanged) return false;
    this.sentSet = set;
    this.sentDetail = detail;
    this.sentAt = now;
    return true;
  }

  /** Forgets what was sent (a new watch: the next offer is sent). */
  reset(): void {
    this.sentSet = undefined;
    this.sentDetail = '';
    this.sentAt = -Infinity;
  }
}
