// The few libc calls the engine needs, through koffi. Loaded on first use.
//
// Buffers passed as `void *` are handed to C in place (no copy), so one receive buffer is reused.

import type * as KoffiNs from 'koffi';
import { NetlinkError, ERRNO } from './errors';

export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, addr: Buffer, len: number): number;
  sendto(fd: number, buf: Buffer, len: number, flags: number, addr: Buffer | null, addrLen: number): number;
  recv(fd: number, buf: Buffer, len: number, flags: number): number;
  setsockopt(fd: number, level: number, name: number, val: Buffer, len: number): number;
  close(fd: number): number;
  setns(fd: number, nstype: number): number;
  /** errno of the last call on this thread. */
  errno(): number;
  /**
   * recvmmsg(2) on a libuv pool thread: resolves to its result (-1 on failure; errno is the pool
   * thread's, so callers redo a failed receive synchronously to learn why). `msgvec` must be
   * native memory (see allocNative) that stays untouched until the promise settles.
   */
  recvmmsgAsync(fd: number, msgvec: NativeBlock, vlen: number, flags: number): Promise<number>;
  /** Native memory for the life of the process, seen from JS as a Buffer without a copy. */
  allocNative(size: number): NativeBlock;
}

/** Native memory: its address (for pointers stored inside it) and a Buffer over its bytes. */
export interface NativeBlock {
  readonly address: bigint;
  readonly bytes: Buffer;
  /** koffi's pointer object, passed as a `void *` argument. */
  readonly pointer: unknown;
}

let cached: Libc | null = null;

/** Path koffi resolves from, for workers that load it themselves. */
export function koffiPath(): string {
  return require.resolve('koffi');
}

export function libc(): Libc {
  if (cached) return cached;
  let koffi: typeof KoffiNs;
  let lib: KoffiNs.LibraryHandle;
  try {
    koffi = require('koffi') as typeof KoffiNs;
    try {
      lib = koffi.load('libc.so.6');
    } catch {
      lib = koffi.load(null as unknown as string);
    }
  } catch (e) {
    throw new NetlinkError('unsupported', `cannot load libc through koffi (${e instanceof Error ? e.message : String(e)})`, ERRNO.ENOSYS);
  }
  const socket = lib.func('int socket(int, int, int)');
  const bind = lib.func('int bind(int, const void *, uint32_t)');
  const sendto = lib.func('intptr_t sendto(int, const void *, size_t, int, const void *, uint32_t)');
  const recv = lib.func('intptr_t recv(int, void *, size_t, int)');
  const setsockopt = lib.func('int setsockopt(int, int, int, const void *, uint32_t)');
  const close = lib.func('int close(int)');
  const setns = lib.func('int setns(int, int)');
  const recvmmsg = lib.func('int recvmmsg(int, void *, unsigned int, int, void *)');
  cached = {
    socket: (d, t, p) => socket(d, t, p) as number,
    bind: (fd, a, l) => bind(fd, a, l) as number,
    sendto: (fd, b, l, f, a, al) => sendto(fd, b, l, f, a, al) as number,
    recv: (fd, b, l, f) => recv(fd, b, l, f) as number,
    setsockopt: (fd, lv, n, v, l) => setsockopt(fd, lv, n, v, l) as number,
    close: (fd) => close(fd) as number,
    setns: (fd, t) => setns(fd, t) as number,
    errno: () => koffi.errno(),
    recvmmsgAsync: (fd, msgvec, vlen, flags) => new Promise<number>((resolve) => {
      recvmmsg.async(fd, msgvec.pointer, vlen, flags, null, (err: unknown, n: number) => resolve(err ? -1 : n));
    }),
    allocNative: (size) => {
      const pointer = koffi.alloc('uint8_t', size);
      return { pointer, address: koffi.address(pointer), bytes: Buffer.from(koffi.view(pointer, size)) };
    },
  };
  return cached;
}
