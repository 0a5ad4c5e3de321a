// /proc/net parsers: the text tables ss falls back to when sock_diag is refused or a protocol's
// diag module is missing, parsed into the same Socket model (source = 'procfs').

import { Socket, AF_INET, AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK, TCP_CLOSE, TCP_LISTEN, TCP_ESTABLISHED, TCP_SYN_SENT, TCP_CLOSING, type SockKind, type Netid } from './diag-socket';
import { IPPROTO_TCP, IPPROTO_UDP } from './constants';

/** USER_HZ: /proc/net reports timer expiry in clock ticks. */
const USER_HZ = 100;

function hexAddrInto(hex: string, out: Buffer, off: number): boolean {
  // Each 8-hex-digit group is a u32 in host (little-endian) order.
  if (hex.length !== 8 && hex.length !== 32) return false;
  for (let w = 0; w < hex.length / 8; w++) {
    const v = parseInt(hex.slice(w * 8, w * 8 + 8), 16);
    if (Number.isNaN(v)) return false;
    out.writeUInt32LE(v >>> 0, off + w * 4);
  }
  return true;
}

/** Parse /proc/net/{tcp,tcp6,udp,udp6,raw,raw6}. Lines that do not parse are skipped. */
export function parseProcInet(text: string, kind: SockKind, family: 4 | 6, states: number, onSocket: (s: Socket) => void): number {
  let n = 0;
  const lines = text.split('\n');
  const netid: Netid = kind === 'udp' ? 'udp' : kind === 'raw' ? 'raw' : 'tcp';
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i].trim().split(/\s+/);
    if (f.length < 10) continue;
    const [lhex, lport] = f[1].split(':');
    const [rhex, rport] = f[2].split(':');
    const state = parseInt(f[3], 16);
    if (!(states & (1 << state))) continue;
    const buf = Buffer.alloc(32);
    if (!hexAddrInto(lhex ?? '', buf, 0) || !hexAddrInto(rhex ?? '', buf, 16)) continue;
    const s = new Socket(kind, netid, family === 4 ? AF_INET : AF_INET6, state, buf);
    s.source = 'procfs';
    s.srcOff = 0;
    s.dstOff = 16;
    s.localPort = parseInt(lport ?? '0', 16) || 0;
    s.peerPort = parseInt(rport ?? '0', 16) || 0;
    const [tx, rx] = f[4].split(':');
    s.sendQ = parseInt(tx ?? '0', 16) || 0;
    s.recvQ = parseInt(rx ?? '0', 16) || 0;
    const [tr, when] = f[5].split(':');
    s.timerKind = parseInt(tr ?? '0', 16) || 0;
    s.timerExpires = Math.round(((parseInt(when ?? '0', 16) || 0) * 1000) / USER_HZ);
    s.timerRetrans = parseInt(f[6], 16) || 0;
    s.uid = parseInt(f[7], 10) || 0;
    s.inode = parseInt(f[9], 10) || 0;
    s.protocol = kind === 'raw' ? s.localPort : kind === 'udp' ? IPPROTO_UDP : IPPROTO_TCP;
    n++;
    onSocket(s);
  }
  return n;
}

const UNIX_NETID: Record<number, Netid> = { 1: 'u_str', 2: 'u_dgr', 5: 'u_seq' };
/** /proc/net/unix St (SS_UNCONNECTED..SS_DISCONNECTING) to kernel state numbers, as ss maps them. */
const UNIX_STATE = [TCP_CLOSE, TCP_CLOSE, TCP_SYN_SENT, TCP_ESTABLISHED, TCP_CLOSING];

/** Parse /proc/net/unix. No peer inodes and no queues: /proc does not have them. */
export function parseProcUnix(text: string, states: number, onSocket: (s: Socket) => void): number {
  let n = 0;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    const flags = parseInt(f[3], 16);
    const type = parseInt(f[4], 16);
    const st = parseInt(f[5], 16);
    const state = flags & (1 << 16) ? TCP_LISTEN : UNIX_STATE[st] ?? TCP_CLOSE;
    if (!(states & (1 << state))) continue;
    // The path is everything after the inode column (it may contain spaces).
    const m = /^\s*\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\d+ ?(.*)$/.exec(line);
    const path = m && m[1] ? m[1] : '';
    const nameBytes = path ? Buffer.from(path.startsWith('@') ? '\0' + path.slice(1) : path, 'utf8') : Buffer.alloc(0);
    const s = new Socket('unix', UNIX_NETID[type] ?? 'u_str', AF_UNIX, state, nameBytes);
    s.source = 'procfs';
    s.sockType = type;
    s.inode = parseInt(f[6], 10) || 0;
    s.localPort = s.inode;
    if (nameBytes.length) { s.attrs.name = 0; s.attrs.nameLen = nameBytes.length; }
    n++;
    onSocket(s);
  }
  return n;
}

/** Parse /proc/net/packet: sk RefCnt Type Proto Iface R Rmem User Inode. */
export function parseProcPacket(text: string, states: number, onSocket: (s: Socket) => void): number {
  if (!(states & (1 << TCP_CLOSE))) return 0;
  let n = 0;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i].trim().split(/\s+/);
    if (f.length < 9) continue;
    const type = parseInt(f[2], 10);
    const s = new Socket('packet', type === 3 ? 'p_raw' : 'p_dgr', AF_PACKET, TCP_CLOSE, Buffer.alloc(0));
    s.source = 'procfs';
    s.sockType = type;
    s.protocol = parseInt(f[3], 16) || 0;
    s.ifindex = parseInt(f[4], 10) || 0;
    s.recvQ = parseInt(f[6], 10) || 0;
    s.uid = parseInt(f[7], 10) || 0;
    s.inode = parseInt(f[8], 10) || 0;
    n++;
    onSocket(s);
  }
  return n;
}

/** Parse /proc/net/netlink: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode. */
export function parseProcNetlink(text: string, states: number, onSocket: (s: Socket) => void): number {
  if (!(states & (1 << TCP_CLOSE))) return 0;
  let n = 0;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i].trim().split(/\s+/);
    if (f.length < 10) continue;
    const groups = Buffer.alloc(4);
    groups.writeUInt32LE(parseInt(f[3], 16) >>> 0, 0);
    const s = new Socket('netlink', 'nl', AF_NETLINK, TCP_CLOSE, groups);
    s.source = 'procfs';
    s.protocol = parseInt(f[1], 10) || 0;
    s.localPort = parseInt(f[2], 10) || 0;
    s.attrs.groups = 0;
    s.attrs.groupsLen = 4;
    s.recvQ = parseInt(f[4], 10) || 0;
    s.sendQ = parseInt(f[5], 10) || 0;
    s.inode = parseInt(f[9], 10) || 0;
    n++;
    onSocket(s);
  }
  return n;
}
