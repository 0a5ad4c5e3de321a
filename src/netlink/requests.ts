// Building sock_diag request messages. Pure: returns Buffers, sends nothing.

import {
  NLMSG_HDRLEN, NLM_F_REQUEST, NLM_F_DUMP, NLM_F_ACK, SOCK_DIAG_BY_FAMILY, nlmsgAlign, INET_DIAG_REQ_V2_LEN,
  TCPDIAG_GETSOCK, INET_DIAG_REQ_LEN,
  INET_DIAG_REQ_BYTECODE, INET_DIAG_REQ_PROTOCOL, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_RAW, IPPROTO_MPTCP,
  INET_DIAG_MEMINFO, INET_DIAG_INFO, INET_DIAG_VEGASINFO, INET_DIAG_CONG, INET_DIAG_TOS, INET_DIAG_TCLASS,
  INET_DIAG_SKMEMINFO, INET_DIAG_SHUTDOWN,
  UDIAG_SHOW_NAME, UDIAG_SHOW_VFS, UDIAG_SHOW_PEER, UDIAG_SHOW_ICONS, UDIAG_SHOW_RQLEN, UDIAG_SHOW_MEMINFO, UDIAG_SHOW_UID,
  PACKET_SHOW_INFO, PACKET_SHOW_MEMINFO, PACKET_SHOW_FANOUT, PACKET_SHOW_RING_CFG,
  NDIAG_PROTO_ALL, NDIAG_SHOW_MEMINFO, NDIAG_SHOW_GROUPS, NDIAG_SHOW_FLAGS,
} from './constants';
import { AF_INET, AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK, type SockKind } from './diag-socket';
import type { DumpExt } from './types';

function header(buf: Buffer, type: number, flags: number, seq: number): void {
  buf.writeUInt32LE(buf.length, 0);
  buf.writeUInt16LE(type, 4);
  buf.writeUInt16LE(flags, 6);
  buf.writeUInt32LE(seq, 8);
  buf.writeUInt32LE(0, 12);
}

/** An inet state mask as the kernel takes it: request sockets sit in the hash as TCP_NEW_SYN_RECV, and ss's syn-recv includes them. */
function kernelStates(states: number): number {
  return (states & (1 << 3) ? states | (1 << 12) : states) >>> 0;
}

/** Writes an INET_DIAG_REQ_BYTECODE attribute at `o`; returns the offset after it. */
function putBytecode(buf: Buffer, o: number, bc: Uint8Array): number {
  buf.writeUInt16LE(4 + bc.length, o);
  buf.writeUInt16LE(INET_DIAG_REQ_BYTECODE, o + 2);
  buf.set(bc, o + 4);
  return o + nlmsgAlign(4 + bc.length);
}

/** idiag_ext bits for the requested extensions. */
export function inetExtBits(kind: SockKind, ext: DumpExt | undefined): number {
  if (!ext) return 0;
  const bit = (a: number): number => 1 << (a - 1);
  let e = 0;
  if (ext.mem) e |= bit(INET_DIAG_MEMINFO) | bit(INET_DIAG_SKMEMINFO);
  if (ext.info && (kind === 'tcp' || kind === 'mptcp')) e |= bit(INET_DIAG_INFO) | bit(INET_DIAG_VEGASINFO);
  if (ext.info && kind !== 'tcp' && kind !== 'mptcp') e |= bit(INET_DIAG_INFO);
  if (ext.cong || ext.info) e |= bit(INET_DIAG_CONG);
  if (ext.tos) e |= bit(INET_DIAG_TOS) | bit(INET_DIAG_TCLASS);
  if (ext.shutdown) e |= bit(INET_DIAG_SHUTDOWN);
  return e;
}

/** The inet_diag_sockid of an exact request: ports, addresses (4 or 16 bytes), interface, cookie. */
export interface InetSockId {
  sport: number; dport: number; src: Uint8Array; dst: Uint8Array; ifindex: number; cookieLo: number; cookieHi: number;
}

/**
 * An inet_diag_req_v2 for tcp/udp/raw/mptcp. With `id` it is an exact lookup (no NLM_F_DUMP) or,
 * with `type` SOCK_DESTROY, a destroy request.
 */
