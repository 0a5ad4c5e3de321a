// Socket destroy notifications, like `ss -E`: a sock_diag socket bound to the SKNLGRP_*_DESTROY
// multicast groups. The kernel multicasts one inet_diag_msg per closed tcp/udp socket. Reading is
// a short non-blocking poll on a timer so the caller's thread never blocks.

import { Transport, openDiagSocket } from './transport';
import { openInNetns } from './netns';
import { NetlinkError, ERRNO } from './errors';
import { parseSocketMessage } from './parse';
import {
  NLMSG_HDRLEN, NLMSG_ERROR, NLMSG_DONE, SOCK_DIAG_BY_FAMILY, nlmsgAlign,
  SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET_UDP_DESTROY, SKNLGRP_INET6_TCP_DESTROY, SKNLGRP_INET6_UDP_DESTROY, IPPROTO_UDP,
} from './constants';
import * as fs from 'node:fs';
import type { Socket } from './diag-socket';
import type { SubscribeOptions, DestroyGroup } from './types';

const GROUP_BITS: Record<DestroyGroup, number> = {
  tcp4: 1 << (SKNLGRP_INET_TCP_DESTROY - 1), udp4: 1 << (SKNLGRP_INET_UDP_DESTROY - 1),
  tcp6: 1 << (SKNLGRP_INET6_TCP_DESTROY - 1), udp6: 1 << (SKNLGRP_INET6_UDP_DESTROY - 1),
};

/** Poll interval of the subscription, in milliseconds. */
export const DESTROY_POLL_MS = 50;

/**
 * Subscribe to destroyed-socket events. onSocket receives each destroyed socket (its state is the
 * last one, e.g. CLOSE). Throws NetlinkError if the groups cannot be joined (EPERM without
 * CAP_NET_ADMIN in older kernels; ENOENT without the diag module).
 */
export function subscribeDestroyEvents(opts: SubscribeOptions, onSocket: (s: Socket) => void): { close(): void } {
  const groups = (opts.groups && opts.groups.length ? opts.groups : (Object.keys(GROUP_BITS) as DestroyGroup[]))
    .reduce((m, g) => m | GROUP_BITS[g], 0);
  let fd: number;
  if (opts.netnsPath) {
    const r = openInNetns(opts.netnsPath);
    for (const p of r.procFds) if (p >= 0) fs.closeSync(p);
    if (r.diagFd < 0) throw new NetlinkError('syscall', 'cannot open a NETLINK_SOCK_DIAG socket', -r.diagFd);
    fd = r.diagFd;
    bindGroups(fd, groups);
  } else {
    fd = openDiagSocket(groups);
  }
  const t = new Transport(fd, opts.timeoutMs ?? 1000);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    t.close();
  };
  const tick = (): void => {
    try {
      for (let i = 0; i < 1000 && !stopped; i++) {
        const d = t.recv(true);
        if (!d) return;
        deliver(d, onSocket);
      }
    } catch (e) {
      // ENOBUFS: the kernel dropped events because we fell behind; keep listening.
      if (e instanceof NetlinkError && e.errno === ERRNO.ENOMEM) return;
      if (e instanceof NetlinkError && e.errno === ERRNO.ENOBUFS) return;
      stop();
      opts.onError?.(e instanceof Error ? e : new Error(String(e)));
    }
  };
  const timer = setInterval(tick, DESTROY_POLL_MS);
  return { close: stop };
}

function bindGroups(fd: number, groups: number): void {
  // The socket was created in the namespace by the worker; binding needs no namespace change.
  const { libc } = require('./libc') as typeof import('./libc');
  const c = libc();
  const sa = Buffer.alloc(12);
  sa.writeUInt16LE(16, 0);
  sa.writeUInt32LE(groups >>> 0, 8);
  if (c.bind(fd, sa, 12) < 0) {
    const e = c.errno();
    c.close(fd);
    throw new NetlinkError('syscall', 'cannot join the sock_diag destroy groups', e);
  }
}

/** Parse one multicast datagram (no sequence numbers: these are unsolicited). */
export function deliver(buf: Buffer, onSocket: (s: Socket) => void): void {
  let off = 0;
  while (off + NLMSG_HDRLEN <= buf.length) {
    const mlen = buf.readUInt32LE(off);
    const type = buf.readUInt16LE(off + 4);
    if (mlen < NLMSG_HDRLEN || mlen > buf.length - off) {
      throw new NetlinkError('malformed', `malformed netlink reply: nlmsg_len ${mlen} in a destroy event`);
    }
    if (type === SOCK_DIAG_BY_FAMILY && mlen >= NLMSG_HDRLEN + 72) {
      // The protocol is not in inet_diag_msg; the groups tell tcp from udp. The kernel sends
      // INET_DIAG_PROTOCOL for these events; read it when present.
      const s = parseSocketMessage(buf, off + NLMSG_HDRLEN, off + mlen, 'tcp');
      if (s) {
        const proto = findProtocolAttr(buf, off + NLMSG_HDRLEN + 72, off + mlen);
        if (proto === IPPROTO_UDP) { s.kind = 'udp'; s.netid = 'udp'; s.protocol = IPPROTO_UDP; }
        onSocket(s);
      }
    } else if (type === NLMSG_ERROR || type === NLMSG_DONE) {
      // not expected on a multicast socket; ignore
    }
    off += nlmsgAlign(mlen);
  }
}

function findProtocolAttr(buf: Buffer, off: number, end: number): number {
  while (off + 4 <= end) {
    const len = buf.readUInt16LE(off);
    const type = buf.readUInt16LE(off + 2) & 0x3fff;
    if (len < 4 || off + len > end) return 0;
    if (type === 10 /* INET_DIAG_PROTOCOL */ && len >= 5) return buf[off + 4];
    off += nlmsgAlign(len);
  }
  return 0;
}
