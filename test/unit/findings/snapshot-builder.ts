// Snapshots for the rule tests: the kernel text captured from a real namespace (fixtures/), with
// sockets, counters and sysctls overridden per test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSCTLS, parseNetstat, parseSockstat, type FindingSocket, type Snapshot, type Source } from '../../../src/findings/index';

export const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

/** The captured counters of an idle namespace. */
export function capturedCounters(): Record<string, number> {
  return { ...parseNetstat(fixture('netstat.txt')), ...parseNetstat(fixture('snmp.txt')), ...parseSockstat(fixture('sockstat.txt')) };
}

const SYSCTL_VALUES: Record<string, string> = {
  'net.ipv4.ip_local_port_range': '32768\t60999\n', 'net.ipv4.tcp_max_orphans': '65536\n', 'net.ipv4.tcp_max_tw_buckets': '131072\n',
  'net.core.somaxconn': '4096\n', 'net.ipv4.tcp_max_syn_backlog': '2048\n', 'net.ipv4.tcp_syncookies': '1\n', 'net.core.rmem_max': '4194304\n',
};

let cookie = 0x1000;
export function sock(over: Partial<FindingSocket> = {}): FindingSocket {
  return {
    netid: 'tcp', state: 'ESTAB', family: 'inet', recvQ: 0, sendQ: 0,
    localAddress: '10.0.0.1', localPort: 40000, peerAddress: '10.0.0.2', peerPort: 443,
    cookie: (cookie++).toString(16), ...over,
  };
}

export const proc = (pid: number, name = 'app'): { pid: number; name: string; fd: number } => ({ pid, name, fd: 3 });

export function snapshot(over: Partial<Snapshot> & { counterValues?: Record<string, number>; sysctlValues?: Record<string, string | { error: string }> } = {}): Snapshot {
  const { counterValues, sysctlValues, ...rest } = over;
  const sysctls: Record<string, Source<string>> = {};
  for (const s of SYSCTLS) sysctls[s] = { value: SYSCTL_VALUES[s] };
  for (const [k, v] of Object.entries(sysctlValues ?? {})) sysctls[k] = typeof v === 'string' ? { value: v } : v;
  return {
    takenAt: 1_000_000,
    sockets: [],
    counters: { value: { ...capturedCounters(), ...counterValues } },
    sysctls,
    processes: [],
    invisibleProcesses: 0,
    firewall: { rulesets: [], problems: [] },
    diag: { notes: [], procfs: [], skipped: [] },
    ...rest,
  };
}

export const times = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_x, i) => f(i));
