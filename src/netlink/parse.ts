// Parsing of sock_diag reply datagrams into Sockets. Pure: works on any Buffer (live replies or
// captured fixtures). Every length is checked before it is read: malformed input raises a
// NetlinkError('malformed') naming what is wrong, never a RangeError from a Buffer read.

import {
  NLMSG_HDRLEN, NLMSG_ERROR, NLMSG_DONE, NLMSG_NOOP, NLM_F_DUMP_INTR, SOCK_DIAG_BY_FAMILY, nlmsgAlign,
  INET_DIAG_MSG_LEN, INET_DIAG_MEMINFO, INET_DIAG_INFO, INET_DIAG_VEGASINFO, INET_DIAG_CONG, INET_DIAG_TOS,
  INET_DIAG_TCLASS, INET_DIAG_SKMEMINFO, INET_DIAG_SHUTDOWN, INET_DIAG_DCTCPINFO, INET_DIAG_MARK,
  INET_DIAG_BBRINFO, INET_DIAG_CGROUP_ID, INET_DIAG_SKV6ONLY, INET_DIAG_CLASS_ID, INET_DIAG_PROTOCOL,
  UNIX_DIAG_MSG_LEN, UNIX_DIAG_NAME, UNIX_DIAG_VFS, UNIX_DIAG_PEER, UNIX_DIAG_ICONS, UNIX_DIAG_RQLEN,
  UNIX_DIAG_MEMINFO, UNIX_DIAG_SHUTDOWN, UNIX_DIAG_UID,
  PACKET_DIAG_MSG_LEN, PACKET_DIAG_INFO, PACKET_DIAG_RX_RING, PACKET_DIAG_TX_RING, PACKET_DIAG_FANOUT,
  PACKET_DIAG_UID, PACKET_DIAG_MEMINFO,
  NETLINK_DIAG_MSG_LEN, NETLINK_DIAG_MEMINFO, NETLINK_DIAG_GROUPS, NETLINK_DIAG_FLAGS,
  IPPROTO_TCP, IPPROTO_UDP, IPPROTO_MPTCP,
} from './constants';
import { NetlinkError } from './errors';
import { Socket, AF_INET, AF_INET6, AF_UNIX, TCP_CLOSE, type SockKind, type Netid, type PacketRing } from './diag-socket';

/** The state of one dump, updated message by message. */
export interface DumpState {
  kind: SockKind;
  /** Expected nlmsg_seq; replies with another one are an error. */
  seq: number;
  /** State mask, applied here for kinds whose kernel side has none (packet, netlink). */
  states: number;
  /** Set when NLMSG_DONE or NLMSG_ERROR ended the dump. */
  done: boolean;
  /** Positive errno from NLMSG_DONE / NLMSG_ERROR (0 = success). */
  errno: number;
  /** An NLM_F_DUMP_INTR flag was seen. */
  interrupted: boolean;
  /** Sockets delivered so far. */
  count: number;
  /** Transient dumps: the one inet Socket reused (reset) for every message; null = a new one each. */
  reuse: Socket | null;
  /** The message type of socket replies (SOCK_DIAG_BY_FAMILY, or TCPDIAG_GETSOCK for its dumps). */
  msgType: number;
  /**
   * Sockets of this address family are not delivered but their messages kept, in order, in
   * `deferred` (bytes 0..deferredLen): a dump of both families delivers IPv4 first, as ss prints.
   */
  deferFamily: number;
  deferred: Buffer | null;
  deferredLen: number;
}

export function newDumpState(kind: SockKind, seq: number, states: number, reuse: Socket | null = null, msgType = SOCK_DIAG_BY_FAMILY, deferFamily = 0): DumpState {
  return { kind, seq, states, done: false, errno: 0, interrupted: false, count: 0, reuse, msgType, deferFamily, deferred: null, deferredLen: 0 };
}

