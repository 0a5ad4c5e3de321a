// Request and result shapes of the engine's public API.

import type { SockKind } from './diag-socket';

/** Extensions to ask the kernel for. Each costs bytes per socket, so only what the caller shows. */
export interface DumpExt {
  /** tcp_info (INET_DIAG_INFO) for tcp/mptcp, plus bbr/dctcp/vegas info when that algorithm runs. */
  info?: boolean;
  /** SKMEMINFO and the old MEMINFO (inet), meminfo for unix/packet/netlink. */
  mem?: boolean;
  /** INET_DIAG_CONG: congestion control name. */
  cong?: boolean;
  /** INET_DIAG_TOS / INET_DIAG_TCLASS. */
  tos?: boolean;
  /** INET_DIAG_SHUTDOWN / UNIX_DIAG_SHUTDOWN. */
  shutdown?: boolean;
  /**
   * INET_DIAG_MARK (sent only to CAP_NET_ADMIN). The kernel cannot be asked for it: it sends MARK,
   * CGROUP_ID, SKV6ONLY and CLASS_ID unasked, and the parser always decodes them when present.
   * These two flags exist so callers can state intent; they change nothing on the wire.
   */
  mark?: boolean;
  /** INET_DIAG_CGROUP_ID (see `mark`). */
  cgroup?: boolean;
}

export interface DumpRequest {
  kinds: SockKind[];
  /** inet families to dump; default both. Ignored for unix/packet/netlink. */
  families?: (4 | 6)[];
  /** Bitmask of 1 << state over kernel state numbers (TCP_ESTABLISHED = 1 ... ); see ALL_STATES. */
  states: number;
  ext?: DumpExt;
  /** INET_DIAG_REQ_BYTECODE program (inet kinds only); on rejection the dump is redone without it. */
  bytecode?: Uint8Array;
  /**
   * Each Socket passed to onSocket is valid only until the callback returns: the engine parses
   * straight from its one receive buffer and reuses one Socket object for tcp/udp/raw/mptcp,
   * instead of a copy per datagram and an object per socket. For callers that consume each socket
   * at once (print it, count it) and keep nothing.
   */
  transient?: boolean;
}

export interface DumpNotes {
  /** Plain-language lines about what this dump lacks, each said once. */
  notes: string[];
  /** Set when the kernel refused the bytecode (the dump then ran without it: the caller must filter). */
  bytecodeRejected?: string;
  /** Kinds that were read from /proc/net instead of netlink (no tcp_info, no kernel-side filter). */
  procfs: SockKind[];
  /** Kinds skipped entirely (neither netlink nor /proc could provide them). */
  skipped: SockKind[];
  /** Sockets delivered to the callback (or taken by a DatagramReader). */
  count: number;
}

/**
 * Reads a dump's datagrams itself instead of having each socket parsed into a Socket: given the
 * datagram (bytes 0..len of buf, valid only during the call) and the dump's state, it must handle
 * every message as parseDatagram would, sending those it does not take itself through
 * parseMessage(buf, off, len, st, onSocket). Returns how many sockets it took itself.
 */
export type DatagramReader = (buf: Buffer, len: number, st: import('./parse').DumpState, onSocket: (s: import('./diag-socket').Socket) => void) => number;

/** Identifies one socket for lookup/destroy: the kernel needs the exact tuple plus the cookie. */
export interface SocketKey {
  kind: SockKind;
  family: 4 | 6;
  cookie: bigint;
  /** inet: address text and ports as in Socket.localAddress/localPort, peerAddress/peerPort. */
  src?: string;
  sport?: number;
  dst?: string;
  dport?: number;
  /** inet: bound interface index (idiag_if). */
  ifindex?: number;
  /** raw: the protocol (IPPROTO_*). unix: the inode. */
  protocol?: number;
  inode?: number;
}

export interface OpenOptions {
  /** A network namespace file, e.g. /run/netns/NAME or /proc/PID/ns/net; default: the caller's own. */
  netnsPath?: string;
  /** Receive timeout guarding every recv, in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Skip netlink and read /proc/net, as on a kernel without sock_diag (for testing and comparison). */
  procfsOnly?: boolean;
}

export type DestroyGroup = 'tcp4' | 'tcp6' | 'udp4' | 'udp6';

export interface SubscribeOptions extends OpenOptions {
  /** Which destroy groups to join (default all four, like `ss -E`). */
  groups?: DestroyGroup[];
  /** Called once with the error if reading stops abnormally. */
  onError?: (err: Error) => void;
}
