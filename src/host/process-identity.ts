// A process's identity from /proc: what it is (cmdline, exe), who runs it (uid -> user), where
// (cwd, container or systemd unit) and since when (stat's start time). Shared by the helper's
// `processes` request and the CLI's --pid. Identities are cached by pid, start time, comm and
// cmdline (an exec keeps the pid and start time; a fork not yet exec'd has its parent's cmdline).
import { opendirSync, readFileSync, readlinkSync } from 'node:fs';
import type { ProcessIdentity } from '../protocol/process-identity';
import { processLabel } from './process-label';
import { readPlace, type RuntimeRoots } from './process-place';
import { statFields } from './process-tree';

/** USER_HZ: the unit of stat's times; 100 on every Linux architecture. */
const CLOCK_TICKS = 100;

function readText(path: string): string | undefined {
  try { return readFileSync(path, 'utf8'); } catch { return undefined; }
}

function readLink(path: string): string | undefined {
  try { return readlinkSync(path); } catch { return undefined; }
}

export interface User {
  name: string;
  home: string;
}

/** uid -> user name and home from /etc/passwd (the first entry of a uid wins, as getpwuid). */
export function readUsers(passwd = '/etc/passwd'): Map<number, User> {
  const users = new Map<number, User>();
  for (const line of (readText(passwd) ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length >= 6 && /^\d+$/.test(f[2]) && !users.has(Number(f[2]))) users.set(Number(f[2]), { name: f[0], home: f[5] });
  }
  return users;
}

/** The boot time, seconds since the epoch (/proc/stat btime). */
function bootTime(procRoot: string): number {
  const m = /^btime (\d+)$/m.exec(readText(`${procRoot}/stat`) ?? '');
  return m ? Number(m[1]) : 0;
}

export interface IdentityOptions {
  procRoot?: string;
  roots?: RuntimeRoots;
  passwd?: string;
}

export class ProcessIdentities {
  private readonly procRoot: string;
  private readonly cache = new Map<number, { key: string; identity: ProcessIdentity }>();
  private users: Map<number, User> | undefined;
  private boot: number | undefined;

  constructor(private readonly options: IdentityOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
  }

  /** The identity of a running process, or undefined when there is no such process. */
  get(pid: number): ProcessIdentity | undefined {
    const dir = `${this.procRoot}/${pid}`;
    const stat = readText(`${dir}/stat`);
    const f = stat ? statFields(stat) : undefined;
    if (!stat || !f) { this.cache.delete(pid); return undefined; }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const cmdlineText = readText(`${dir}/cmdline`) ?? '';
    const key = `${f[19]} ${comm}\0${cmdlineText}`;
    const hit = this.cache.get(pid);
    if (hit && hit.key === key) {
      hit.identity.ppid = Number(f[1]);
      return hit.identity;
    }
    const identity = this.read(pid, dir, f, comm, cmdlineText);
    this.cache.set(pid, { key, identity });
    return identity;
  }

  /** Forgets processes that are not in `alive` (call now and then with the current pids). */
  prune(alive: ReadonlySet<number>): void {
    for (const pid of this.cache.keys()) if (!alive.has(pid)) this.cache.delete(pid);
  }

  private read(pid: number, dir: string, f: string[], comm: string, cmdlineText: string): ProcessIdentity {
    const cmdline = cmdlineText.split('\0');
    if (cmdline.length && cmdline[cmdline.length - 1] === '') cmdline.pop();
    const status = readText(`${dir}/status`) ?? '';
    const uidMatch = /^Uid:\s+(\d+)/m.exec(status);
    const uid = uidMatch ? Number(uidMatch[1]) : -1;
    this.users ??= readUsers(this.options.passwd);
    this.boot ??= bootTime(this.procRoot);
    const identity: ProcessIdentity = {
      pid,
      ppid: Number(f[1]),
      label: processLabel(cmdline, comm),
      comm,
      cmdline,
      uid,
      startedAt: Math.round((this.boot + Number(f[19]) / CLOCK_TICKS) * 1000),
      socketsVisible: canList(`${dir}/fd`),
    };
    const user = this.users.get(uid);
    if (user !== undefined) identity.user = user.name;
    const exe = readLink(`${dir}/exe`);
    if (exe !== undefined) identity.exe = exe;
    const cwd = readLink(`${dir}/cwd`);
    if (cwd !== undefined) identity.cwd = cwd;
    // A rootless Podman keeps its state in the user's home.
    const place = readPlace(pid, { procRoot: this.procRoot, roots: this.options.roots, home: user?.home });
    if (place.container) identity.container = place.container;
    if (place.unit) identity.unit = place.unit;
    return identity;
  }
}

/** Whether the descriptor directory can be opened (ours, or root): the kernel's own check, not a guess from modes. */
function canList(fdDir: string): boolean {
  try { opendirSync(fdDir).closeSync(); return true; } catch { return false; }
}
