// One pass over the snapshot's sockets that sorts out what each rule looks at, so the rules' work
// per refresh stays small at 100,000 sockets: numbers only are read per row (socket-rows.ts), the
// few CLOSE-WAIT, listening, half-open and wildcard sockets are made into objects, per-port
// connection counts go in typed arrays, and the tcp_info checks are made once.
import { TCP_STATE } from '../fields/socket-states';
import type { FindingSocket } from './snapshot';
import type { Thresholds } from './thresholds';
import { KIND_MPTCP, KIND_TCP, KIND_UDP, type SocketRows } from './socket-rows';

export type WindowKind = 'rwnd' | 'sndbuf' | 'zero-window';

export interface SocketIndex {
  rows: SocketRows;
  closeWait: FindingSocket[];
  /** tcp LISTEN. */
  listeners: FindingSocket[];
  synRecv: FindingSocket[];
  /** tcp listeners and bound, unconnected udp sockets on a wildcard address with a port. */
  wildcard: FindingSocket[];
  /** Peer keys (rows.peerKey) of connections that retransmitted at all. */
  lossyPeers: Set<number | string>;
  windowHits: { s: FindingSocket; kind: WindowKind; share: number }[];
  /** tcp/mptcp connections (not listening, not half-open) by destination port, all and TIME-WAIT. */
  connsByPeerPort: Uint32Array;
  timeWaitByPeerPort: Uint32Array;
  connections: number;
}

export function indexSockets(rows: SocketRows, th: Thresholds): SocketIndex {
  const ix: SocketIndex = {
    rows, closeWait: [], listeners: [], synRecv: [], wildcard: [], lossyPeers: new Set(), windowHits: [],
    connsByPeerPort: new Uint32Array(65536), timeWaitByPeerPort: new Uint32Array(65536), connections: 0,
  };
  const minBusy = th['window-limited.min-busy-ms'];
  const ratio = th['window-limited.ratio'];
  const end = rows.end;
  for (let i = 0; i < end; i++) {
    if (!rows.live(i)) continue;
    const kind = rows.kind(i);
    const st = rows.state(i);
    if (kind === KIND_UDP) {
      if (st === TCP_STATE.CLOSE && rows.peerPort(i) === 0 && rows.localPort(i) !== 0 && rows.localWildcard(i)) ix.wildcard.push(rows.socket(i));
      continue;
    }
    if (kind !== KIND_TCP && kind !== KIND_MPTCP) continue;
    if (st === TCP_STATE.LISTEN) {
      if (kind === KIND_TCP) {
        const s = rows.socket(i);
        ix.listeners.push(s);
        if (s.localPort !== 0 && rows.localWildcard(i)) ix.wildcard.push(s);
      }
      continue;
    }
    if (st === TCP_STATE.SYN_RECV || st === TCP_STATE.NEW_SYN_RECV) { ix.synRecv.push(rows.socket(i)); continue; }
    const peerPort = rows.peerPort(i);
    if (peerPort !== 0) {
      ix.connections++;
      ix.connsByPeerPort[peerPort & 0xffff]++;
      if (st === TCP_STATE.TIME_WAIT) ix.timeWaitByPeerPort[peerPort & 0xffff]++;
    }
    if (st === TCP_STATE.CLOSE_WAIT) ix.closeWait.push(rows.socket(i));
    if (!rows.hasInfo(i)) continue;
    if (rows.retrans(i) > 0) ix.lossyPeers.add(rows.peerKey(i));
    if (st !== TCP_STATE.ESTABLISHED) continue;
    const busy = rows.busyMs(i);
    if (busy >= minBusy && busy > 0) {
      const rwnd = rows.rwndMs(i) / busy;
      const sndbuf = rows.sndbufMs(i) / busy;
      if (rwnd >= ratio) ix.windowHits.push({ s: rows.socket(i), kind: 'rwnd', share: rwnd });
      if (sndbuf >= ratio) ix.windowHits.push({ s: rows.socket(i), kind: 'sndbuf', share: sndbuf });
    }
    if (rows.sndWnd(i) === 0 && rows.sendQ(i) > 0) ix.windowHits.push({ s: rows.socket(i), kind: 'zero-window', share: 1 });
  }
  return ix;
}
