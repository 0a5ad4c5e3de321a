// `--pid PID[,PID…] [--children]`: the socket inodes a set of processes holds, read from those
// processes' descriptors only (not a walk of every process, which -p does). A pid that does not
// exist, or whose descriptors cannot be read, is an error that says why.
import { readdirSync, readlinkSync } from 'node:fs';
import { ProcessIdentities } from './process-identity';
import { socketInodeOf } from './process-map';
import { descendants, readParents } from './process-tree';

export class PidError extends Error {}

export interface PidSockets {
  /** The processes read: the asked-for pids and, with children, their descendants. */
  pids: number[];
  inodes: Set<number>;
}

export function socketsOfPids(asked: readonly number[], children: boolean, procRoot = '/proc'): PidSockets {
  const parents = readParents(procRoot);
  for (const pid of asked) if (!parents.has(pid)) throw new PidError(`--pid: no process with pid ${pid}`);
  const pids = children ? descendants(parents, asked) : [...asked];
  const inodes = new Set<number>();
  const identities = new ProcessIdentities({ procRoot });
  for (const pid of pids) {
    const dir = `${procRoot}/${pid}/fd`;
    let fds: string[];
    try {
      fds = readdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // exited meanwhile
      const id = identities.get(pid);
      const who = id ? ` (${id.label}, user ${id.user ?? id.uid})` : '';
      throw new PidError(`--pid: the sockets of pid ${pid}${who} are only visible with root (${code ?? 'not readable'})`);
    }
    for (const fd of fds) {
      let link: string;
      try { link = readlinkSync(`${dir}/${fd}`); } catch { continue; }
      const inode = socketInodeOf(link);
      if (inode) inodes.add(inode);
    }
  }
  return { pids, inodes };
}
