// "Reveal process": pid, command line and user of a process, read from /proc.
import { readFile } from 'node:fs/promises';

export interface ProcessDetails {
  pid: number;
  name: string;
  commandLine: string | undefined;
  uid: number | undefined;
  user: string | undefined;
}

/** `/proc/PID/cmdline` (NUL-separated) as a shell-like line. */
export function parseCmdline(raw: string): string {
  return raw.split('\0').filter((w) => w.length > 0).map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The real uid from `/proc/PID/status`. */
export function parseStatusUid(status: string): number | undefined {
  const m = /^Uid:\s+(\d+)/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

/** The user name for a uid from `/etc/passwd` text. */
export function userFromPasswd(passwd: string, uid: number): string | undefined {
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length > 2 && Number(f[2]) === uid) return f[0];
  }
  return undefined;
}

export async function processDetails(pid: number, name: string): Promise<ProcessDetails> {
  const read = (p: string): Promise<string | undefined> => readFile(p, 'utf8').catch(() => undefined);
  const [cmd, status, passwd] = await Promise.all([read(`/proc/${pid}/cmdline`), read(`/proc/${pid}/status`), read('/etc/passwd')]);
  const uid = status ? parseStatusUid(status) : undefined;
  return {
    pid,
    name,
    commandLine: cmd ? parseCmdline(cmd) : undefined,
    uid,
    user: uid !== undefined && passwd ? userFromPasswd(passwd, uid) : undefined,
  };
}
