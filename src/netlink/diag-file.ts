// Raw sock_diag captures as `ss -D FILE` writes them and `TCPDIAG_FILE=FILE ss` reads them
// (iproute2 misc/ss.c dump_fp / tcp_show_netlink_file): the reply datagrams of the TCP dump written
// as received, for IPv4 then IPv6, each dump ending in its NLMSG_DONE. A reader takes messages up to
// the first NLMSG_DONE (so, as in ss, a capture of both families replays its IPv4 part), applies no
// state or family filter of its own (the kernel applied them when it was captured), and stops at an
// NLMSG_ERROR.
import { NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, nlmsgAlign } from './constants';
import { parseSocketMessage } from './parse';
import type { Socket } from './diag-socket';

export interface DiagFileResult {
  /** Sockets delivered. */
  count: number;
  /** How the read ended: at NLMSG_DONE, at an NLMSG_ERROR (errno), or short of a whole message. */
  end: 'done' | 'error' | 'truncated';
  errno?: number;
}

/** Reads the TCP sockets of a capture; onSocket gets each (a new Socket each time). */
export function readDiagFile(buf: Buffer, onSocket: (s: Socket) => void): DiagFileResult {
  let off = 0;
  let count = 0;
  while (true) {
    if (buf.length - off < NLMSG_HDRLEN) return { count, end: 'truncated' };
    const len = buf.readUInt32LE(off);
    const type = buf.readUInt16LE(off + 4);
    const next = off + NLMSG_HDRLEN + nlmsgAlign(Math.max(0, len - NLMSG_HDRLEN));
    if (len < NLMSG_HDRLEN || next > buf.length) return { count, end: 'truncated' };
    if (type === NLMSG_DONE) return { count, end: 'done' };
    if (type === NLMSG_ERROR) {
      const errno = len >= NLMSG_HDRLEN + 4 ? -buf.readInt32LE(off + NLMSG_HDRLEN) : undefined;
      return { count, end: 'error', ...(errno !== undefined ? { errno } : {}) };
    }
    const s = parseSocketMessage(buf, off + NLMSG_HDRLEN, off + len, 'tcp');
    if (s) { count++; onSocket(s); }
    off = next;
  }
}
