// `ss -s`'s numbers from the kernel's counters (/proc/net/sockstat{,6} and /proc/net/snmp, parsed
// by kernel-text.ts): the one place they are computed. The Findings view shows them as a section;
// the CLI's `-s` prints them in ss's text (src/cli/summary.ts).
import type { SocketSummary } from '../protocol/findings';
import type { Snapshot } from './snapshot';
import { valueOf } from './snapshot';

/** The summary from counters by name (`sockstat.TCP.inuse`, `Tcp.CurrEstab`); a missing one counts 0, as in ss. */
export function summaryFromCounters(c: Readonly<Record<string, number>>): SocketSummary {
  const n = (k: string): number => c[k] ?? 0;
  const pair = (a: string, b: string): [number, number] => [n(a), n(b)];
  const tcp = pair('sockstat.TCP.inuse', 'sockstat.TCP6.inuse');
  const tw = n('sockstat.TCP.tw');
  const alloc = n('sockstat.TCP.alloc');
  const raw = pair('sockstat.RAW.inuse', 'sockstat.RAW6.inuse');
  const udp = pair('sockstat.UDP.inuse', 'sockstat.UDP6.inuse');
  return {
    total: n('sockstat.sockets.used'),
    // ss's arithmetic (misc/ss.c print_summary): TIME-WAIT is counted apart from alloc.
    tcp: { total: alloc + tw, estab: n('Tcp.CurrEstab'), closed: alloc - (tcp[0] + tcp[1] - tw), orphaned: n('sockstat.TCP.orphan'), timewait: tw },
    transports: {
      raw, udp, tcp,
      inet: [raw[0] + udp[0] + tcp[0], raw[1] + udp[1] + tcp[1]],
      frag: pair('sockstat.FRAG.inuse', 'sockstat.FRAG6.inuse'),
    },
  };
}

/** The summary of a snapshot, or null when /proc/net/sockstat could not be read. */
export function socketSummary(counters: Snapshot['counters']): SocketSummary | null {
  const c = valueOf(counters);
  if (!c || c['sockstat.sockets.used'] === undefined) return null;
  return summaryFromCounters(c);
}
