// The sockets the rules read, as rows of numbers. The helper's view store holds 100,000 sockets in
// typed columns (src/helper/socket-store.ts) and must not build an object per socket each refresh;
// the CLI's doctor has an array of FindingSocket. Both are SocketRows: the one pass over every
// socket (socket-index.ts) reads numbers only, and a FindingSocket is made (`socket(i)`) only for
// the few rows a finding names.
import { stateNumber } from '../fields/socket-states';
import type { ProcessRef } from '../protocol/socket-record';
import type { FindingSocket } from './snapshot';

/** What a row is, for the rules: other kinds are skipped. */
export const KIND_OTHER = 0;
export const KIND_TCP = 1;
export const KIND_UDP = 2;
export const KIND_MPTCP = 3;


export interface SocketRows {
  /** Rows are 0..end-1; those where live(i) is false are skipped. */
  readonly end: number;
  /** Live rows. */
  readonly size: number;
  live(i: number): boolean;
  /** KIND_TCP, KIND_UDP, KIND_MPTCP or KIND_OTHER. */
  kind(i: number): number;
  /** Kernel state number (TCP_STATE). */
  state(i: number): number;
  localPort(i: number): number;
  peerPort(i: number): number;
  sendQ(i: number): number;
  /** The local address is 0.0.0.0, :: or none. */
  localWildcard(i: number): boolean;
  /**
   * Equal for rows with the same peer address; rows with different addresses rarely share one
   * (the rules group the rows they pick by the real address afterwards).
   */
  peerKey(i: number): number | string;
  /** Whether the row carries the tcp_info figures below. */
  hasInfo(i: number): boolean;
  retrans(i: number): number;
  segsOut(i: number): number;
  lost(i: number): number;
  /** tcpi_busy_time, tcpi_rwnd_limited, tcpi_sndbuf_limited in ms. */
  busyMs(i: number): number;
  rwndMs(i: number): number;
  sndbufMs(i: number): number;
  /** tcpi_snd_wnd, or -1 when the kernel's struct has none. */
  sndWnd(i: number): number;
  /** The first pid holding the socket, 0 when none is known. */
  pid(i: number): number;
  /** The processes holding it (names as the rules print them). */
  processes(i: number): readonly ProcessRef[] | undefined;
  /** The row as the rules' object: made only for rows a finding names. */
  socket(i: number): FindingSocket;
}

const KIND: Readonly<Record<string, number>> = { tcp: KIND_TCP, udp: KIND_UDP, mptcp: KIND_MPTCP };
const num = (v: number | string | undefined): number => (typeof v === 'number' ? v : v === undefined ? 0 : Number(v) || 0);
const isWildcard = (a: string | null): boolean => a === '0.0.0.0' || a === '::' || a === null;

/** An array of FindingSocket as rows (the CLI, the exporter, the unit tests). */
export function arrayRows(sockets: readonly FindingSocket[]): SocketRows {
  return {
    end: sockets.length,
    size: sockets.length,
    live: () => true,
    kind: (i) => KIND[sockets[i].netid] ?? KIND_OTHER,
    state: (i) => stateNumber(sockets[i].state),
    localPort: (i) => sockets[i].localPort,
    peerPort: (i) => sockets[i].peerPort,
    sendQ: (i) => sockets[i].sendQ,
    localWildcard: (i) => isWildcard(sockets[i].localAddress),
    peerKey: (i) => sockets[i].peerAddress ?? '',
    hasInfo: (i) => sockets[i].tcpInfo !== undefined,
    retrans: (i) => num(sockets[i].tcpInfo?.total_retrans),
    segsOut: (i) => num(sockets[i].tcpInfo?.segs_out),
    lost: (i) => num(sockets[i].tcpInfo?.lost),
    // The kernel counts these in microseconds.
    busyMs: (i) => num(sockets[i].tcpInfo?.busy_time) / 1000,
    rwndMs: (i) => num(sockets[i].tcpInfo?.rwnd_limited) / 1000,
    sndbufMs: (i) => num(sockets[i].tcpInfo?.sndbuf_limited) / 1000,
    sndWnd: (i) => { const v = sockets[i].tcpInfo?.snd_wnd; return v === undefined ? -1 : num(v); },
    pid: (i) => sockets[i].processes?.[0]?.pid ?? 0,
    processes: (i) => sockets[i].processes,
    socket: (i) => sockets[i],
  };
}
