// The engine's Socket -> the rules' FindingSocket: only what the rules read (a full SocketRecord
// with every tcp_info field costs several times more at 100,000 sockets). Copies everything, so
// it may be called on a transient dump's Socket.
import { TCP_STATE } from '../../fields/socket-states';
import type { Socket } from '../../netlink/index';
import type { FindingSocket } from '../../findings/index';
import type { Family, Netid, ProcessRef, StateName } from '../../protocol/socket-record';

/** The tcp_info fields the rules use (retransmits, window-limited). */
const TCP_FIELDS = ['total_retrans', 'segs_out', 'lost', 'busy_time', 'rwnd_limited', 'sndbuf_limited', 'snd_wnd'] as const;

/** The cookie as lowercase hex, as SocketRecord.cookie (without a bigint). */
export function cookieHex(s: Socket): string {
  const hi = s.cookieHi >>> 0;
  const lo = s.cookieLo >>> 0;
  return hi ? hi.toString(16) + lo.toString(16).padStart(8, '0') : lo.toString(16);
}

export function toFindingSocket(s: Socket, processes?: ReadonlyMap<number, ProcessRef[]>): FindingSocket {
  const out: FindingSocket = {
    netid: s.netid as Netid,
    state: s.stateName as StateName,
    family: (s.family === 10 ? 'inet6' : 'inet') as Family,
    recvQ: s.recvQ,
    sendQ: s.sendQ,
    localAddress: s.localAddress,
    localPort: s.localPort,
    peerAddress: s.peerAddress,
    peerPort: s.peerPort,
    cookie: cookieHex(s),
  };
  if (s.v6only !== undefined) out.v6only = s.v6only === 1;
  const procs = s.inode ? processes?.get(s.inode) : undefined;
  if (procs) out.processes = procs;
  // Listeners and TIME-WAIT have no connection to judge.
  if (s.state === TCP_STATE.ESTABLISHED || s.state === TCP_STATE.CLOSE_WAIT) {
    const ti = s.tcpInfo;
    if (ti) {
      const o: Record<string, number> = {};
      for (const k of TCP_FIELDS) { const v = ti[k]; if (v !== undefined) o[k] = Number(v); }
      out.tcpInfo = o;
    }
  }
  return out;
}

/**
 * Names the sockets' processes by what they are (`node server.js`, ProcessIdentity.label) instead of
 * comm (`MainThread` on current Node), in place. New arrays: the process map's own are shared.
 */
export function labelProcesses<T extends FindingSocket>(sockets: T[], label: (pid: number) => string | undefined): T[] {
  const renamed = new Map<readonly ProcessRef[], readonly ProcessRef[]>();
  for (const s of sockets) {
    const refs = s.processes;
    if (!refs?.length) continue;
    let out = renamed.get(refs);
    if (!out) {
      out = refs.map((p) => { const l = label(p.pid); return l ? { ...p, name: l } : p; });
      renamed.set(refs, out);
    }
    s.processes = out;
  }
  return sockets;
}
