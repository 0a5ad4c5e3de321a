// The typed Socket model every dump produces, from sock_diag or from /proc/net.
//
// Cheap numeric fields are plain properties set once by the parser. Everything costly is lazy:
// address text, tcp_info, meminfo, unix names are decoded from the datagram bytes the socket keeps
// a reference to (one copy per received datagram, shared by all its sockets) on first access.

import { tcpInfoView, type TcpInfo } from './tcp-info';
import { formatAddress } from './address';
import { decodeMptcpInfo } from './mptcp-info';
import type { MptcpInfo } from '../fields/index';
import { stateName, TCP_STATE } from '../fields/socket-states';

export type SockKind = 'tcp' | 'udp' | 'raw' | 'mptcp' | 'unix' | 'packet' | 'netlink';
export const SOCK_KINDS: readonly SockKind[] = ['tcp', 'udp', 'raw', 'mptcp', 'unix', 'packet', 'netlink'];

/** ss's names for the socket kinds. */
export type Netid = 'tcp' | 'udp' | 'raw' | 'mptcp' | 'u_str' | 'u_dgr' | 'u_seq' | 'p_raw' | 'p_dgr' | 'nl';

/** The dump each ss netid comes from. The one table the CLI, the helper and the host plan dumps with. */
export const KIND_OF_NETID: Readonly<Record<Netid, SockKind>> = {
  tcp: 'tcp', udp: 'udp', raw: 'raw', mptcp: 'mptcp', u_str: 'unix', u_dgr: 'unix', u_seq: 'unix',
  p_raw: 'packet', p_dgr: 'packet', nl: 'netlink',
};

/** The dump a netid or ss table name comes from; undefined for those Sockscope does not dump (v_str, dccp, …). */
export function kindOfNetid(netid: string): SockKind | undefined {
  return Object.prototype.hasOwnProperty.call(KIND_OF_NETID, netid) ? KIND_OF_NETID[netid as Netid] : undefined;
}

/** ss's dump order: netlink, packet, unix, raw, udp, tcp, mptcp. */
export const SS_DUMP_ORDER: readonly SockKind[] = ['netlink', 'packet', 'unix', 'raw', 'udp', 'tcp', 'mptcp'];

/** Address families (AF_*). */
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;
export const AF_PACKET = 17;

/** Kernel socket states under their C names (numbers from src/fields/socket-states.ts); unix and others reuse them as ss does. */
export const {
  ESTABLISHED: TCP_ESTABLISHED, SYN_SENT: TCP_SYN_SENT, SYN_RECV: TCP_SYN_RECV, FIN_WAIT1: TCP_FIN_WAIT1,
  FIN_WAIT2: TCP_FIN_WAIT2, TIME_WAIT: TCP_TIME_WAIT, CLOSE: TCP_CLOSE, CLOSE_WAIT: TCP_CLOSE_WAIT,
  LAST_ACK: TCP_LAST_ACK, LISTEN: TCP_LISTEN, CLOSING: TCP_CLOSING, NEW_SYN_RECV: TCP_NEW_SYN_RECV,
  BOUND_INACTIVE: TCP_BOUND_INACTIVE,
} = TCP_STATE;
/** Every state bit (1 << 0 .. 1 << 13), as ss's `all`. */
export const ALL_STATES = (1 << 14) - 1;

/** ss's timer names, indexed by idiag_timer. */
export const TIMER_NAMES: readonly string[] = ['off', 'on', 'keepalive', 'timewait', 'persist', 'unknown'];

export interface TimerInfo {
  /** ss's timer name: off, on, keepalive, timewait, persist, unknown. */
  name: string;
  /** Milliseconds until it fires. */
  expiresMs: number;
  retrans: number;
}

/** INET_DIAG_SKMEMINFO / PACKET_DIAG_MEMINFO / NETLINK_DIAG_MEMINFO (SK_MEMINFO_*); absent entries are undefined. */
export interface SkMemInfo {
  rmemAlloc: number; rcvbuf: number; wmemAlloc: number; sndbuf: number; fwdAlloc: number;
  wmemQueued: number; optmem?: number; backlog?: number; drops?: number;
  /** Every u32 the kernel sent, in order (newer kernels may add more). */
  raw: number[];
}

/** INET_DIAG_MEMINFO (struct inet_diag_meminfo), the old form ss prints as mem:(r,w,f,t). */
export interface OldMemInfo { rmem: number; wmem: number; fmem: number; tmem: number }

/** INET_DIAG_BBRINFO. bw is bytes per second. */
export interface BbrInfo { bw: bigint; minRtt: number; pacingGain: number; cwndGain: number }
/** INET_DIAG_DCTCPINFO. */
export interface DctcpInfo { enabled: number; ceState: number; alpha: number; abEcn: number; abTot: number }
/** INET_DIAG_VEGASINFO. */
export interface VegasInfo { enabled: number; rttCnt: number; rtt: number; minRtt: number }

