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
