// Receives a dump's datagrams in batches with recvmmsg(2) on a libuv pool thread, so the kernel
// builds the next datagrams (it fills one per receive call) while this thread parses the last ones.
// Two batches alternate: the pool thread fills one while the caller reads the other.

import { libc, type NativeBlock } from './libc';
import { NLMSG_HDRLEN, NLMSG_DONE, NLMSG_ERROR, MSG_TRUNC, MSG_WAITFORONE, nlmsgAlign } from './constants';
import { RECV_SIZE } from './transport';

/** Datagrams per recvmmsg call: enough to amortise a thread hand-off, few enough to start early. */
export const BATCH_DATAGRAMS = 8;
/** struct mmsghdr on 64-bit Linux: a 56-byte msghdr, the received length, padding. */
const MMSGHDR_SIZE = 64;
const IOVEC_SIZE = 16;

interface Batch {
  /** mmsghdr[BATCH_DATAGRAMS] followed by their iovecs. */
  headers: NativeBlock;
  /** One RECV_SIZE slot per datagram, each also as its own Buffer. */
  slots: Buffer[];
}

export class BatchReceiver {
  private readonly batches: [Batch, Batch];
  private owned = false;

  constructor() {
    this.batches = [makeBatch(), makeBatch()];
  }

  /** Takes the receiver for one dump; a second dump while one is running is a programming error. */
  acquire(): void {
    if (this.owned) throw new Error('BatchReceiver: one batched dump at a time');
    this.owned = true;
  }

  release(): void {
    this.owned = false;
  }

  /**
   * Receives up to BATCH_DATAGRAMS datagrams into batch `which` (0 or 1), waiting for the first;
   * resolves to how many arrived, or -1 when the call failed (timeout, EINTR or any error: redo it
   * synchronously to learn which).
   */
  receive(fd: number, which: 0 | 1): Promise<number> {
    return libc().recvmmsgAsync(fd, this.batches[which].headers, BATCH_DATAGRAMS, MSG_TRUNC | MSG_WAITFORONE);
  }

  /** Datagram j of batch `which` (a RECV_SIZE view; its length is length(which, j)). */
  slot(which: 0 | 1, j: number): Buffer {
    return this.batches[which].slots[j];
  }

  /** The received length of datagram j (more than RECV_SIZE when it was truncated). */
  length(which: 0 | 1, j: number): number {
    return this.batches[which].headers.bytes.readUInt32LE(j * MMSGHDR_SIZE + 56);
  }

  /**
   * Whether the first `count` datagrams of batch `which` end the dump (hold NLMSG_DONE or
   * NLMSG_ERROR), judged from message headers alone so the next receive can start before parsing.
   * Malformed headers count as an end: the parser then reports them, with nothing left in flight.
   */
  endsDump(which: 0 | 1, count: number): boolean {
    for (let j = 0; j < count; j++) {
      const buf = this.batches[which].slots[j];
      const len = Math.min(this.length(which, j), buf.length);
      let off = 0;
      while (off + NLMSG_HDRLEN <= len) {
        const mlen = buf.readUInt32LE(off);
        const type = buf.readUInt16LE(off + 4);
        if (type === NLMSG_DONE || type === NLMSG_ERROR || mlen < NLMSG_HDRLEN) return true;
        off += nlmsgAlign(mlen);
      }
      if (off !== len) return true;
    }
    return false;
  }
}

function makeBatch(): Batch {
  const c = libc();
  const data = c.allocNative(BATCH_DATAGRAMS * RECV_SIZE);
  const headers = c.allocNative(BATCH_DATAGRAMS * (MMSGHDR_SIZE + IOVEC_SIZE));
  const h = headers.bytes;
  h.fill(0);
  const slots: Buffer[] = [];
  for (let j = 0; j < BATCH_DATAGRAMS; j++) {
    const iov = BATCH_DATAGRAMS * MMSGHDR_SIZE + j * IOVEC_SIZE;
    h.writeBigUInt64LE(data.address + BigInt(j * RECV_SIZE), iov); // iov_base
    h.writeBigUInt64LE(BigInt(RECV_SIZE), iov + 8); // iov_len
    h.writeBigUInt64LE(headers.address + BigInt(iov), j * MMSGHDR_SIZE + 16); // msg_iov
    h.writeBigUInt64LE(1n, j * MMSGHDR_SIZE + 24); // msg_iovlen
    slots.push(data.bytes.subarray(j * RECV_SIZE, (j + 1) * RECV_SIZE));
  }
  return { headers, slots };
}

let shared: BatchReceiver | null = null;

/** The process's one receiver (its 512 KiB of native memory is allocated once and kept). */
export function batchReceiver(): BatchReceiver {
  shared ??= new BatchReceiver();
  return shared;
}
