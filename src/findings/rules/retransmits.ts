// retransmits: connections (grouped by peer) that retransmit a large share of what they send, and
// the host's retransmission rate between two snapshots.
import { TCP_STATE } from '../../fields/socket-states';
import type { Finding } from '../../protocol/findings';
import { delta, endpoint, finding, pct, type RuleContext } from './context';
import { KIND_TCP } from '../socket-rows';

interface PeerSum { retrans: number; segs: number; lost: number; rows: number[] }

export function retransmits(ctx: RuleContext): Finding[] {
  const { th } = ctx;
  const out: Finding[] = [];
  // Only peers with a retransmission can reach a ratio above 0: sum those peers' rows (numbers
  // only), and make objects only of the rows a finding lists.
  const rows = ctx.index.rows;
  const lossy = ctx.index.lossyPeers;
  const all = th['retransmits.ratio'] === 0;
  const peers = new Map<number | string, PeerSum>();
  if (lossy.size || all) {
    for (let i = 0; i < rows.end; i++) {
      if (!rows.live(i) || rows.kind(i) !== KIND_TCP || rows.state(i) === TCP_STATE.LISTEN || !rows.hasInfo(i)) continue;
      const key = rows.peerKey(i);
      if (key === '' || (!all && !lossy.has(key))) continue;
      let p = peers.get(key);
      if (!p) { p = { retrans: 0, segs: 0, lost: 0, rows: [] }; peers.set(key, p); }
      const r = rows.retrans(i);
      p.retrans += r;
      p.segs += rows.segsOut(i);
      p.lost += rows.lost(i);
      p.rows.push(i);
    }
  }
  for (const { retrans, segs, lost, rows: members } of peers.values()) {
    if (segs < th['retransmits.min-segments'] || segs === 0) continue;
    const ratio = retrans / segs;
    if (ratio < th['retransmits.ratio']) continue;
    const first = rows.socket(members[0]);
    const peer = first.peerAddress ?? '';
    const one = members.length === 1 ? endpoint(first.peerAddress, first.peerPort) : peer;
    const bad = members.filter((i) => rows.retrans(i) > 0).map((i) => rows.socket(i).cookie);
    const pids = new Set<number>();
    for (const i of members) for (const p of rows.processes(i) ?? []) pids.add(p.pid);
    out.push(finding('retransmits', `peer:${peer}`, 'warning', {
      title: `${one}: ${pct(ratio)} of segments retransmitted over ${members.length} connection${members.length === 1 ? '' : 's'}`,
      detail: `${retrans} retransmitted of ${segs} segments sent (${pct(ratio)}, warning at ${pct(th['retransmits.ratio'])} once ${th['retransmits.min-segments']} segments were sent); ${lost} segments currently presumed lost.`,
      sockets: bad,
      processes: [...pids].sort((a, b) => a - b),
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