/** UNIX_DIAG_VFS. */
export interface UnixVfs { dev: number; ino: number }

/** PACKET_DIAG_INFO plus the optional packet attributes. */
export interface PacketInfo {
  index: number; version: number; reserve: number; copyThresh: number; tstamp: number; flags: number;
  /** PACKET_DIAG_FANOUT: (id | type << 16) as the kernel sends it. */
  fanout?: number;
  /** PACKET_DIAG_RX_RING / TX_RING (struct packet_diag_ring). */
  rxRing?: PacketRing; txRing?: PacketRing;
}
export interface PacketRing { blockSize: number; blockNr: number; frameSize: number; frameNr: number; retireTmo: number; sizeofPriv: number; features: number }

/** Where a socket came from, so a caller can tell what is missing. */
export type SocketSource = 'netlink' | 'procfs';

/** Which attribute offsets a Socket holds; -1 when absent. Internal to the parsers. */
export interface AttrRefs {
  info: number; infoLen: number;
  skmem: number; skmemLen: number;
  mem: number;
  cong: number; congLen: number;
  bbr: number; dctcp: number; vegas: number;
  name: number; nameLen: number;
  vfs: number; icons: number; iconsLen: number;
  groups: number; groupsLen: number;
  cgroup: number;
}

/**
 * One socket. Plain numeric properties are always set; optional ones are undefined when the
 * kernel did not send them (not requested, not applicable, or an older kernel).
 */
export class Socket {
  kind: SockKind;
  netid: Netid;
  /** AF_INET, AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK. */
  family: number;
  /** Kernel state number (TCP_*; unix/packet/netlink mapped like ss: TCP_CLOSE is UNCONN). */
  state: number;
  recvQ = 0;
  sendQ = 0;
  /** inet: port; raw: protocol; packet: 0; netlink: port id; unix: the inode (as ss prints it). */
  localPort = 0;
  /** inet: port; netlink: destination port id; unix: peer inode. */
  peerPort = 0;
  /** Interface index: inet idiag_if (bound device / scope), packet's interface; 0 if none. */
  ifindex = 0;
  inode = 0;
  uid = 0;
  /** Cookie halves as the kernel sends them (idiag_cookie[0], [1]). */
  cookieLo = 0;
  cookieHi = 0;
  /** raw: protocol (same as localPort); packet: ethertype (host order); netlink: NETLINK_* protocol; mptcp/tcp/udp: IPPROTO. */
  protocol = 0;
  /** idiag_timer, idiag_expires, idiag_retrans (inet only); timerKind 0 = none. */
  timerKind = 0;
  timerExpires = 0;
  timerRetrans = 0;
  mark: number | undefined = undefined;
  tos: number | undefined = undefined;
  /** INET_DIAG_CLASS_ID (net_cls class id, or the priority when cgroup v1 net_cls is unused); sent with tos. */
  classId: number | undefined = undefined;
  /** INET_DIAG_SKV6ONLY: IPV6_V6ONLY of an inet6 socket (0 or 1); always sent for AF_INET6. */
  v6only: number | undefined = undefined;
  tclass: number | undefined = undefined;
  /** INET_DIAG_SHUTDOWN / UNIX_DIAG_SHUTDOWN: bit 0 = no more receives, bit 1 = no more sends. */
  shutdown: number | undefined = undefined;
  /** unix: UNIX_DIAG_PEER; netlink: destination group. */
  peerInode = 0;
  /** unix: socket type (SOCK_STREAM=1, SOCK_DGRAM=2, SOCK_SEQPACKET=5); packet: SOCK_RAW=3/SOCK_DGRAM=2; netlink: type. */
  sockType = 0;
  /** netlink: NDIAG_FLAGS bits when requested. */
  netlinkFlags: number | undefined = undefined;
  packet: PacketInfo | undefined = undefined;
  source: SocketSource = 'netlink';

  /** Bytes this socket's lazy fields are decoded from (a datagram copy or a synthetic buffer). */
  buf: Buffer;
  /** Offsets in `buf` of the local and peer address bytes (inet), -1 if none. */
  srcOff = -1;
  dstOff = -1;
  attrs: AttrRefs;

  private addrTextCache: string | undefined = undefined;
  private peerTextCache: string | undefined = undefined;

  constructor(kind: SockKind, netid: Netid, family: number, state: number, buf: Buffer) {
    this.kind = kind;
    this.netid = netid;
    this.family = family;
    this.state = state;
    this.buf = buf;
    this.attrs = {
      info: -1, infoLen: 0, skmem: -1, skmemLen: 0, mem: -1, cong: -1, congLen: 0,
      bbr: -1, dctcp: -1, vegas: -1, name: -1, nameLen: 0, vfs: -1, icons: -1, iconsLen: 0, groups: -1, groupsLen: 0, cgroup: -1,
    };
  }