export function inetRequest(opts: {
  kind: SockKind; family: 4 | 6; states: number; ext: number; seq: number;
  bytecode?: Uint8Array; id?: InetSockId; type?: number; rawProtocol?: number;
}): Buffer {
  const bc = opts.bytecode && opts.bytecode.length ? opts.bytecode : null;
  const protoAttr = opts.kind === 'mptcp';
  let len = NLMSG_HDRLEN + INET_DIAG_REQ_V2_LEN;
  if (bc) len += nlmsgAlign(4 + bc.length);
  if (protoAttr) len += 8;
  const buf = Buffer.alloc(len);
  const flags = opts.id ? NLM_F_REQUEST | (opts.type && opts.type !== SOCK_DIAG_BY_FAMILY ? NLM_F_ACK : 0) : NLM_F_REQUEST | NLM_F_DUMP;
  header(buf, opts.type ?? SOCK_DIAG_BY_FAMILY, flags, opts.seq);
  const r = NLMSG_HDRLEN;
  buf[r] = opts.family === 4 ? AF_INET : AF_INET6;
  buf[r + 1] = opts.kind === 'tcp' ? IPPROTO_TCP : opts.kind === 'udp' ? IPPROTO_UDP : opts.kind === 'raw' ? IPPROTO_RAW : 0;
  buf[r + 2] = opts.ext & 0xff;
  buf[r + 3] = opts.kind === 'raw' ? (opts.rawProtocol ?? IPPROTO_RAW) & 0xff : 0; // sdiag_raw_protocol
  buf.writeUInt32LE(kernelStates(opts.states), r + 4);
  const id = opts.id;
  if (id) {
    buf.writeUInt16BE(id.sport, r + 8);
    buf.writeUInt16BE(id.dport, r + 10);
    buf.set(id.src.subarray(0, 16), r + 12);
    buf.set(id.dst.subarray(0, 16), r + 28);
    buf.writeUInt32LE(id.ifindex >>> 0, r + 44);
    buf.writeUInt32LE(id.cookieLo >>> 0, r + 48);
    buf.writeUInt32LE(id.cookieHi >>> 0, r + 52);
  } else {
    // INET_DIAG_NOCOOKIE: match any cookie.
    buf.writeUInt32LE(0xffffffff, r + 48);
    buf.writeUInt32LE(0xffffffff, r + 52);
  }
  let o = r + INET_DIAG_REQ_V2_LEN;
  if (bc) o = putBytecode(buf, o, bc);
  if (protoAttr) {
    buf.writeUInt16LE(8, o);
    buf.writeUInt16LE(INET_DIAG_REQ_PROTOCOL, o + 2);
    buf.writeUInt32LE(IPPROTO_MPTCP, o + 4);
  }
  return buf;
}

/**
 * A TCP dump of both families in one walk of the kernel's tables: the original TCPDIAG_GETSOCK
 * request (struct inet_diag_req), whose dumps the kernel runs with AF_UNSPEC. Replies carry that
 * message type; their inet_diag_msg bodies are the same.
 */
export function tcpBothFamiliesRequest(opts: { states: number; ext: number; seq: number; bytecode?: Uint8Array }): Buffer {
  const bc = opts.bytecode && opts.bytecode.length ? opts.bytecode : null;
  const buf = Buffer.alloc(NLMSG_HDRLEN + INET_DIAG_REQ_LEN + (bc ? nlmsgAlign(4 + bc.length) : 0));
  header(buf, TCPDIAG_GETSOCK, NLM_F_REQUEST | NLM_F_DUMP, opts.seq);
  const r = NLMSG_HDRLEN;
  buf[r + 3] = opts.ext & 0xff;
  // INET_DIAG_NOCOOKIE in the sockid (bytes 4..51), then the state mask and dbs.
  buf.writeUInt32LE(0xffffffff, r + 44);
  buf.writeUInt32LE(0xffffffff, r + 48);
  buf.writeUInt32LE(kernelStates(opts.states), r + 52);
  if (bc) putBytecode(buf, r + INET_DIAG_REQ_LEN, bc);
  return buf;
}

/** unix_diag_req: a dump, or an exact request by inode + cookie. */
export function unixRequest(opts: { states: number; ext?: DumpExt; seq: number; inode?: number; cookieLo?: number; cookieHi?: number }): Buffer {
  const buf = Buffer.alloc(NLMSG_HDRLEN + 24);
  const exact = opts.inode !== undefined;
  header(buf, SOCK_DIAG_BY_FAMILY, exact ? NLM_F_REQUEST : NLM_F_REQUEST | NLM_F_DUMP, opts.seq);
  const r = NLMSG_HDRLEN;
  buf[r] = AF_UNIX;
  buf.writeUInt32LE(opts.states >>> 0, r + 4);
  buf.writeUInt32LE((opts.inode ?? 0) >>> 0, r + 8);
  let show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
  if (opts.ext?.mem) show |= UDIAG_SHOW_MEMINFO;
  if (opts.ext?.info) show |= UDIAG_SHOW_VFS | UDIAG_SHOW_ICONS;
  buf.writeUInt32LE(show, r + 12);
  buf.writeUInt32LE(exact ? (opts.cookieLo ?? 0) >>> 0 : 0xffffffff, r + 16);
  buf.writeUInt32LE(exact ? (opts.cookieHi ?? 0) >>> 0 : 0xffffffff, r + 20);
  return buf;
}

/** packet_diag_req (dump only: the kernel has no exact packet lookup). */
export function packetRequest(opts: { ext?: DumpExt; seq: number }): Buffer {
  const buf = Buffer.alloc(NLMSG_HDRLEN + 20);
  header(buf, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, opts.seq);
  const r = NLMSG_HDRLEN;
  buf[r] = AF_PACKET;
  let show = PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO | PACKET_SHOW_FANOUT;
  if (opts.ext?.info) show |= PACKET_SHOW_RING_CFG;
  buf.writeUInt32LE(show, r + 8);
  return buf;
}

/** netlink_diag_req (dump only). */
export function netlinkRequest(opts: { ext?: DumpExt; seq: number }): Buffer {
  const buf = Buffer.alloc(NLMSG_HDRLEN + 20);
  header(buf, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, opts.seq);
  const r = NLMSG_HDRLEN;
  buf[r] = AF_NETLINK;
  buf[r + 1] = NDIAG_PROTO_ALL;
  buf.writeUInt32LE(NDIAG_SHOW_MEMINFO | NDIAG_SHOW_GROUPS | NDIAG_SHOW_FLAGS, r + 8);
  return buf;
}
