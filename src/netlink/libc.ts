// The few libc calls the engine needs, through koffi. Loaded on first use.
//
// Buffers passed as `void *` are handed to C in place (no copy), so one receive buffer is reused.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
  /** fcntl(2) with a `struct flock` (the byte-range lock commands). */
  fcntlLock(fd: number, cmd: number, flock: Buffer): number;
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

/** The glibc prebuilt binaries koffi ships, by Node architecture (koffi's own names for them). */
const GLIBC_TRIPLETS: Record<string, string> = { x64: 'linux_x64', arm64: 'linux_arm64' };
/** musl's dynamic loader, by Node architecture: where it exists, koffi's loader picks the binary. */
const MUSL_LOADERS: Record<string, string> = { x64: '/lib/ld-musl-x86_64.so.1', arm64: '/lib/ld-musl-aarch64.so.1' };

/**
 * The prebuilt koffi binary for this glibc Linux, where koffi's loader would find it, and the koffi
 * version it must report; null when koffi's loader has to choose (another system, musl present, a
 * binary built from source, an unexpected layout).
 */
export function prebuiltKoffi(): { path: string; version: string } | null {
  const triplet = GLIBC_TRIPLETS[process.arch];
  if (process.platform !== 'linux' || !triplet || existsSync(MUSL_LOADERS[process.arch])) return null;
  try {
    const dir = dirname(require.resolve('koffi'));
    const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    const path = join(dir, '..', '@koromix', `koffi-linux-${process.arch}`, triplet, 'koffi.node');
    return typeof version === 'string' && existsSync(path) ? { path, version } : null;
  } catch {
    return null;
  }
}

let koffiModule: typeof KoffiNs | null = null;
let koffiFile = '';

/**
 * koffi. Its loader reads its package.json and node's ELF header and compiles two modules to find
 * its binary, about 5 ms of a short command's start: the binary it would pick is loaded directly
 * when prebuiltKoffi() knows it and its version is koffi's, else koffi is loaded as usual.
 */
function loadKoffi(): typeof KoffiNs {
  if (koffiModule) return koffiModule;
  const prebuilt = prebuiltKoffi();
  if (prebuilt) {
    try {
      const native = require(prebuilt.path) as typeof KoffiNs & { version?: unknown };
      if (native.version === prebuilt.version) {
        koffiFile = prebuilt.path;
        return (koffiModule = native);
      }
    } catch {
      // koffi's loader reports what is wrong, if anything
    }
  }
  koffiModule = require('koffi') as typeof KoffiNs;
  koffiFile = require.resolve('koffi');
  return koffiModule;
}

/** What this thread loaded koffi from (loading it if needed), for workers that load it themselves. */
export function koffiPath(): string {
  loadKoffi();
  return koffiFile;
}

export function libc(): Libc {
  if (cached) return cached;
  let koffi: typeof KoffiNs;
  let lib: KoffiNs.LibraryHandle;
  try {
    koffi = loadKoffi();
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
  const fcntl = lib.func('int fcntl(int, int, ...)');
  const recvmmsg = lib.func('int recvmmsg(int, void *, unsigned int, int, void *)');
  cached = {
    socket: (d, t, p) => socket(d, t, p) as number,
    bind: (fd, a, l) => bind(fd, a, l) as number,
    sendto: (fd, b, l, f, a, al) => sendto(fd, b, l, f, a, al) as number,
    recv: (fd, b, l, f) => recv(fd, b, l, f) as number,
    setsockopt: (fd, lv, n, v, l) => setsockopt(fd, lv, n, v, l) as number,
    close: (fd) => close(fd) as number,
    setns: (fd, t) => setns(fd, t) as number,
    fcntlLock: (fd, cmd, flock) => fcntl(fd, cmd, 'void *', flock) as number,
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
