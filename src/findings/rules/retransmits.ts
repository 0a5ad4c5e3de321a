// retransmits: connections (grouped by peer) that retransmit a large share of what they send, and
// the host's retransmission rate between two snapshots.
import type { Finding } from '../../protocol/findings';
import { delta, endpoint, finding, groupBy, num, pct, pidsOf, type RuleContext } from './context';

export function retransmits(ctx: RuleContext): Finding[] {
  const { snap, th } = ctx;
  const out: Finding[] = [];
  // Only peers with a retransmission can reach a ratio above 0: find those first, then sum.
  const lossy = ctx.index.lossyPeers;
  const withInfo = lossy.size || th['retransmits.ratio'] === 0
    ? snap.sockets.filter((s) => s.tcpInfo && s.netid === 'tcp' && s.state !== 'LISTEN' && (th['retransmits.ratio'] === 0 || lossy.has(s.peerAddress ?? '')))
    : [];
  for (const [peer, group] of groupBy(withInfo, (s) => s.peerAddress ?? undefined)) {
    let retrans = 0, segs = 0, lost = 0;
    const bad: string[] = [];
    for (const s of group) {
      const r = num(s.tcpInfo!.total_retrans) ?? 0;
      retrans += r;
      segs += num(s.tcpInfo!.segs_out) ?? 0;
      lost += num(s.tcpInfo!.lost) ?? 0;
      if (r > 0) bad.push(s.cookie);
    }
    if (segs < th['retransmits.min-segments'] || segs === 0) continue;
    const ratio = retrans / segs;
    if (ratio < th['retransmits.ratio']) continue;
    const one = group.length === 1 ? endpoint(group[0].peerAddress, group[0].peerPort) : peer;
    out.push(finding('retransmits', `peer:${peer}`, 'warning', {
      title: `${one}: ${pct(ratio)} of segments retransmitted over ${group.length} connection${group.length === 1 ? '' : 's'}`,
      detail: `${retrans} retransmitted of ${segs} segments sent (${pct(ratio)}, warning at ${pct(th['retransmits.ratio'])} once ${th['retransmits.min-segments']} segments were sent); ${lost} segments currently presumed lost.`,
      sockets: bad,
      processes: pidsOf(group),
      hint: `Loss or congestion on the path to ${peer}: check the interface for drops (ip -s link), the path (mtr ${peer}), and MTU problems; chart one connection's tcp_info (rtt, retrans) in Sockscope.`,
    }));
  }
  const dRetrans = delta(ctx, 'Tcp.RetransSegs');
  const dOut = delta(ctx, 'Tcp.OutSegs');
  if (dRetrans !== undefined && dOut !== undefined && dOut >= th['retransmits.min-segments'] && dRetrans / dOut >= th['retransmits.ratio']) {
    out.push(finding('retransmits', 'host', 'warning', {
      title: `The namespace retransmitted ${pct(dRetrans / dOut)} of its TCP segments since the previous snapshot`,
      detail: `Tcp.RetransSegs +${dRetrans} of Tcp.OutSegs +${dOut} (warning at ${pct(th['retransmits.ratio'])} once ${th['retransmits.min-segments']} segments were sent).`,
      hint: 'Find the peers concerned in the retransmits findings per peer (they need tcp_info), and check interfaces for drops: ip -s link; nstat -az | grep -i retrans.',
    }));
  }
  return out;
}
