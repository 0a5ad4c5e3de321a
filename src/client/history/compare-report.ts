// "Compare with Now" as a plain-text report (opened as an untitled document): what appeared, what went and
// what changed state between two refreshes, one socket a line in ss's column order. Pure.
import type { CompareResult, RecordedEnd } from './history-source';

const ep = (a: string | null, p: number): string => `${a === null || a === '' ? '*' : a.includes(':') ? `[${a}]` : a}:${p === 0 ? '*' : p}`;

function line(s: RecordedEnd, extra = ''): string {
  const proc = s.pid === null ? '' : ` ${s.command ?? '?'}(${s.pid})`;
  return `  ${s.netid.padEnd(5)} ${(extra || s.state).padEnd(24)} ${ep(s.localAddress, s.localPort).padEnd(44)} ${ep(s.peerAddress, s.peerPort).padEnd(44)}${proc}`;
}

export function compareReport(label: string, r: CompareResult, at: number): string {
  const when = (t: number | null): string => (t === null ? '(before the recording)' : new Date(t).toISOString());
  const out = [
    `Sockscope: ${label}, sockets at ${when(r.fromAt)} (asked ${new Date(at).toISOString()}) compared with ${when(r.toAt)}`,
    r.truncated ? 'The lists were cut at the helper\'s limit: not every socket is shown.' : '',
    '',
    `Appeared (${r.appeared.length}):`, ...r.appeared.map((s) => line(s)),
    '',
    `Went (${r.went.length}):`, ...r.went.map((s) => line(s)),
    '',
    `Changed state (${r.changed.length}):`, ...r.changed.map((s) => line(s, `${s.before} -> ${s.state}`)),
    '',
  ];
  return out.filter((l, i) => l !== '' || i !== 1).join('\n');
}
