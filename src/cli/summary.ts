// `-s`: ss's summary in ss's text, from /proc/net/sockstat{,6} and /proc/net/snmp of the dumped
// namespace. The numbers are computed once, in src/findings/summary.ts (the Findings view shows the
// same ones); here only their reading and ss's layout.
import { parseNetstat, parseSockstat, summaryFromCounters } from '../findings/index';
import { readFiles } from '../host/findings/netns-read';

const FILES = ['/proc/net/sockstat', '/proc/net/sockstat6', '/proc/net/snmp'] as const;

/** Counters by name; a file that cannot be read or parsed counts as zeros, as ss prints them. */
function readCounters(netnsPath: string | undefined): Record<string, number> {
  const files = readFiles(FILES, netnsPath);
  const out: Record<string, number> = {};
  for (const f of FILES) {
    const t = files.get(f);
    if (!t || !('value' in t)) continue;
    try { Object.assign(out, f.endsWith('snmp') ? parseNetstat(t.value, f) : parseSockstat(t.value)); } catch { /* zeros */ }
  }
  return out;
}

const pad9 = (n: number): string => String(n).padEnd(9);
/** A line of the transport table: the total, then IPv4 and IPv6. */
const row = (name: string, [v4, v6]: [number, number]): string => `${name}\t  ${pad9(v4 + v6)} ${pad9(v4)} ${pad9(v6)}\n`;

/** The text ss -s prints. */
export function summaryText(netnsPath?: string): string {
  const s = summaryFromCounters(readCounters(netnsPath));
  const t = s.transports;
  return `Total: ${s.total}\n`
    + `TCP:   ${s.tcp.total} (estab ${s.tcp.estab}, closed ${s.tcp.closed}, orphaned ${s.tcp.orphaned}, timewait ${s.tcp.timewait})\n`
    + '\n'
    + 'Transport Total     IP        IPv6\n'
    + row('RAW', t.raw) + row('UDP', t.udp) + row('TCP', t.tcp) + row('INET', t.inet) + row('FRAG', t.frag)
    + '\n';
}
