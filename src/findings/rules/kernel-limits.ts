// orphans and time-wait-buckets: sockets no process holds any more (orphans) and TIME-WAIT
// sockets, against the kernel's caps. Past tcp_max_orphans the kernel resets connections ("too
// many orphaned sockets"); past tcp_max_tw_buckets it skips TIME-WAIT ("time wait bucket table
// overflow").
import type { Finding, RuleId } from '../../protocol/findings';
import type { SysctlName } from '../snapshot';
import { errorOf } from '../snapshot';
import type { ThresholdName } from '../thresholds';
import { counter, delta, finding, pct, sysctlNumber, type RuleContext } from './context';

interface Limit {
  rule: RuleId;
  counter: string;
  sysctl: SysctlName;
  threshold: ThresholdName;
  what: string;
  overflow?: string;
  hint: (max: number) => string;
}

const LIMITS: Limit[] = [
  {
    rule: 'orphans', counter: 'sockstat.TCP.orphan', sysctl: 'net.ipv4.tcp_max_orphans', threshold: 'orphans.ratio',
    what: 'orphaned TCP sockets (closed by their process, still sending or waiting for FIN; host-wide)',
    hint: (max) => `Find what closes connections with unsent data (sockscope -tno state fin-wait-1 state last-ack state closing); lower net.ipv4.tcp_orphan_retries, or raise the cap if memory allows: sysctl -w net.ipv4.tcp_max_orphans=${max * 2}.`,
  },
  {
    rule: 'time-wait-buckets', counter: 'sockstat.TCP.tw', sysctl: 'net.ipv4.tcp_max_tw_buckets', threshold: 'time-wait-buckets.ratio',
    what: 'TIME-WAIT sockets', overflow: 'TcpExt.TCPTimeWaitOverflow',
    hint: (max) => `Reuse connections instead of opening one per request; net.ipv4.tcp_tw_reuse=1 lets outgoing connections reuse them; or raise the cap: sysctl -w net.ipv4.tcp_max_tw_buckets=${max * 2}.`,
  },
];

export function kernelLimits(ctx: RuleContext): Finding[] {
  const { snap, th } = ctx;
  const out: Finding[] = [];
  for (const l of LIMITS) {
    const used = counter(snap, l.counter);
    const max = sysctlNumber(snap, l.sysctl);
    if (used === undefined || max.value === undefined) {
      const why = used === undefined ? `${l.counter.replace('sockstat.', '/proc/net/sockstat ')}: ${errorOf(snap.counters) ?? 'not present'}` : max.error!;
      out.push(finding(l.rule, 'unreadable', 'info', {
        title: `${l.rule === 'orphans' ? 'Orphaned sockets' : 'TIME-WAIT sockets'} were not checked against their cap`,
        detail: `Could not read ${why}.`,
        hint: `Read them yourself: cat /proc/net/sockstat; sysctl ${l.sysctl}.`,
      }));
      continue;
    }
    const grew = l.overflow ? delta(ctx, l.overflow) : undefined;
    const ratio = max.value > 0 ? used / max.value : 0;
    if (ratio < th[l.threshold] && !(grew && grew > 0)) continue;
    out.push(finding(l.rule, '', ratio >= 1 || (grew ?? 0) > 0 ? 'error' : 'warning', {
      title: `${used} ${l.what.split(' (')[0]}: ${pct(ratio)} of ${l.sysctl} (${max.value})`,
      detail: `${used} ${l.what}, ${l.sysctl} = ${max.value}: ${pct(ratio)} (warning at ${pct(th[l.threshold])}, error at 100%)${grew ? `; ${l.overflow} grew by ${grew} since the previous snapshot` : ''}.`,
      hint: l.hint(max.value),
    }));
  }
  return out;
}
