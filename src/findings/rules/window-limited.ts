// window-limited: connections whose sending time was mostly spent waiting on the receiver's window
// (tcpi_rwnd_limited) or on their own send buffer (tcpi_sndbuf_limited), or whose peer advertises
// a zero window while data waits.
import type { Finding } from '../../protocol/findings';
import type { WindowKind } from '../socket-index';
import { finding, groupBy, pct, type RuleContext } from './context';

type Kind = WindowKind;

const TEXT: Record<Kind, { what: string; hint: string }> = {
  rwnd: {
    what: "limited by the receiver's window",
    hint: 'The receiving side reads too slowly or its buffer is small: on the receiver raise net.ipv4.tcp_rmem (max) and net.core.rmem_max, and make sure the application reads promptly.',
  },
  sndbuf: {
    what: 'limited by the send buffer',
    hint: 'The socket\'s send buffer is too small for the path\'s bandwidth-delay product: raise net.ipv4.tcp_wmem (max) and net.core.wmem_max, or remove a fixed SO_SNDBUF the program sets.',
  },
  'zero-window': {
    what: 'stalled on a zero window from the peer',
    hint: 'The peer stopped reading (its receive buffer is full): look at the peer application; sockscope -tnoi shows the persist timer.',
  },
};

export function windowLimited(ctx: RuleContext): Finding[] {
  const { th } = ctx;
  const hits = ctx.index.windowHits;
  const out: Finding[] = [];
  for (const [key, group] of groupBy(hits, (h) => `${h.kind}/pid:${h.s.processes?.[0]?.pid ?? 0}`)) {
    const kind = group[0].kind;
    const p = group[0].s.processes?.[0];
    const who = p ? `${p.name} (pid ${p.pid})` : 'an unknown process';
    const worst = Math.max(...group.map((h) => h.share));
    out.push(finding('window-limited', key, 'warning', {
      title: `${group.length} connection${group.length === 1 ? '' : 's'} of ${who} ${TEXT[kind].what}`,
      detail: kind === 'zero-window'
        ? `tcpi_snd_wnd is 0 with ${group.map((h) => h.s.sendQ).reduce((a, b) => a + b, 0)} bytes waiting in Send-Q (threshold: a zero window with data queued).`
        : `Up to ${pct(worst)} of the busy time ${TEXT[kind].what} (tcpi_${kind === 'rwnd' ? 'rwnd' : 'sndbuf'}_limited over tcpi_busy_time; warning at ${pct(th['window-limited.ratio'])} after ${th['window-limited.min-busy-ms']} ms busy).`,
      sockets: group.map((h) => h.s.cookie),
      processes: p ? [p.pid] : [],
      hint: TEXT[kind].hint,
    }));
  }
  return out;
}
