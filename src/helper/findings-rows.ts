// A view's SocketStore as the findings rules' SocketRows: the rules' one pass reads the store's
// typed columns (and the tcp_info columns it keeps for findings, TcpFacts), and a FindingSocket is
// made only for the rows a finding names. Processes are named by what they are (`node server.js`,
// the Sockets view's labels), not by comm (`MainThread` on current Node).
import { TCP_STATE } from '../fields/socket-states';
import type { FindingSocket, SocketRows } from '../findings/index';
import { KIND_MPTCP, KIND_OTHER, KIND_TCP, KIND_UDP } from '../findings/index';
import { NETIDS, type ProcessRef } from '../protocol/socket-record';
import type { SocketStore } from './socket-store';
import type { ProcessLookup } from './view-groups';

const AF_INET = 2;
const AF_INET6 = 10;

export interface RowsOptions {
  /** inode -> holders (the helper's process map). */
  byInode?: ReadonlyMap<number, readonly ProcessRef[]>;
  /** pid -> what the process is; undefined keeps the map's name. */
  labelOf?: (pid: number) => string | undefined;
}

export function storeRows(store: SocketStore, options: RowsOptions = {}): SocketRows {
  const { netid, state, family, addr, localPort, peerPort, sendQ, inode, seen } = store;
  const facts = store.facts;
  // The store's netid column (an index into NETIDS) -> the rules' kind.
  const kinds = new Uint8Array(256);
  NETIDS.forEach((name, n) => { kinds[n] = name === 'tcp' ? KIND_TCP : name === 'udp' ? KIND_UDP : name === 'mptcp' ? KIND_MPTCP : KIND_OTHER; });
  const labels = new Map<number, string | undefined>();
  const label = (pid: number): string | undefined => {
    if (!options.labelOf) return undefined;
    if (!labels.has(pid)) labels.set(pid, options.labelOf(pid));
    return labels.get(pid);
  };
  const named = new Map<number, readonly ProcessRef[]>();
  const processes = (i: number): readonly ProcessRef[] | undefined => {
    const ino = inode[i];
    if (!ino || !options.byInode) return undefined;
    const hit = named.get(ino);
    if (hit) return hit;
    const refs = options.byInode.get(ino);
    if (!refs?.length) return undefined;
    const out = refs.map((p) => { const l = label(p.pid); return l ? { ...p, name: l } : p; });
    named.set(ino, out);
    return out;
  };
  // tcp_info is judged for established and CLOSE-WAIT connections only (as the CLI's dump keeps it).
  const hasInfo = (i: number): boolean => facts !== undefined && facts.info[i] === 1 && (state[i] === TCP_STATE.ESTABLISHED || state[i] === TCP_STATE.CLOSE_WAIT);
  const made = new Map<number, FindingSocket>();
  return {
    end: store.end,
    size: store.size,
    live: (i) => seen[i] !== 0,
    kind: (i) => kinds[netid[i]],
    state: (i) => state[i],
    localPort: (i) => localPort[i],
    peerPort: (i) => peerPort[i],
    sendQ: (i) => sendQ[i],
    localWildcard: (i) => {
      const f = family[i];
      if (f !== AF_INET && f !== AF_INET6) return true;
      const n = f === AF_INET ? 4 : 16;
      const base = i * 32;
      for (let k = 0; k < n; k++) if (addr[base + k] !== 0) return false;
      return true;
    },
    peerKey: (i) => {
      const base = i * 32 + 16;
      if (family[i] === AF_INET) return ((addr[base] << 24) | (addr[base + 1] << 16) | (addr[base + 2] << 8) | addr[base + 3]) >>> 0;
      // IPv6: two 32-bit FNV-1a hashes in one number above every IPv4 key (a clash merges two
      // peers' sums, which a 52-bit key makes as good as impossible).
      let h1 = 0x811c9dc5;
      let h2 = 0x01000193;
      for (let k = 0; k < 16; k++) {
        h1 = Math.imul(h1 ^ addr[base + k], 0x01000193);
        h2 = Math.imul(h2 ^ addr[base + 15 - k], 0x811c9dc5);
      }
      return 0x100000000 + (h1 >>> 0) * 0x100000 + ((h2 >>> 0) & 0xfffff);
    },
    hasInfo,
    retrans: (i) => facts?.retrans[i] ?? 0,
    segsOut: (i) => facts?.segsOut[i] ?? 0,
    lost: (i) => facts?.lost[i] ?? 0,
    busyMs: (i) => facts?.busyMs[i] ?? 0,
    rwndMs: (i) => facts?.rwndMs[i] ?? 0,
    sndbufMs: (i) => facts?.sndbufMs[i] ?? 0,
    sndWnd: (i) => facts?.sndWnd[i] ?? -1,
    pid: (i) => processes(i)?.[0]?.pid ?? 0,
    processes,
    socket: (i) => {
      const hit = made.get(i);
      if (hit) return hit;
      const r = store.record(i);
      const s: FindingSocket = {
        netid: r.netid, state: r.state, family: r.family, recvQ: r.recvQ, sendQ: r.sendQ,
        localAddress: r.localAddress, localPort: r.localPort, peerAddress: r.peerAddress, peerPort: r.peerPort, cookie: r.cookie,
      };
      const procs = processes(i);
      if (procs) s.processes = procs;
      if (facts && facts.v6only[i] !== 0) s.v6only = facts.v6only[i] === 2;
      if (hasInfo(i) && facts) {
        s.tcpInfo = {
          total_retrans: facts.retrans[i], segs_out: facts.segsOut[i], lost: facts.lost[i],
          busy_time: facts.busyMs[i] * 1000, rwnd_limited: facts.rwndMs[i] * 1000, sndbuf_limited: facts.sndbufMs[i] * 1000,
          ...(facts.sndWnd[i] >= 0 ? { snd_wnd: facts.sndWnd[i] } : {}),
        };
      }
      made.set(i, s);
      return s;
    },
  };
}

/** The pids holding any socket of the store (for the fd-limit rule's per-process reads). */
export function storePids(store: SocketStore, pm: Pick<ProcessLookup, 'byInode' | 'pidOf' | 'nameOf'>): Map<number, string> {
  const out = new Map<number, string>();
  const { inode, seen } = store;
  for (let i = 0; i < store.end; i++) {
    const ino = inode[i];
    if (seen[i] === 0 || !ino) continue;
    // The typed lookup: a Map lookup of each socket's list cost most of a findings run at 100,000.
    const pid = pm.pidOf(ino);
    if (pid === 0 || out.has(pid)) continue;
    const name = pid > 0 ? pm.nameOf(pid) : undefined;
    if (name !== undefined) { out.set(pid, name); continue; }
    const refs = pm.byInode.get(ino);
    if (refs) for (const p of refs) if (!out.has(p.pid)) out.set(p.pid, p.name);
  }
  return out;
}
