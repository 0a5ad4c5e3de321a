// syn-backlog: many half-open connections (SYN-RECV) on one listener, or SYN cookies being sent
// (the SYN queue overflowed: a flood, or a listener that cannot keep up).
import type { Finding } from '../../protocol/findings';
import type { FindingSocket } from '../snapshot';
import { counter, delta, endpoint, finding, groupBy, isWildcard, sysctlNumber, type RuleContext } from './context';

export function synBacklog(ctx: RuleContext): Finding[] {
  const { snap, th } = ctx;
  const out: Finding[] = [];
  const listeners = ctx.index.listeners;
  const listenerOf = (s: FindingSocket): FindingSocket | undefined =>
    listeners.find((l) => l.localPort === s.localPort && l.localAddress === s.localAddress)
    ?? listeners.find((l) => l.localPort === s.localPort && isWildcard(l.localAddress));
  const synRecv = ctx.index.synRecv.filter((s) => s.netid === 'tcp');
  const maxSyn = sysctlNumber(snap, 'net.ipv4.tcp_max_syn_backlog').value;
  for (const [, group] of groupBy(synRecv, (s) => { const l = listenerOf(s); return l ? l.cookie : `${s.localAddress}:${s.localPort}`; })) {
    if (group.length < th['syn-backlog.count']) continue;
    const l = listenerOf(group[0]);
    const where = endpoint(l?.localAddress ?? group[0].localAddress, group[0].localPort);
    out.push(finding('syn-backlog', where, 'warning', {
      title: `${where}: ${group.length} half-open connections (SYN-RECV)`,
      detail: `${group.length} SYN-RECV sockets (warning at ${th['syn-backlog.count']}); net.ipv4.tcp_max_syn_backlog = ${maxSyn ?? '?'}. Clients that sent a SYN are not completing the handshake, or the listener cannot keep up.`,
      sockets: [...(l ? [l.cookie] : []), ...group.map((s) => s.cookie)],
      processes: (l?.processes ?? []).map((p) => p.pid),
      hint: 'If it is a SYN flood, keep net.ipv4.tcp_syncookies=1 and filter the sources; if the clients are real, raise net.ipv4.tcp_max_syn_backlog and the listen() backlog (sysctl -w net.ipv4.tcp_max_syn_backlog=4096).',
    }));
  }
  const sent = delta(ctx, 'TcpExt.SyncookiesSent');
  if (sent !== undefined && sent > 0) {
    out.push(finding('syn-backlog', 'syncookies', 'warning', {
      title: `SYN cookies were sent: ${sent} since the previous snapshot`,
      detail: `TcpExt.SyncookiesSent grew by ${sent} (threshold: any growth): a SYN queue overflowed, so the kernel answered with cookies (no TCP options such as window scaling for those connections).`,
      hint: 'Check for a SYN flood (sockscope -tn state syn-recv), else raise net.ipv4.tcp_max_syn_backlog and the listen() backlog.',
    }));
  } else if (!ctx.prev) {
    const total = counter(snap, 'TcpExt.SyncookiesSent');
    if (total !== undefined && total > 0) {
      out.push(finding('syn-backlog', 'syncookies-since-boot', 'info', {
        title: `${total} SYN cookies were sent since the namespace started`,
        detail: `TcpExt.SyncookiesSent is ${total}; one snapshot cannot tell whether it still happens.`,
        hint: 'Run `sockscope doctor --interval 5` to see whether it grows.',
      }));
    }
  }
  return out;
}
