// The process map behind `-p`: one pass over /proc/*/fd, linear in the number of descriptors
// (ss -p walks its table per socket). Socket inodes are global, so one pass serves every namespace.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { ProcessRef } from '../protocol/socket';

export interface ProcessMap {
  /** Socket inode -> every process holding a descriptor on it, in /proc order. */
  byInode: Map<number, ProcessRef[]>;
  /** Processes whose descriptors could not be read (not ours without root, or gone meanwhile). */
  unreadable: number;
}

const SOCKET_PREFIX = 'socket:[';

function isPid(name: string): boolean {
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

/** Reads every process's socket descriptors. Never throws for a process that vanishes or is not readable. */
export function readProcessMap(procRoot = '/proc'): ProcessMap {
  const byInode = new Map<number, ProcessRef[]>();
  let unreadable = 0;
  let pids: string[];
  try {
    pids = readdirSync(procRoot);
  } catch {
    return { byInode, unreadable };
  }
  for (const pid of pids) {
    if (!isPid(pid)) continue;
    const fdDir = `${procRoot}/${pid}/fd`;
    let fds: string[];
    try {
      fds = readdirSync(fdDir);
    } catch (e) {
      // ENOENT: the process exited between readdir and now; that is not "invisible".
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') unreadable++;
      continue;
    }
    let name: string | undefined;
    const pidNum = Number(pid);
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`${fdDir}/${fd}`);
      } catch {
        continue;
      }
      if (!target.startsWith(SOCKET_PREFIX)) continue;
      const inode = Number(target.slice(SOCKET_PREFIX.length, -1));
      if (!Number.isFinite(inode)) continue;
      if (name === undefined) name = readComm(procRoot, pid);
      const ref: ProcessRef = { pid: pidNum, name, fd: Number(fd) };
      const list = byInode.get(inode);
      if (list) list.push(ref);
      else byInode.set(inode, [ref]);
    }
  }
  return { byInode, unreadable };
}

// The same scan in a worker thread, so that reading /proc (one readlink per descriptor, the cost
// of -p) overlaps the socket dump on another core. Self-contained source: it runs with eval.
const WORKER_SOURCE = String.raw`
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { procRoot, flag, port } = workerData;
let result;
try {
  const inodes = [], pids = [], fds = [], nameIdx = [], names = [];
  let unreadable = 0;
  let list = [];
  try { list = fs.readdirSync(procRoot); } catch {}
  for (const pid of list) {
    if (!/^[0-9]+$/.test(pid)) continue;
    const dir = procRoot + '/' + pid + '/fd';
    let entries;
    try { entries = fs.readdirSync(dir); } catch (e) { if (e.code !== 'ENOENT') unreadable++; continue; }
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
      inodes.push(inode); pids.push(Number(pid)); fds.push(Number(fd)); nameIdx.push(ni);
    }
  }
  result = { inodes: Float64Array.from(inodes), pids: Int32Array.from(pids), fds: Int32Array.from(fds), nameIdx: Int32Array.from(nameIdx), names, unreadable };
} catch (e) {
  result = { error: String(e && e.message || e) };
}
port.postMessage(result);
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
`;

interface WorkerResult {
  inodes: Float64Array; pids: Int32Array; fds: Int32Array; nameIdx: Int32Array; names: string[]; unreadable: number;
  error?: string;
}

/** A process map being read by a worker thread; join() blocks until it is ready. */
export class ProcessMapJob {
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: import('node:worker_threads').MessagePort | null = null;
  private worker: import('node:worker_threads').Worker | null = null;
  private result: ProcessMap | null = null;

  constructor(private readonly procRoot = '/proc') {
    try {
      const wt = require('node:worker_threads') as typeof import('node:worker_threads');
      const { port1, port2 } = new wt.MessageChannel();
      this.worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { procRoot, flag: this.flag, port: port2 }, transferList: [port2] });
      this.worker.unref();
      this.port = port1;
    } catch {
      this.worker = null;
    }
  }

  /** The map; waits for the worker (or reads /proc here if the worker could not run). */
  join(timeoutMs = 60_000): ProcessMap {
    if (this.result) return this.result;
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
      if (msg && !msg.error) {
        const byInode = new Map<number, ProcessRef[]>();
        for (let i = 0; i < msg.inodes.length; i++) {
          const ref: ProcessRef = { pid: msg.pids[i], name: msg.names[msg.nameIdx[i]], fd: msg.fds[i] };
          const list = byInode.get(msg.inodes[i]);
          if (list) list.push(ref);
          else byInode.set(msg.inodes[i], [ref]);
        }
        this.result = { byInode, unreadable: msg.unreadable };
        return this.result;
      }
    }
    this.result = readProcessMap(this.procRoot);
    return this.result;
  }
}
