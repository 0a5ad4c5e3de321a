// A NETLINK_SOCK_DIAG socket: open, send a request, receive datagrams. Every receive is guarded by
// SO_RCVTIMEO, EINTR is retried, MSG_TRUNC exposes datagrams larger than the buffer.

import { libc } from './libc';
import { NetlinkError, ERRNO } from './errors';
import {
  NETLINK_SOCK_DIAG, SOCK_RAW, SOCK_CLOEXEC, SOL_SOCKET, SO_RCVTIMEO, SO_RCVBUF, MSG_TRUNC, MSG_DONTWAIT,
} from './constants';
import { AF_NETLINK } from './diag-socket';

/** Largest datagram the kernel sends on a dump (netlink caps skbs at 32 KiB). */
export const RECV_SIZE = 32768;

/** Create a sock_diag netlink socket in the caller's network namespace; returns the fd. */
export function openDiagSocket(groups = 0): number {
  const c = libc();
  const fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) throw new NetlinkError('syscall', 'cannot open a NETLINK_SOCK_DIAG socket', c.errno());
  if (groups) {
    const sa = Buffer.alloc(12);
    sa.writeUInt16LE(AF_NETLINK, 0);
    sa.writeUInt32LE(groups >>> 0, 8);
    if (c.bind(fd, sa, 12) < 0) {
      const e = c.errno();
      c.close(fd);
      throw new NetlinkError('syscall', 'cannot join the sock_diag destroy groups', e);
    }
  }
  return fd;
}

export class Transport {
  readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(RECV_SIZE);
  private seqNo = Math.floor(Date.now() / 1000) >>> 0;
  private closed = false;
  /** A request was abandoned midway: drain leftovers before the next one. */
  dirty = false;

  constructor(fd: number, timeoutMs: number) {
    this.fd = fd;
    const c = libc();
    const tv = Buffer.alloc(16);
    tv.writeBigInt64LE(BigInt(Math.floor(timeoutMs / 1000)), 0);
    tv.writeBigInt64LE(BigInt((timeoutMs % 1000) * 1000), 8);
    if (c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16) < 0) {
      const e = c.errno();
      c.close(fd);
      this.closed = true;
      throw new NetlinkError('syscall', 'cannot set the netlink receive timeout', e);
    }
    const rb = Buffer.alloc(4);
    rb.writeInt32LE(1 << 20, 0);
    c.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, rb, 4); // best effort: fewer ENOBUFS on big dumps
  }

  nextSeq(): number {
    this.seqNo = (this.seqNo + 1) >>> 0;
    return this.seqNo;
  }

  send(req: Buffer): void {
    if (this.closed) throw new NetlinkError('syscall', 'netlink socket is closed', ERRNO.EBADF);
    if (this.dirty) this.drain();
    const c = libc();
    const sa = Buffer.alloc(12);
    sa.writeUInt16LE(AF_NETLINK, 0);
    for (;;) {
      const n = c.sendto(this.fd, req, req.length, 0, sa, 12);
      if (n >= 0) return;
      const e = c.errno();
      if (e === ERRNO.EINTR) continue;
      throw new NetlinkError('syscall', 'cannot send the sock_diag request', e);
    }
  }

  /**
   * Receive one datagram; returns a fresh Buffer holding exactly its bytes (sockets parsed from it
   * keep referencing it). With `nonBlocking`, returns null when nothing is queued.
   */
  recv(nonBlocking = false): Buffer | null {
    const n = this.recvShared(nonBlocking);
    if (n < 0) return null;
    const out = Buffer.allocUnsafe(n);
    this.buf.copy(out, 0, 0, n);
    return out;
  }

  /** The receive buffer recvShared() fills (overwritten by the next receive). */
  get shared(): Buffer {
    return this.buf;
  }

  /**
   * Receive one datagram into the shared buffer, without a copy; returns its length, or -1 with
   * `nonBlocking` when nothing is queued.
   */
  recvShared(nonBlocking = false): number {
    if (this.closed) throw new NetlinkError('syscall', 'netlink socket is closed', ERRNO.EBADF);
    const c = libc();
    for (;;) {
      const n = c.recv(this.fd, this.buf, RECV_SIZE, MSG_TRUNC | (nonBlocking ? MSG_DONTWAIT : 0));
      if (n >= 0) {
        if (n > RECV_SIZE) {
          this.dirty = true;
          throw new NetlinkError('malformed', `netlink datagram of ${n} bytes truncated to ${RECV_SIZE}`);
        }
        return n;
      }
      const e = c.errno();
      if (e === ERRNO.EINTR) continue;
      if (e === ERRNO.EAGAIN) {
        if (nonBlocking) return -1;
        this.dirty = true;
        throw new NetlinkError('timeout', 'no reply from the kernel within the receive timeout', ERRNO.ETIMEDOUT);
      }
      this.dirty = true;
      throw new NetlinkError('syscall', 'cannot receive from the netlink socket', e);
    }
  }

  /** Throw away anything still queued from an abandoned request. */
  drain(): void {
    this.dirty = false;
    for (let i = 0; i < 100000; i++) {
      try {
        if (this.recvShared(true) < 0) return;
      } catch (_e) {
        return;
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    libc().close(this.fd);
  }
}
