// The Findings tree's nodes, without `vscode`: the ss -s summary section, one node per finding, and
// each finding's evidence (its numbers, what to do, its sockets and processes).
import type { Finding, SocketSummary } from '../../protocol/findings';

export type FindingNode =
  | { kind: 'summary'; summary: SocketSummary }
  | { kind: 'finding'; finding: Finding }
  | { kind: 'evidence'; id: string; label: string; description?: string; icon: string; tooltip?: string; children?: FindingNode[] };

const MAX_LISTED = 50;

/** The summary's lines, as ss -s prints them. */
export function summaryLines(s: SocketSummary): Array<{ label: string; description: string }> {
  const row = (name: string, [v4, v6]: [number, number]) => ({ label: name, description: `${v4 + v6} (IPv4 ${v4}, IPv6 ${v6})` });
  return [
    { label: 'Total', description: String(s.total) },
    { label: 'TCP', description: `${s.tcp.total} (estab ${s.tcp.estab}, closed ${s.tcp.closed}, orphaned ${s.tcp.orphaned}, timewait ${s.tcp.timewait})` },
    row('RAW', s.transports.raw), row('UDP', s.transports.udp), row('TCP sockets', s.transports.tcp),
    row('INET', s.transports.inet), row('FRAG', s.transports.frag),
  ];
}

/** One line that sums the summary up (the section's description). */
export function summaryDescription(s: SocketSummary): string {
  return `${s.total} sockets · TCP ${s.tcp.total} (estab ${s.tcp.estab}, timewait ${s.tcp.timewait})`;
}

export function evidenceOf(f: Finding, processName: (pid: number) => string | undefined): FindingNode[] {
  const out: FindingNode[] = [
    { kind: 'evidence', id: `${f.id}#detail`, label: f.detail, icon: 'graph', tooltip: f.detail },
    { kind: 'evidence', id: `${f.id}#hint`, label: f.hint, icon: 'lightbulb', tooltip: f.hint },
  ];
  if (f.sockets.length) {
    out.push({
      kind: 'evidence', id: `${f.id}#sockets`, label: `Sockets (${f.sockets.length})`, description: 'select the finding to show them in Sockets', icon: 'plug',
      children: f.sockets.slice(0, MAX_LISTED).map((c) => ({ kind: 'evidence', id: `${f.id}#sk:${c}`, label: `sk:${c}`, icon: 'circle-small' } as FindingNode))
        .concat(f.sockets.length > MAX_LISTED ? [{ kind: 'evidence', id: `${f.id}#sk-more`, label: `and ${f.sockets.length - MAX_LISTED} more`, icon: 'ellipsis' }] : []),
    });
  }
  if (f.processes.length) {
    out.push({
      kind: 'evidence', id: `${f.id}#processes`, label: `Processes (${f.processes.length})`, icon: 'server-process',
      children: f.processes.slice(0, MAX_LISTED).map((pid) => ({ kind: 'evidence', id: `${f.id}#pid:${pid}`, label: `${processName(pid) ?? 'process'} (${pid})`, icon: 'circle-small' } as FindingNode)),
    });
  }
  return out;
}

/** The badge: errors and warnings (information is listed, not counted). */
export function badgeOf(findings: readonly Finding[]): { value: number; tooltip: string } | undefined {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const infos = findings.length - errors - warnings;
  if (errors + warnings === 0) return undefined;
  const part = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return { value: errors + warnings, tooltip: `Sockscope findings: ${part(errors, 'error')}, ${part(warnings, 'warning')}${infos ? `, ${infos} info` : ''}` };
}
