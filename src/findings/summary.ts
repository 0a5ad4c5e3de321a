// `ss -s`'s numbers from a snapshot's counters (/proc/net/sockstat{,6} and /proc/net/snmp), for the
// Findings view's summary section.
import type { SocketSummary } from '../protocol/findings';
import type { Snapshot } from './snapshot';
import { valueOf } from './snapshot';

export function socketSummary(counters: Snapshot['counters']): SocketSummary | null {
  const c = valueOf(counters);
  if (!c || c['sockstat.sockets.used'] === undefined) return null;
  const n = (k: string): number => c[k] ?? 0;
  const tcp4 = n('sockstat.TCP.inuse');
  const tcp6 = n('sockstat.TCP6.inuse');
  const tw = n('sockstat.TCP.tw');
  const alloc = n('sockstat.TCP.alloc');
  const pair = (a: string, b: string): [number, number] => [n(a), n(b)];
  const raw = pair('sockstat.RAW.inuse', 'sockstat.RAW6.inuse');
  const udp = pair('sockstat.UDP.inuse', 'sockstat.UDP6.inuse');
  const tcp: [number, number] = [tcp4, tcp6];
  return {
    total: n('sockstat.sockets.used'),
    // The same arithmetic as ss (and src/cli/summary.ts).
    tcp: { total: alloc + tw, estab: n('Tcp.CurrEstab'), closed: alloc - (tcp4 + tcp6 - tw), orphaned: n('sockstat.TCP.orphan'), timewait: tw },
    transports: {
      raw, udp, tcp,
      inet: [raw[0] + udp[0] + tcp[0], raw[1] + udp[1] + tcp[1]],
      frag: pair('sockstat.FRAG.inuse', 'sockstat.FRAG6.inuse'),
    },
  };
}