/** Keeps the message at buf[off, end) for later (see DumpState.deferFamily). */
function defer(st: DumpState, buf: Buffer, off: number, end: number): void {
  const n = nlmsgAlign(end - off);
  let d = st.deferred;
  if (!d || d.length - st.deferredLen < n) {
    const grown = Buffer.allocUnsafe(Math.max(1 << 16, (d ? d.length : 0) * 2, st.deferredLen + n));
    if (d) d.copy(grown, 0, 0, st.deferredLen);
    st.deferred = d = grown;
  }
  buf.copy(d, st.deferredLen, off, end);
  d.fill(0, st.deferredLen + end - off, st.deferredLen + n);
  st.deferredLen += n;
}

function malformed(what: string): NetlinkError {
  return new NetlinkError('malformed', `malformed netlink reply: ${what}`);
}

/**
 * Parse one received datagram (bytes 0..len of `buf`, which the resulting Sockets keep referencing,
 * so pass a buffer that is not reused). Calls onSocket for each socket message; stops at NLMSG_DONE
 * or NLMSG_ERROR, recording the outcome in `st`.
 */
export function parseDatagram(buf: Buffer, len: number, st: DumpState, onSocket: (s: Socket) => void): void {
  if (len > buf.length) throw malformed(`datagram length ${len} exceeds buffer of ${buf.length}`);
  let off = 0;
  while (off < len && !st.done) off = parseMessage(buf, off, len, st, onSocket);
}

/**
 * Parse the one message at `off` of a datagram of `len` bytes (see parseDatagram); returns the
 * offset of the next one.
 */
export function parseMessage(buf: Buffer, off: number, len: number, st: DumpState, onSocket: (s: Socket) => void): number {
  if (len - off < NLMSG_HDRLEN) throw malformed(`${len - off} trailing bytes, too short for a message header`);
  const mlen = le32(buf, off);
  const type = le16(buf, off + 4);
  const flags = le16(buf, off + 6);
  const seq = le32(buf, off + 8);
  if (mlen < NLMSG_HDRLEN) throw malformed(`nlmsg_len ${mlen} is smaller than the header`);
  if (mlen > len - off) throw malformed(`nlmsg_len ${mlen} overruns the datagram (${len - off} bytes left)`);
  if (seq !== st.seq) {
    throw new NetlinkError('sequence', `netlink reply with sequence ${seq}, expected ${st.seq}`);
  }
  if (flags & NLM_F_DUMP_INTR) st.interrupted = true;
  const body = off + NLMSG_HDRLEN;
  const end = off + mlen;
  if (type === NLMSG_DONE) {
    st.done = true;
    if (end - body >= 4) {
      const e = buf.readInt32LE(body);
      if (e < 0) st.errno = -e;
    }
  } else if (type === NLMSG_ERROR) {
    if (end - body < 4) throw malformed('NLMSG_ERROR without an error code');
    const e = buf.readInt32LE(body);
    st.done = true;
    st.errno = e < 0 ? -e : 0;
  } else if (type === st.msgType) {
    if (st.deferFamily && end > body && buf[body] === st.deferFamily) {
      defer(st, buf, off, end);
    } else {
      const s = parseSocketMessage(buf, body, end, st.kind, st.reuse);
      // The kernel filters inet and unix by state itself (and reports request sockets matched by
      // TCP_NEW_SYN_RECV as SYN_RECV); packet and netlink dumps have no state filter, so apply it here.
      if (s && (st.kind !== 'packet' && st.kind !== 'netlink' || (st.states & (1 << s.state)))) {
        st.count++;
        onSocket(s);
      }
    }
  } else if (type !== NLMSG_NOOP) {
    throw malformed(`unexpected message type ${type}`);
  }
  return off + nlmsgAlign(mlen);
}

/**
 * Parse one SOCK_DIAG_BY_FAMILY payload (bytes body..end) for `kind`. With `reuse`, an inet socket
 * is parsed into that object (reset first) instead of a new one.
 */
export function parseSocketMessage(buf: Buffer, body: number, end: number, kind: SockKind, reuse: Socket | null = null): Socket | null {
  switch (kind) {
    case 'unix': return parseUnix(buf, body, end);
    case 'packet': return parsePacket(buf, body, end);
    case 'netlink': return parseNetlink(buf, body, end);
    default: return parseInet(buf, body, end, kind, reuse);
  }
}

