// The process map behind `-p`: one pass over /proc/*/fd, linear in the number of descriptors
// (ss -p walks its table per socket). Socket inodes are global, so one pass serves every namespace.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { ProcessRef } from '../protocol/socket-record';

export interface ProcessMap {
  /** Socket inode -> every process holding a descriptor on it, in /proc order (pid, then fd). */
  byInode: Map<number, ProcessRef[]>;
  /** Processes whose descriptors could not be read (not ours without root, or gone meanwhile). */
  unreadable: number;
  /** A ProcessMapJob's read: pid -> how many descriptors it listed (what LiveProcessMap.seed starts from). */
  listed?: Map<number, number>;
}

/** What readlink gives for a socket descriptor: `socket:[INODE]`. */
const SOCKET_PREFIX = 'socket:[';

/** The socket inode a descriptor's link names (`socket:[INODE]`), or 0 for anything else. */
export function socketInodeOf(link: string): number {
  if (!link.startsWith(SOCKET_PREFIX)) return 0;
  const inode = Number(link.slice(SOCKET_PREFIX.length, -1));
  return Number.isFinite(inode) ? inode : 0;
}

/** /proc order of a socket's holders: by pid, then by descriptor. */
export const byPidThenFd = (a: ProcessRef, b: ProcessRef): number => a.pid - b.pid || a.fd - b.fd;

/** A /proc entry that is a process (all digits). */
export function isPid(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function readComm(procRoot: string, pid: string): string {
  try {
    const text = readFileSync(`${procRoot}/${pid}/comm`, 'utf8');
    return text.endsWith('\n') ? text.slice(0, -1) : text;
  } catch {
    return '';
  }
}

function listPids(procRoot: string): string[] {
  try {
    return readdirSync(procRoot).filter(isPid);
  } catch {
    return [];
  }
}

/** Adds one process's socket descriptors to `byInode`; false when its fd directory is unreadable. */
function scanPid(procRoot: string, pid: string, byInode: Map<number, ProcessRef[]>, listed?: Map<number, number>): boolean {
  const fdDir = `${procRoot}/${pid}/fd`;
  let fds: string[];
  try {
    fds = readdirSync(fdDir);
  } catch (e) {
    // ENOENT: the process exited between readdir and now; that is not "invisible".
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
  let name: string | undefined;
  const pidNum = Number(pid);
  listed?.set(pidNum, fds.length);
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`${fdDir}/${fd}`);
    } catch {
      continue;
    }
    const inode = socketInodeOf(target);
    if (inode === 0) continue;
    if (name === undefined) name = readComm(procRoot, pid);
    const ref: ProcessRef = { pid: pidNum, name, fd: Number(fd) };
    const list = byInode.get(inode);
    if (list) list.push(ref);
    else byInode.set(inode, [ref]);
  }
  return true;
}

/** Reads every process's socket descriptors. Never throws for a process that vanishes or is not readable. */
export function readProcessMap(procRoot = '/proc'): ProcessMap {
  const byInode = new Map<number, ProcessRef[]>();
  let unreadable = 0;
  for (const pid of listPids(procRoot)) if (!scanPid(procRoot, pid, byInode)) unreadable++;
  return { byInode, unreadable };
}

// The same scan shared with a worker thread: both claim processes from one atomic counter, so the
// worker reads /proc while this thread dumps sockets, and this thread joins in when it needs the
// map. Self-contained source: the worker runs it with eval.
const WORKER_SOURCE = String.raw`
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { procRoot, pids, counter, flag, port } = workerData;
let result;
try {
  const inodes = [], pidOf = [], fds = [], nameIdx = [], names = [], listed = [];
  let unreadable = 0;
  for (let k; (k = Atomics.add(counter, 0, 1)) < pids.length;) {
    const pid = pids[k];
    const dir = procRoot + '/' + pid + '/fd';
    let entries;
    try { entries = fs.readdirSync(dir); } catch (e) { if (e.code !== 'ENOENT') unreadable++; continue; }
    listed.push(Number(pid), entries.length);
    let ni = -1;
    for (const fd of entries) {
      let t;
      try { t = fs.readlinkSync(dir + '/' + fd); } catch { continue; }
      if (!t.startsWith('socket:[')) continue;
      const inode = Number(t.slice(8, -1));
      if (!Number.isFinite(inode)) continue;
      if (ni < 0) {
        let name = '';
        try { name = fs.readFileSync(procRoot + '/' + pid + '/comm', 'utf8'); if (name.endsWith('\n')) name = name.slice(0, -1); } catch {}
        ni = names.length;
        names.push(name);
      }
      inodes.push(inode); pidOf.push(Number(pid)); fds.push(Number(fd)); nameIdx.push(ni);
    }
  }
  result = { inodes: Float64Array.from(inodes), pids: Int32Array.from(pidOf), fds: Int32Array.from(fds), nameIdx: Int32Array.from(nameIdx), names, unreadable, listed: Int32Array.from(listed) };
} catch (e) {
  result = { error: String(e && e.message || e) };
}
port.postMessage(result);
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
`;