  /**
   * Makes this object what `new Socket(kind, netid, family, state, buf)` would be (every field back
   * to its initial value), for transient dumps that parse every socket into one object.
   */
  reset(kind: SockKind, netid: Netid, family: number, state: number, buf: Buffer): this {
    this.kind = kind;
    this.netid = netid;
    this.family = family;
    this.state = state;
    this.recvQ = 0;
    this.sendQ = 0;
    this.localPort = 0;
    this.peerPort = 0;
    this.ifindex = 0;
    this.inode = 0;
    this.uid = 0;
    this.cookieLo = 0;
    this.cookieHi = 0;
    this.protocol = 0;
    this.timerKind = 0;
    this.timerExpires = 0;
    this.timerRetrans = 0;
    this.mark = undefined;
    this.tos = undefined;
    this.classId = undefined;
    this.v6only = undefined;
    this.tclass = undefined;
    this.shutdown = undefined;
    this.peerInode = 0;
    this.sockType = 0;
    this.netlinkFlags = undefined;
    this.packet = undefined;
    this.source = 'netlink';
    this.buf = buf;
    this.srcOff = -1;
    this.dstOff = -1;
    const a = this.attrs;
    a.info = -1; a.infoLen = 0; a.skmem = -1; a.skmemLen = 0; a.mem = -1; a.cong = -1; a.congLen = 0;
    a.bbr = -1; a.dctcp = -1; a.vegas = -1; a.name = -1; a.nameLen = 0; a.vfs = -1; a.icons = -1; a.iconsLen = 0;
    a.groups = -1; a.groupsLen = 0; a.cgroup = -1;
    this.addrTextCache = undefined;
    this.peerTextCache = undefined;
    return this;
  }

  /** The kernel's socket cookie (what `ss -e` prints after `sk:` in hex). */
  get cookie(): bigint {
    return (BigInt(this.cookieHi >>> 0) << 32n) | BigInt(this.cookieLo >>> 0);
  }

  /** INET_DIAG_CGROUP_ID: the cgroup v2 id (decoded on access). */
  get cgroupId(): bigint | undefined {
    const o = this.attrs.cgroup;
    return o < 0 ? undefined : this.buf.readBigUInt64LE(o);
  }

  /** ss's State column text. */
  get stateName(): string {
    return stateName(this.state);
  }

  /** The raw local address bytes (4 for IPv4, 16 for IPv6), or null for non-inet sockets. */
  get localAddressBytes(): Uint8Array | null {
    return this.srcOff < 0 ? null : this.buf.subarray(this.srcOff, this.srcOff + (this.family === AF_INET ? 4 : 16));
  }
  get peerAddressBytes(): Uint8Array | null {
    return this.dstOff < 0 ? null : this.buf.subarray(this.dstOff, this.dstOff + (this.family === AF_INET ? 4 : 16));
  }

  /**
   * Canonical address text without brackets or scope: "127.0.0.1", "::1", "::ffff:10.0.0.1", "0.0.0.0".
   * unix: the path, "@name" for abstract, null when unnamed. packet/netlink: null (see protocol/ifindex).
   */
  get localAddress(): string | null {
    if (this.srcOff >= 0) return (this.addrTextCache ??= formatAddress(this.buf, this.srcOff, this.family));
    if (this.kind === 'unix') return this.unixName;
    return null;
  }
  get peerAddress(): string | null {
    if (this.dstOff >= 0) return (this.peerTextCache ??= formatAddress(this.buf, this.dstOff, this.family));
    return null;
  }

  /** inet sockets: the timer (name 'off' when timerKind is 0, which ss does not print); undefined for others. */
  get timer(): TimerInfo | undefined {
    if (this.kind === 'unix' || this.kind === 'packet' || this.kind === 'netlink') return undefined;
    return { name: TIMER_NAMES[this.timerKind] ?? 'unknown', expiresMs: this.timerExpires, retrans: this.timerRetrans };
  }

  /** struct tcp_info (tcp with ext.info), a lazy view; undefined when not sent (and for mptcp, see mptcpInfo). */
  get tcpInfo(): TcpInfo | undefined {
    const a = this.attrs;
    return a.info < 0 || this.kind !== 'tcp' ? undefined : tcpInfoView(this.buf, a.info, a.infoLen);
  }

  /** struct mptcp_info (mptcp with ext.info): INET_DIAG_INFO of an MPTCP socket. */
  get mptcpInfo(): MptcpInfo | undefined {
    const a = this.attrs;
    return a.info < 0 || this.kind !== 'mptcp' ? undefined : decodeMptcpInfo(this.buf, a.info, a.infoLen);
  }

