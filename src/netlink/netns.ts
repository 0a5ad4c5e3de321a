// Opening sockets and /proc/net and /proc/sys/net files inside another network namespace without the main thread
// ever changing namespace: a short-lived worker thread calls setns(2) on itself, creates the
// sock_diag socket (and opens its own /proc/thread-self/net files and the namespace's
// ip_local_port_range sysctl), hands the fd numbers back
// through shared memory (fds are process-wide and keep their namespace), and exits.

import { readSync } from 'node:fs';
import { koffiPath } from './libc';
import { NetlinkError, ERRNO } from './errors';
import { PROC_NET_FILES } from './procfs-files';

export interface NetnsFds {
  /** The sock_diag socket, or -errno if socket(2) failed inside the namespace. */
  diagFd: number;
  /** One fd per PROC_NET_FILES entry, -1 where it could not be opened. */
  procFds: number[];
  /** The namespace's PORT_RANGE_SYSCTL, -1 if it could not be opened. */
  portRangeFd: number;
  /** The namespace's NETSTAT_FILE (the kernel's TcpExt counters), -1 if it could not be opened. */
  netstatFd: number;
}

/** A thread's own /proc/net: inside a namespace the worker entered, that namespace's. */
export const THREAD_NET_DIR = '/proc/thread-self/net';

/** The kernel's extended counters (TcpExt: ListenOverflows, ListenDrops ...) of a namespace. */
export const NETSTAT_FILE = 'netstat';

/** net.ipv4.ip_local_port_range; /proc/sys/net is the namespace of the thread that opens it. */
export const PORT_RANGE_SYSCTL = '/proc/sys/net/ipv4/ip_local_port_range';

/** The two ports of PORT_RANGE_SYSCTL's text ("32768\t60999\n"), or undefined for anything else. */
export function parsePortRange(text: string): [number, number] | undefined {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const WORKER_CODE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const res = new Int32Array(workerData.shared);
let nsfd = -1;
try {
  try { nsfd = fs.openSync(workerData.path, 'r'); }
  catch (e) { res[1] = 1; res[2] = Math.abs(e.errno || 2); throw e; }
  const koffi = require(workerData.koffi);
  let lib;
  try { lib = koffi.load('libc.so.6'); } catch (_e) { lib = koffi.load(null); }
  const setns = lib.func('int setns(int, int)');
  const socket = lib.func('int socket(int, int, int)');
  // libc open, not fs.openSync: Node closes a worker's fs fds when the worker exits.
  const open = lib.func('int open(const char *, int)');
  if (setns(nsfd, 0x40000000) < 0) { res[1] = 2; res[2] = koffi.errno(); }
  else {
    if (workerData.diag) { const fd = socket(16, 3 | 0o2000000, 4); res[3] = fd < 0 ? -koffi.errno() : fd; }
    workerData.files.forEach((path, i) => {
      res[4 + i] = open(path, 0o2000000);
    });
  }
} catch (e) {
  if (!res[1]) { res[1] = 3; res[2] = Math.abs((e && e.errno) || 0); }
} finally {
  if (nsfd >= 0) try { fs.closeSync(nsfd); } catch (_e) { /* ignore */ }
  Atomics.store(res, 0, 1);
  Atomics.notify(res, 0);
}
`;

/**
 * Runs the worker: enters the namespace at `netnsPath`, opens `files` there (and the sock_diag socket
 * when `diag`), and returns the shared result: [done, stage, errno, diag fd, file fds...].
 */
function inNetns(netnsPath: string, files: readonly string[], diag: boolean, timeoutMs: number): Int32Array {
  const shared = new SharedArrayBuffer(4 * (4 + files.length));
  const res = new Int32Array(shared);
  res.fill(-1, 3);
  // Loaded here, not at startup: only -N/netnsPath needs a worker thread.
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const worker = new Worker(WORKER_CODE, { eval: true, workerData: { shared, path: netnsPath, koffi: koffiPath(), files, diag } });
  worker.unref();
  worker.on('error', () => { /* reported through shared memory */ });
  const waited = Atomics.wait(res, 0, 0, timeoutMs);
  if (waited === 'timed-out') {
    void worker.terminate();
    throw new NetlinkError('timeout', `entering network namespace ${netnsPath} timed out`, ERRNO.ETIMEDOUT);
  }
  const stage = res[1];
  const errno = res[2];
  if (stage === 1) throw new NetlinkError('syscall', `cannot open network namespace ${netnsPath}`, errno);
  if (stage === 2) throw new NetlinkError('syscall', `cannot enter network namespace ${netnsPath}`, errno);
  if (stage === 3) throw new NetlinkError('syscall', `failed inside network namespace ${netnsPath}`, errno);
  return res;
}

/** Open the sock_diag socket and /proc/net files inside the namespace at `netnsPath` (synchronous). */
export function openInNetns(netnsPath: string, timeoutMs = 10000): NetnsFds {
  const files = [...PROC_NET_FILES.map((f) => `${THREAD_NET_DIR}/${f.name}`), PORT_RANGE_SYSCTL, `${THREAD_NET_DIR}/${NETSTAT_FILE}`];
  const res = inNetns(netnsPath, files, true, timeoutMs);
  return { diagFd: res[3], procFds: Array.from(res.subarray(4, 4 + PROC_NET_FILES.length)), portRangeFd: res[4 + PROC_NET_FILES.length], netstatFd: res[5 + PROC_NET_FILES.length] };
}

/**
 * Opens files inside the namespace at `netnsPath` (synchronous): /proc/thread-self/net/* and
 * /proc/sys/net/* then show that namespace, and keep showing it when read again later. An fd per
 * path, -1 where it could not be opened.
 */
export function openFilesInNetns(netnsPath: string, paths: readonly string[], timeoutMs = 10000): number[] {
  return Array.from(inNetns(netnsPath, paths, false, timeoutMs).subarray(4, 4 + paths.length));
}

/** A /proc file opened in another namespace, read whole from its start (each read regenerates it). */
export function readWholeFd(fd: number, encoding: 'latin1' | 'utf8' = 'latin1'): string {
  const chunks: Buffer[] = [];
  const chunk = Buffer.allocUnsafe(65536);
  let pos = 0;
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, pos);
    if (n <= 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
    pos += n;
  }
  return Buffer.concat(chunks).toString(encoding);
}