interface WorkerResult {
  inodes: Float64Array; pids: Int32Array; fds: Int32Array; nameIdx: Int32Array; names: string[]; unreadable: number;
  /** pid, descriptors listed, pid, ... */
  listed: Int32Array;
  error?: string;
}

/** A process map being read by a worker thread (and this one, once it asks); join() returns it. */
export class ProcessMapJob {
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly counter = new Int32Array(new SharedArrayBuffer(4));
  private readonly pids: string[];
  private port: import('node:worker_threads').MessagePort | null = null;
  private worker: import('node:worker_threads').Worker | null = null;
  private result: ProcessMap | null = null;

  constructor(private readonly procRoot = '/proc') {
    this.pids = listPids(procRoot);
    try {
      const wt = require('node:worker_threads') as typeof import('node:worker_threads');
      const { port1, port2 } = new wt.MessageChannel();
      this.worker = new wt.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { procRoot, pids: this.pids, counter: this.counter, flag: this.flag, port: port2 },
        transferList: [port2],
      });
      this.worker.unref();
      this.port = port1;
    } catch {
      this.worker = null;
    }
  }

  /** Whether the worker has finished (join() then only merges its part). */
  get done(): boolean {
    return this.result !== null || this.worker === null || Atomics.load(this.flag, 0) !== 0;
  }

  /** The map: scans what the worker has not claimed yet, then merges the worker's part. */
  join(timeoutMs = 60_000): ProcessMap {
    if (this.result) return this.result;
    const byInode = new Map<number, ProcessRef[]>();
    const listed = new Map<number, number>();
    let unreadable = 0;
    for (let k; (k = Atomics.add(this.counter, 0, 1)) < this.pids.length;) {
      if (!scanPid(this.procRoot, this.pids[k], byInode, listed)) unreadable++;
    }
    if (this.worker && this.port) {
      const deadline = Date.now() + timeoutMs;
      while (Atomics.load(this.flag, 0) === 0) {
        const left = deadline - Date.now();
        if (left <= 0 || Atomics.wait(this.flag, 0, 0, left) === 'timed-out') break;
      }
      const wt = require('node:worker_threads') as typeof import('node:worker_threads');
      const msg = wt.receiveMessageOnPort(this.port)?.message as WorkerResult | undefined;
      void this.worker.terminate();
      this.port.close();
      this.worker = null;
      if (!msg || msg.error) {
        // The worker failed: its share is unknown, so read everything here.
        this.result = readProcessMap(this.procRoot);
        return this.result;
      }
      const merged = new Set<ProcessRef[]>();
      for (let i = 0; i < msg.inodes.length; i++) {
        const ref: ProcessRef = { pid: msg.pids[i], name: msg.names[msg.nameIdx[i]], fd: msg.fds[i] };
        const list = byInode.get(msg.inodes[i]);
        if (list) { list.push(ref); merged.add(list); } else byInode.set(msg.inodes[i], [ref]);
      }
      // Sockets held by processes from both halves: back to /proc order.
      for (const list of merged) list.sort(byPidThenFd);
      unreadable += msg.unreadable;
      for (let i = 0; i + 1 < msg.listed.length; i += 2) listed.set(msg.listed[i], msg.listed[i + 1]);
    }
    this.result = { byInode, unreadable, listed };
    return this.result;
  }
}