/** Walk attributes in [off, end): calls visit(type, payloadOffset, payloadLength). */
function forEachAttr(buf: Buffer, off: number, end: number, visit: (type: number, p: number, n: number) => void): void {
  while (off < end) {
    if (end - off < 4) throw malformed(`${end - off} trailing bytes, too short for an attribute header`);
    const alen = buf.readUInt16LE(off);
    const atype = buf.readUInt16LE(off + 2) & 0x3fff;
    if (alen < 4) throw malformed(`attribute ${atype} has length ${alen}`);
    if (alen > end - off) throw malformed(`attribute ${atype} of length ${alen} overruns its message (${end - off} bytes left)`);
    visit(atype, off + 4, alen - 4);
    off += nlmsgAlign(alen);
  }
}

function need(n: number, min: number, what: string): void {
  if (n < min) throw malformed(`${what} attribute has ${n} bytes, needs ${min}`);
}

const INET_NETID: Record<string, Netid> = { tcp: 'tcp', udp: 'udp', raw: 'raw', mptcp: 'mptcp' };
const INET_PROTO: Record<string, number> = { tcp: IPPROTO_TCP, udp: IPPROTO_UDP, mptcp: IPPROTO_MPTCP, raw: 0 };

/** Little-endian u32 / u16 at `o` (callers have checked the bounds). */
function le32(b: Buffer, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 16777216;
}
function le16(b: Buffer, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

function parseInet(buf: Buffer, body: number, end: number, kind: SockKind, reuse: Socket | null): Socket {
  if (end - body < INET_DIAG_MSG_LEN) throw malformed(`inet_diag_msg of ${end - body} bytes, needs ${INET_DIAG_MSG_LEN}`);
  const family = buf[body];
  if (family !== AF_INET && family !== AF_INET6) throw malformed(`inet_diag_msg with address family ${family}`);
  const netid = kind === 'tcp' ? 'tcp' : INET_NETID[kind] ?? 'tcp';
  const s = reuse ? reuse.reset(kind, netid, family, buf[body + 1], buf) : new Socket(kind, netid, family, buf[body + 1], buf);
  s.timerKind = buf[body + 2];
  s.timerRetrans = buf[body + 3];
  s.localPort = (buf[body + 4] << 8) | buf[body + 5];
  s.peerPort = (buf[body + 6] << 8) | buf[body + 7];
  s.srcOff = body + 8;
  s.dstOff = body + 24;
  s.ifindex = le32(buf, body + 40);
  s.cookieLo = le32(buf, body + 44);
  s.cookieHi = le32(buf, body + 48);
  s.timerExpires = le32(buf, body + 52);
  s.recvQ = le32(buf, body + 56);
  s.sendQ = le32(buf, body + 60);
  s.uid = le32(buf, body + 64);
  s.inode = le32(buf, body + 68);
  s.protocol = kind === 'tcp' ? IPPROTO_TCP : kind === 'raw' ? s.localPort : INET_PROTO[kind] ?? 0;
  const a = s.attrs;
  // The hot path of every dump: the attribute walk is inlined (no closure per message).
  let off = body + INET_DIAG_MSG_LEN;
  while (off < end) {
    if (end - off < 4) throw malformed(`${end - off} trailing bytes, too short for an attribute header`);
    const alen = le16(buf, off);
    const t = le16(buf, off + 2) & 0x3fff;
    if (alen < 4) throw malformed(`attribute ${t} has length ${alen}`);
    if (alen > end - off) throw malformed(`attribute ${t} of length ${alen} overruns its message (${end - off} bytes left)`);
    const p = off + 4;
    const n = alen - 4;
    off += (alen + 3) & ~3;
    switch (t) {
      case INET_DIAG_INFO: a.info = p; a.infoLen = n; break;
      case INET_DIAG_SKMEMINFO: a.skmem = p; a.skmemLen = n; break;
      case INET_DIAG_MEMINFO: need(n, 16, 'INET_DIAG_MEMINFO'); a.mem = p; break;
      case INET_DIAG_CONG: a.cong = p; a.congLen = n; break;
      case INET_DIAG_TOS: need(n, 1, 'INET_DIAG_TOS'); s.tos = buf[p]; break;
      case INET_DIAG_TCLASS: need(n, 1, 'INET_DIAG_TCLASS'); s.tclass = buf[p]; break;
      case INET_DIAG_SHUTDOWN: need(n, 1, 'INET_DIAG_SHUTDOWN'); s.shutdown = buf[p]; break;
      case INET_DIAG_MARK: need(n, 4, 'INET_DIAG_MARK'); s.mark = le32(buf, p); break;
      case INET_DIAG_CGROUP_ID: need(n, 8, 'INET_DIAG_CGROUP_ID'); a.cgroup = p; break;
      case INET_DIAG_PROTOCOL: need(n, 1, 'INET_DIAG_PROTOCOL'); if (kind === 'raw') s.protocol = buf[p]; break;
      case INET_DIAG_SKV6ONLY: need(n, 1, 'INET_DIAG_SKV6ONLY'); s.v6only = buf[p]; break;
      case INET_DIAG_CLASS_ID: need(n, 4, 'INET_DIAG_CLASS_ID'); s.classId = buf.readUInt32LE(p); break;
      case INET_DIAG_BBRINFO: need(n, 20, 'INET_DIAG_BBRINFO'); a.bbr = p; break;
      case INET_DIAG_DCTCPINFO: need(n, 16, 'INET_DIAG_DCTCPINFO'); a.dctcp = p; break;
      case INET_DIAG_VEGASINFO: need(n, 16, 'INET_DIAG_VEGASINFO'); a.vegas = p; break;
      default: break;
    }
  }
  return s;
}

const UNIX_NETID: Record<number, Netid> = { 1: 'u_str', 2: 'u_dgr', 5: 'u_seq' };

function parseUnix(buf: Buffer, body: number, end: number): Socket {
  if (end - body < UNIX_DIAG_MSG_LEN) throw malformed(`unix_diag_msg of ${end - body} bytes, needs ${UNIX_DIAG_MSG_LEN}`);
  const type = buf[body + 1];
  const s = new Socket('unix', UNIX_NETID[type] ?? 'u_str', AF_UNIX, buf[body + 2], buf);
  s.sockType = type;
  s.inode = buf.readUInt32LE(body + 4);
  s.localPort = s.inode;
  s.cookieLo = buf.readUInt32LE(body + 8);
  s.cookieHi = buf.readUInt32LE(body + 12);
  const a = s.attrs;
  forEachAttr(buf, body + UNIX_DIAG_MSG_LEN, end, (t, p, n) => {
    switch (t) {
      case UNIX_DIAG_NAME: a.name = p; a.nameLen = n; break;
      case UNIX_DIAG_VFS: need(n, 8, 'UNIX_DIAG_VFS'); a.vfs = p; break;
      case UNIX_DIAG_PEER: need(n, 4, 'UNIX_DIAG_PEER'); s.peerInode = buf.readUInt32LE(p); s.peerPort = s.peerInode; break;
      case UNIX_DIAG_ICONS: a.icons = p; a.iconsLen = n; break;
      case UNIX_DIAG_RQLEN: need(n, 8, 'UNIX_DIAG_RQLEN'); s.recvQ = buf.readUInt32LE(p); s.sendQ = buf.readUInt32LE(p + 4); break;
      case UNIX_DIAG_MEMINFO: a.skmem = p; a.skmemLen = n; break;
      case UNIX_DIAG_SHUTDOWN: need(n, 1, 'UNIX_DIAG_SHUTDOWN'); s.shutdown = buf[p]; break;
      case UNIX_DIAG_UID: need(n, 4, 'UNIX_DIAG_UID'); s.uid = buf.readUInt32LE(p); break;
      default: break;
    }
  });
  return s;
}

function readRing(buf: Buffer, p: number): PacketRing {
  return {
    blockSize: buf.readUInt32LE(p), blockNr: buf.readUInt32LE(p + 4), frameSize: buf.readUInt32LE(p + 8),
    frameNr: buf.readUInt32LE(p + 12), retireTmo: buf.readUInt32LE(p + 16), sizeofPriv: buf.readUInt32LE(p + 20),
    features: buf.readUInt32LE(p + 24),
  };
}

/**
 * Packet and netlink messages carry no queue fields: like ss, take Recv-Q and Send-Q from the
 * SK_MEMINFO array (rmem_alloc at [0], wmem_alloc at [2]), and keep the array for -m.
 */
function takeSkmemQueues(s: Socket, buf: Buffer, p: number, n: number): void {
  s.attrs.skmem = p;
  s.attrs.skmemLen = n;
  if (n >= 4) s.recvQ = buf.readUInt32LE(p);
  if (n >= 12) s.sendQ = buf.readUInt32LE(p + 8);
}

function parsePacket(buf: Buffer, body: number, end: number): Socket {
  if (end - body < PACKET_DIAG_MSG_LEN) throw malformed(`packet_diag_msg of ${end - body} bytes, needs ${PACKET_DIAG_MSG_LEN}`);
  const type = buf[body + 1];
  const s = new Socket('packet', type === 3 ? 'p_raw' : 'p_dgr', buf[body], TCP_CLOSE, buf);
  s.sockType = type;
  s.protocol = buf.readUInt16LE(body + 2); // pdiag_num: ntohs(po->num), host order
  s.inode = buf.readUInt32LE(body + 4);
  s.cookieLo = buf.readUInt32LE(body + 8);
  s.cookieHi = buf.readUInt32LE(body + 12);
  forEachAttr(buf, body + PACKET_DIAG_MSG_LEN, end, (t, p, n) => {
    switch (t) {
      case PACKET_DIAG_INFO:
        need(n, 24, 'PACKET_DIAG_INFO');
        s.ifindex = buf.readUInt32LE(p);
        s.packet = {
          index: s.ifindex, version: buf.readUInt32LE(p + 4), reserve: buf.readUInt32LE(p + 8),
          copyThresh: buf.readUInt32LE(p + 12), tstamp: buf.readUInt32LE(p + 16), flags: buf.readUInt32LE(p + 20),
        };
        break;
      case PACKET_DIAG_UID: need(n, 4, 'PACKET_DIAG_UID'); s.uid = buf.readUInt32LE(p); break;
      case PACKET_DIAG_MEMINFO:
        takeSkmemQueues(s, buf, p, n);
        break;
      case PACKET_DIAG_FANOUT: need(n, 4, 'PACKET_DIAG_FANOUT'); if (s.packet) s.packet.fanout = buf.readUInt32LE(p); break;
      case PACKET_DIAG_RX_RING: need(n, 28, 'PACKET_DIAG_RX_RING'); if (s.packet) s.packet.rxRing = readRing(buf, p); break;
      case PACKET_DIAG_TX_RING: need(n, 28, 'PACKET_DIAG_TX_RING'); if (s.packet) s.packet.txRing = readRing(buf, p); break;
      default: break;
    }
  });
  return s;
}

function parseNetlink(buf: Buffer, body: number, end: number): Socket {
  if (end - body < NETLINK_DIAG_MSG_LEN) throw malformed(`netlink_diag_msg of ${end - body} bytes, needs ${NETLINK_DIAG_MSG_LEN}`);
  const s = new Socket('netlink', 'nl', buf[body], TCP_CLOSE, buf);
  s.sockType = buf[body + 1];
  s.protocol = buf[body + 2];
  s.localPort = buf.readUInt32LE(body + 4);
  s.peerPort = buf.readUInt32LE(body + 8);
  s.peerInode = buf.readUInt32LE(body + 12); // ndiag_dst_group
  s.inode = buf.readUInt32LE(body + 16);
  s.cookieLo = buf.readUInt32LE(body + 20);
  s.cookieHi = buf.readUInt32LE(body + 24);
  const a = s.attrs;
  forEachAttr(buf, body + NETLINK_DIAG_MSG_LEN, end, (t, p, n) => {
    switch (t) {
      case NETLINK_DIAG_MEMINFO:
        takeSkmemQueues(s, buf, p, n);
        break;
      case NETLINK_DIAG_GROUPS: a.groups = p; a.groupsLen = n; break;
      case NETLINK_DIAG_FLAGS: need(n, 4, 'NETLINK_DIAG_FLAGS'); s.netlinkFlags = buf.readUInt32LE(p); break;
      default: break;
    }
  });
  return s;
}
