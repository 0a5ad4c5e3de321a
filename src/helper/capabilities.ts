// What the helper may see and do: root, CAP_NET_ADMIN, CAP_SYS_PTRACE (CapEff in /proc/self/status),
// and how many processes' descriptors it cannot read (their sockets show no process name).
import { opendirSync, readdirSync, readFileSync } from 'node:fs';
import type { Capabilities } from '../protocol/helper-protocol';

export const CAP_NET_ADMIN = 12;
export const CAP_SYS_PTRACE = 19;

/** CapEff from a /proc/PID/status text, as a bigint bit set (0n when absent). */
export function parseCapEff(statusText: string): { hex: string; bits: bigint } {
  const m = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(statusText);
  if (!m) return { hex: '0', bits: 0n };
  return { hex: m[1].toLowerCase(), bits: BigInt('0x' + m[1]) };
}

export function hasCap(bits: bigint, cap: number): boolean {
  return (bits & (1n << BigInt(cap))) !== 0n;
}

/**
 * Counts processes and those whose fd table cannot be listed. Opening each fd directory is enough
 * to learn that (listing them cost ~90 ms with 100,000 sockets open).
 */
export function countVisibility(procRoot = '/proc'): { processes: number; invisible: number } {
  let processes = 0;
  let invisible = 0;
  let names: string[] = [];
  try { names = readdirSync(procRoot); } catch { return { processes, invisible }; }
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    try {
      opendirSync(`${procRoot}/${n}/fd`).closeSync();
      processes++;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      processes++;
      invisible++;
    }
  }
  return { processes, invisible };
}

export function readCapabilities(): Capabilities {
  let status = '';
  try { status = readFileSync('/proc/self/status', 'utf8'); } catch { status = ''; }
  const cap = parseCapEff(status);
  const uid = typeof process.geteuid === 'function' ? process.geteuid() : -1;
  const { processes, invisible } = countVisibility();
  const netAdmin = hasCap(cap.bits, CAP_NET_ADMIN);
  return {
    root: uid === 0,
    uid,
    netAdmin,
    sysPtrace: hasCap(cap.bits, CAP_SYS_PTRACE),
    capEff: cap.hex,
    processes,
    invisibleProcesses: invisible,
    canKill: netAdmin,
  };
}