  /** INET_DIAG_CONG: the congestion control algorithm name. */
  get congestion(): string | undefined {
    const a = this.attrs;
    return a.cong < 0 ? undefined : cString(this.buf, a.cong, a.congLen);
  }

  /** SKMEMINFO-style u32 array (inet with ext.mem, packet, netlink, unix with UDIAG_SHOW_MEMINFO). */
  get skmem(): SkMemInfo | undefined {
    const a = this.attrs;
    if (a.skmem < 0) return undefined;
    const n = Math.floor(a.skmemLen / 4);
    const raw: number[] = [];
    for (let i = 0; i < n; i++) raw.push(this.buf.readUInt32LE(a.skmem + 4 * i));
    return {
      rmemAlloc: raw[0] ?? 0, rcvbuf: raw[1] ?? 0, wmemAlloc: raw[2] ?? 0, sndbuf: raw[3] ?? 0, fwdAlloc: raw[4] ?? 0,
      wmemQueued: raw[5] ?? 0, optmem: raw[6], backlog: raw[7], drops: raw[8], raw,
    };
  }

  /** INET_DIAG_MEMINFO (old format). */
  get meminfo(): OldMemInfo | undefined {
    const o = this.attrs.mem;
    if (o < 0) return undefined;
    const b = this.buf;
    return { rmem: b.readUInt32LE(o), wmem: b.readUInt32LE(o + 4), fmem: b.readUInt32LE(o + 8), tmem: b.readUInt32LE(o + 12) };
  }

  get bbr(): BbrInfo | undefined {
    const o = this.attrs.bbr;
    if (o < 0) return undefined;
    const b = this.buf;
    const bw = (BigInt(b.readUInt32LE(o + 4)) << 32n) | BigInt(b.readUInt32LE(o));
    return { bw, minRtt: b.readUInt32LE(o + 8), pacingGain: b.readUInt32LE(o + 12), cwndGain: b.readUInt32LE(o + 16) };
  }

  get dctcp(): DctcpInfo | undefined {
    const o = this.attrs.dctcp;
    if (o < 0) return undefined;
    const b = this.buf;
    return { enabled: b.readUInt16LE(o), ceState: b.readUInt16LE(o + 2), alpha: b.readUInt32LE(o + 4), abEcn: b.readUInt32LE(o + 8), abTot: b.readUInt32LE(o + 12) };
  }

  get vegas(): VegasInfo | undefined {
    const o = this.attrs.vegas;
    if (o < 0) return undefined;
    const b = this.buf;
    return { enabled: b.readUInt32LE(o), rttCnt: b.readUInt32LE(o + 4), rtt: b.readUInt32LE(o + 8), minRtt: b.readUInt32LE(o + 12) };
  }

  /** unix: the bound name, "@name" for abstract (NULs inside shown as '@' like ss), null when unnamed. */
  get unixName(): string | null {
    const a = this.attrs;
    if (a.name < 0 || a.nameLen === 0) return null;
    if (this.buf[a.name] === 0) {
      return '@' + this.buf.toString('latin1', a.name + 1, a.name + a.nameLen).replace(/\0/g, '@');
    }
    return cString(this.buf, a.name, a.nameLen);
  }

  /** unix: UNIX_DIAG_VFS (device and inode of the bound path). */
  get unixVfs(): UnixVfs | undefined {
    const o = this.attrs.vfs;
    return o < 0 ? undefined : { ino: this.buf.readUInt32LE(o), dev: this.buf.readUInt32LE(o + 4) };
  }

  /** unix listeners: inodes of connections waiting in accept (UNIX_DIAG_ICONS). */
  get unixIcons(): number[] | undefined {
    const a = this.attrs;
    if (a.icons < 0) return undefined;
    const out: number[] = [];
    for (let i = 0; i + 4 <= a.iconsLen; i += 4) out.push(this.buf.readUInt32LE(a.icons + i));
    return out;
  }

  /** netlink: NETLINK_DIAG_GROUPS as a list of group numbers (1-based, as ss prints). */
  get netlinkGroups(): number[] | undefined {
    const a = this.attrs;
    if (a.groups < 0) return undefined;
    const out: number[] = [];
    for (let w = 0; w + 4 <= a.groupsLen; w += 4) {
      const word = this.buf.readUInt32LE(a.groups + w);
      for (let bit = 0; bit < 32; bit++) if (word & (1 << bit)) out.push(w * 8 + bit + 1);
    }
    return out;
  }
}

function cString(buf: Buffer, off: number, len: number): string {
  let end = off;
  const stop = off + len;
  while (end < stop && buf[end] !== 0) end++;
  return buf.toString('utf8', off, end);
}
