// The socket record as it crosses process boundaries: `sockscope --json` output, helper -> extension
// host messages, extension host -> webview messages. Plain JSON: no bigint, no Map.
//
// 64-bit kernel counters are JSON numbers while they fit in a double exactly (<= 2^53 - 1) and
// decimal strings beyond that; the pacing rates' "unlimited" (~0ULL) is the string "unlimited".
import type { SkMemInfoKey } from '../fields/index';
import type { StateName } from '../fields/socket-states';

/** ss's names for the socket kinds. */
export const NETIDS = ['tcp', 'udp', 'raw', 'mptcp', 'u_str', 'u_dgr', 'u_seq', 'p_raw', 'p_dgr', 'nl', 'v_str', 'v_dgr'] as const;
export type Netid = (typeof NETIDS)[number];

/** ss's names for states, as printed in its State column (by kernel number - 1; src/fields/socket-states.ts). */
export { STATE_NAMES, type StateName } from '../fields/socket-states';

export type Family = 'inet' | 'inet6' | 'unix' | 'packet' | 'netlink' | 'vsock';

export interface ProcessRef {
  pid: number;
  /** The command name, as in /proc/PID/comm (what ss prints in users:(("name",...))). */
  name: string;
  fd: number;
}

export type Counter = number | string;

/** SK_MEMINFO by the keys of src/fields/meminfo-fields.ts (rmemAlloc, rcvbuf, ... drops). */
export type MemInfo = Record<SkMemInfoKey, number>;

export interface TimerInfo {
  /** ss's timer names: on, keepalive, timewait, persist, unknown. */
  name: string;
  /** Milliseconds until it fires. */
  expiresMs: number;
  retrans: number;
}

export interface SocketRecord {
  netid: Netid;
  state: StateName;
  family: Family;
  recvQ: number;
  sendQ: number;
  /**
   * inet: canonical address text without brackets ("0.0.0.0", "::", "::ffff:10.0.0.1"), `*` is "0.0.0.0"/"::".
   * unix: the path, "@name" for abstract, null when unnamed. packet: protocol name or "*". netlink: protocol name.
   */
  localAddress: string | null;
  /** inet: the port (0 for `*`). unix: the socket's inode. packet: interface index. netlink: port id. */
  localPort: number;
  peerAddress: string | null;
  /** unix: the peer's inode (0 when none). */
  peerPort: number;
  /** Interface name for a scoped or device-bound socket (`%iface` in ss), else null. */
  iface: string | null;
  inode: number;
  uid: number;
  /** The kernel's socket cookie as lowercase hex, as ss -e prints after `sk:`. */
  cookie: string;
  mark?: number;
  cgroupId?: Counter;
  timer?: TimerInfo;
  congestion?: string;
  tos?: number;
  tclass?: number;
  shutdown?: number;
  /** With -p: every process holding a file descriptor on the socket. */
  processes?: ProcessRef[];
  /** With -i: struct tcp_info, keys are the kernel's tcpi_ names without the prefix, in the kernel's units. */
  tcpInfo?: Record<string, Counter>;
  /** With -m. */
  memInfo?: MemInfo;
}
