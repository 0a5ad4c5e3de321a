// Collects a findings Snapshot of one namespace: kernel counters and sysctls (read inside it),
// the firewall, and the limits and descriptor counts of the processes that hold its sockets. The
// sockets themselves come from the caller's dump (the CLI's, the helper's watch).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import {
  SYSCTLS, parseNetstat, parseNofileLimit, parseSockstat,
  type DiagFacts, type FindingSocket, type SocketRows, type FirewallFacts, type ProcessFacts, type Snapshot, type Source, type SysctlName,
} from '../../findings/index';
import { readFirewall } from './firewall';
import { readFiles } from './netns-read';

const COUNTER_FILES = ['/proc/net/netstat', '/proc/net/snmp', '/proc/net/sockstat', '/proc/net/sockstat6'];
/** Sysctls the kernel keeps for the whole host: only the initial namespace has the file. */
const HOST_WIDE = new Set<SysctlName>(['net.ipv4.tcp_max_orphans']);
const sysctlPath = (name: string): string => `/proc/sys/${name.replace(/\./g, '/')}`;

export interface NamespaceFacts {
  counters: Snapshot['counters'];
  sysctls: Snapshot['sysctls'];
}

/** Counters and sysctls of the namespace (one nsenter for all of them when it is another one). */
export function readNamespaceFacts(netnsPath?: string): NamespaceFacts {
  const inside = SYSCTLS.filter((s) => !netnsPath || !HOST_WIDE.has(s));
  const files = readFiles([...COUNTER_FILES, ...inside.map(sysctlPath)], netnsPath);
  const hostWide = netnsPath ? readFiles(SYSCTLS.filter((s) => HOST_WIDE.has(s)).map(sysctlPath)) : new Map<string, Source<string>>();
  let counters: Snapshot['counters'];
  const texts = COUNTER_FILES.map((f) => files.get(f)!);
  const missing = COUNTER_FILES.filter((_f, i) => 'error' in texts[i] && i < 3);
  if (missing.length) {
    counters = { error: missing.map((f) => `${f}: ${(files.get(f) as { error: string }).error}`).join('; ') };
  } else {
    try {
      const value: Record<string, number> = {};
      for (const [i, f] of COUNTER_FILES.entries()) {
        const t = texts[i];
        if (!('value' in t)) continue;
        Object.assign(value, f.includes('sockstat') ? parseSockstat(t.value) : parseNetstat(t.value, f));
      }
      counters = { value };
    } catch (e) {
      counters = { error: (e as Error).message };
    }
  }
  const sysctls: Record<string, Source<string>> = {};
  for (const s of SYSCTLS) sysctls[s] = (HOST_WIDE.has(s) && netnsPath ? hostWide : files).get(sysctlPath(s)) ?? { error: 'not read' };
  return { counters, sysctls };
}

const errText = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied (another user\'s process; needs root)';
  if (code === 'ENOENT') return 'the process has exited';
  return code ?? String(e);
};

/** pid -> name of every process holding one of the sockets. */
export function holders(sockets: readonly FindingSocket[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const s of sockets) for (const p of s.processes ?? []) if (!names.has(p.pid)) names.set(p.pid, p.name);
  return names;
}

/** Descriptor count and open-file limit of each process holding one of the sockets (or of `pids`: pid -> name). */
/**
 * How many descriptors a process has open. Since Linux 6.2 the size of /proc/PID/fd is that count,
 * so a process holding 100,000 sockets costs one stat instead of listing 100,000 entries (the
 * findings read it at every refresh); older kernels report 0 there and the directory is listed.
 */
export function openFdCount(fdDir: string, procfs = true): number {
  const size = procfs ? statSync(fdDir).size : 0;
  return size > 0 ? size : readdirSync(fdDir).length;
}

export function readProcessFacts(sockets: readonly FindingSocket[] | ReadonlyMap<number, string>, procRoot = '/proc'): ProcessFacts[] {
  const names = Array.isArray(sockets) ? holders(sockets) : sockets as ReadonlyMap<number, string>;
  const out: ProcessFacts[] = [];
  for (const [pid, name] of [...names].sort((a, b) => a[0] - b[0])) {
    let fds: Source<number>;
    let fdLimit: Source<number | null>;
    try { fds = { value: openFdCount(`${procRoot}/${pid}/fd`, procRoot === '/proc') }; } catch (e) { fds = { error: errText(e) }; }
    try {
      const v = parseNofileLimit(readFileSync(`${procRoot}/${pid}/limits`, 'utf8'));
      fdLimit = v === undefined ? { error: 'no "Max open files" line in /proc/PID/limits' } : { value: v };
    } catch (e) { fdLimit = { error: errText(e) }; }
    out.push({ pid, name, fds, fdLimit });
  }
  return out;
}

export interface CollectInput {
  sockets: readonly FindingSocket[];
  /** The sockets as rows instead (then `sockets` is empty and `pids` names their holders). */
  rows?: SocketRows;
  /** pid -> name of the processes holding the rows' sockets. */
  pids?: ReadonlyMap<number, string>;
  diag: DiagFacts;
  invisibleProcesses: number;
  /** /run/netns/NAME or /proc/PID/ns/net; omitted: this process's namespace. */
  netnsPath?: string;
  /** Shown in titles. */
  netns?: string;
  /** A firewall read already (the helper reads it less often than the sockets). */
  firewall?: FirewallFacts | Promise<FirewallFacts>;
  takenAt?: number;
}

/** Everything but the sockets, around the caller's dump. */
export async function collectSnapshot(input: CollectInput): Promise<Snapshot> {
  const firewall = input.firewall ?? readFirewall(input.netnsPath);
  const facts = readNamespaceFacts(input.netnsPath);
  return {
    takenAt: input.takenAt ?? Date.now(),
    ...(input.netns ? { netns: input.netns } : {}),
    sockets: input.sockets,
    ...(input.rows ? { rows: input.rows } : {}),
    counters: facts.counters,
    sysctls: facts.sysctls,
    processes: readProcessFacts(input.pids ?? input.sockets),
    invisibleProcesses: input.invisibleProcesses,
    firewall: await firewall,
    diag: input.diag,
  };
}
