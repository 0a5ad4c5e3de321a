// port-exhaustion: connections from one local address to one destination use one ephemeral port
// each; when their number approaches the size of ip_local_port_range, connect() fails with
// EADDRNOTAVAIL. TIME-WAIT sockets to one destination hold their ports too.
import { TCP_STATE } from '../../fields/socket-states';
import type { Finding } from '../../protocol/findings';
import type { FindingSocket } from '../snapshot';
import { KIND_MPTCP, KIND_TCP, type SocketRows } from '../socket-rows';
import { endpoint, finding, groupBy, pct, pidsOf, portRange, type RuleContext } from './context';

export function portExhaustion(ctx: RuleContext): Finding[] {
  const { snap, th } = ctx;
  const ix = ctx.index;
  if (ix.connections === 0) return [];
  const range = portRange(snap);
  if (!range.value) {
    return [finding('port-exhaustion', 'unreadable', 'info', {
      title: 'Ephemeral port use was not evaluated: the port range could not be read',
      detail: `${range.error}.`,
      hint: 'Read it yourself: sysctl net.ipv4.ip_local_port_range (inside the namespace: ip netns exec NS sysctl ...).',
    })];
  }
  const [lo, hi] = range.value;
  const size = Math.max(1, hi - lo + 1);
  const out: Finding[] = [];
  const widen = `widen the range (sysctl -w net.ipv4.ip_local_port_range="1024 65000"; now ${lo}-${hi}, ${size} ports)`;
  // Only a destination port with enough connections can hold a group over the threshold: count
  // by port first (a number), group by addresses only there (no string per socket at 100,000).
  const need = Math.max(1, Math.ceil(th['port-exhaustion.ratio'] * size));
  const anyBusy = ix.connsByPeerPort.some((n) => n >= need);
  const busy = anyBusy ? pick(ix.rows, (i) => ix.connsByPeerPort[ix.rows.peerPort(i) & 0xffff] >= need) : [];
  for (const [key, group] of groupBy(busy, (s) => `${s.localAddress}>${endpoint(s.peerAddress, s.peerPort)}`)) {
    const ratio = group.length / size;
    if (ratio < th['port-exhaustion.ratio']) continue;
    const dest = endpoint(group[0].peerAddress, group[0].peerPort);
    const tw = group.filter((s) => s.state === 'TIME-WAIT').length;
    out.push(finding('port-exhaustion', key, ratio >= th['port-exhaustion.error'] ? 'error' : 'warning', {
      title: `${group.length} connections from ${group[0].localAddress} to ${dest}: ${pct(ratio)} of the ${size} ephemeral ports`,
      detail: `${group.length} sockets (${tw} in TIME-WAIT) share source ${group[0].localAddress} and destination ${dest}; ip_local_port_range ${lo}-${hi} has ${size} ports (warning at ${pct(th['port-exhaustion.ratio'])}, error at ${pct(th['port-exhaustion.error'])}). New connections to ${dest} will fail with EADDRNOTAVAIL.`,
      sockets: group.map((s) => s.cookie),
      processes: pidsOf(group),
      hint: `Reuse connections (keep-alive, a connection pool), add source addresses, or ${widen}.`,
    }));
  }
  const needTw = Math.max(1, Math.ceil(th['port-exhaustion.time-wait-ratio'] * size));
  const anyTw = ix.timeWaitByPeerPort.some((n) => n >= needTw);
  const tws = anyTw ? pick(ix.rows, (i) => ix.rows.state(i) === TCP_STATE.TIME_WAIT && ix.timeWaitByPeerPort[ix.rows.peerPort(i) & 0xffff] >= needTw) : [];
  for (const [dest, group] of groupBy(tws, (s) => endpoint(s.peerAddress, s.peerPort))) {
    const ratio = group.length / size;
    if (ratio < th['port-exhaustion.time-wait-ratio']) continue;
    if (out.some((f) => f.id.endsWith(`>${dest}`) && group.every((s) => f.sockets.includes(s.cookie)))) continue;
    out.push(finding('port-exhaustion', `time-wait:${dest}`, 'warning', {
      title: `${group.length} TIME-WAIT sockets to ${dest}: ${pct(ratio)} of the ${size} ephemeral ports`,
      detail: `${group.length} TIME-WAIT sockets to ${dest} (warning at ${pct(th['port-exhaustion.time-wait-ratio'])} of ip_local_port_range ${lo}-${hi}); each holds its port for 60 s.`,
      sockets: group.map((s) => s.cookie),
      hint: `This side closes first on short connections: reuse connections (keep-alive), set net.ipv4.tcp_tw_reuse=1 for outgoing connections, or ${widen}.`,
    }));
  }
  return out;
}

/** The connections (tcp/mptcp, not listening, not half-open, with a peer port) that pass `test`, as objects. */
function pick(rows: SocketRows, test: (i: number) => boolean): FindingSocket[] {
  const out: FindingSocket[] = [];
  for (let i = 0; i < rows.end; i++) {
    if (!rows.live(i)) continue;
    const k = rows.kind(i);
    const st = rows.state(i);
    if ((k !== KIND_TCP && k !== KIND_MPTCP) || st === TCP_STATE.LISTEN || st === TCP_STATE.SYN_RECV || st === TCP_STATE.NEW_SYN_RECV || rows.peerPort(i) === 0) continue;
    if (test(i)) out.push(rows.socket(i));
  }
  return out;
}
