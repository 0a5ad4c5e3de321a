// One pass over the snapshot's sockets that sorts out what each rule looks at, so the rules' work
// per refresh stays small at 100,000 sockets: the few CLOSE-WAIT, listening, half-open and wildcard
// sockets in lists, per-port connection counts in typed arrays, and the tcp_info checks made once.
import type { FindingSocket } from './snapshot';
import type { Thresholds } from './thresholds';

export type WindowKind = 'rwnd' | 'sndbuf' | 'zero-window';

export interface SocketIndex {
  closeWait: FindingSocket[];
  /** tcp LISTEN. */
  listeners: FindingSocket[];
  synRecv: FindingSocket[];
  /** tcp listeners and bound, unconnected udp sockets on a wildcard address with a port. */
  wildcard: FindingSocket[];
  /** Peers (addresses) of connections that retransmitted at all. */
  lossyPeers: Set<string>;
  windowHits: { s: FindingSocket; kind: WindowKind; share: number }[];
  /** tcp/mptcp connections (not listening, not half-open) by destination port, all and TIME-WAIT. */
  connsByPeerPort: Uint32Array;
  timeWaitByPeerPort: Uint32Array;
  connections: number;
}

const num = (v: number | string | undefined): number => (typeof v === 'number' ? v : v === undefined ? 0 : Number(v) || 0);
const isWildcard = (a: string | null): boolean => a === '0.0.0.0' || a === '::' || a === null;

export function indexSockets(sockets: readonly FindingSocket[], th: Thresholds): SocketIndex {
  const ix: SocketIndex = {
    closeWait: [], listeners: [], synRecv: [], wildcard: [], lossyPeers: new Set(), windowHits: [],
    connsByPeerPort: new Uint32Array(65536), timeWaitByPeerPort: new Uint32Array(65536), connections: 0,
  };
  const minBusy = th['window-limited.min-busy-ms'] * 1000;
  const ratio = th['window-limited.ratio'];
  for (const s of sockets) {
    const st = s.state;
    if (s.netid === 'udp') {
      if (st === 'UNCONN' && s.peerPort === 0 && s.localPort !== 0 && isWildcard(s.localAddress)) ix.wildcard.push(s);
      continue;
    }
    if (s.netid !== 'tcp' && s.netid !== 'mptcp') continue;
    if (st === 'LISTEN') {
      if (s.netid === 'tcp') { ix.listeners.push(s); if (s.localPort !== 0 && isWildcard(s.localAddress)) ix.wildcard.push(s); }
      continue;
    }
    if (st === 'SYN-RECV' || st === 'NEW-SYN-RECV') { ix.synRecv.push(s); continue; }
    if (s.peerPort !== 0) {
      ix.connections++;
      ix.connsByPeerPort[s.peerPort & 0xffff]++;
      if (st === 'TIME-WAIT') ix.timeWaitByPeerPort[s.peerPort & 0xffff]++;
    }
    if (st === 'CLOSE-WAIT') ix.closeWait.push(s);
    const ti = s.tcpInfo;
    if (!ti) continue;
    if (num(ti.total_retrans) > 0 && s.peerAddress) ix.lossyPeers.add(s.peerAddress);
    if (st !== 'ESTAB') continue;
    const busy = num(ti.busy_time);
    if (busy >= minBusy && busy > 0) {
      const rwnd = num(ti.rwnd_limited) / busy;
      const sndbuf = num(ti.sndbuf_limited) / busy;
      if (rwnd >= ratio) ix.windowHits.push({ s, kind: 'rwnd', share: rwnd });
      if (sndbuf >= ratio) ix.windowHits.push({ s, kind: 'sndbuf', share: sndbuf });
    }
    if (ti.snd_wnd !== undefined && num(ti.snd_wnd) === 0 && s.sendQ > 0) ix.windowHits.push({ s, kind: 'zero-window', share: 1 });
  }
  return ix;
}
