// `-s`: ss's summary, from /proc/net/sockstat{,6} and /proc/net/snmp of the dumped namespace.
import { readFileSync } from 'node:fs';

function readNetFiles(files: string[], netnsPath: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!netnsPath) {
    for (const f of files) { try { out.set(f, readFileSync(`/proc/net/${f}`, 'utf8')); } catch { out.set(f, ''); } }
    return out;
  }
  // /proc/net shows the reader's namespace: read them from inside the target one.
  const sep = '\n--sockscope-separator--\n';
  const script = files.map((f) => `cat /proc/net/${f} 2>/dev/null`).join(`; printf '${sep.replace(/\n/g, '\\n')}'; `);
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const r = spawnSync('nsenter', [`--net=${netnsPath}`, 'sh', '-c', script], { encoding: 'utf8', timeout: 5000 });
  const parts = (r.stdout ?? '').split(sep);
  files.forEach((f, i) => out.set(f, parts[i] ?? ''));
  return out;
}

function field(text: string, prefix: string, name: string): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix + ':')) continue;
    const words = line.slice(prefix.length + 1).trim().split(/\s+/);
    const i = words.indexOf(name);
    if (i >= 0) return Number(words[i + 1]) || 0;
  }
  return 0;
}

function snmpValue(text: string, prefix: string, name: string): number {
  const lines = text.split('\n').filter((l) => l.startsWith(prefix + ':'));
  if (lines.length < 2) return 0;
  const names = lines[0].split(/\s+/);
  const values = lines[1].split(/\s+/);
  const i = names.indexOf(name);
  return i >= 0 ? Number(values[i]) || 0 : 0;
}

const pad9 = (n: number): string => String(n).padEnd(9);
/** A line of the transport table: the total, then IPv4 and IPv6. */
const row = (name: string, v4: number, v6: number): string => `${name}\t  ${pad9(v4 + v6)} ${pad9(v4)} ${pad9(v6)}\n`;

/** The text ss -s prints. */
export function summaryText(netnsPath?: string): string {
  const files = readNetFiles(['sockstat', 'sockstat6', 'snmp'], netnsPath);
  const st = files.get('sockstat') ?? '';
  const st6 = files.get('sockstat6') ?? '';
  const socks = field(st, 'sockets', 'used');
  const orphans = field(st, 'TCP', 'orphan');
  const tws = field(st, 'TCP', 'tw');
  const tcpTotal = field(st, 'TCP', 'alloc');
  // In use per protocol, IPv4 (sockstat's TCP:) and IPv6 (sockstat6's TCP6:).
  const [tcp4, udp4, raw4, frag4] = ['TCP', 'UDP', 'RAW', 'FRAG'].map((p) => field(st, p, 'inuse'));
  const [tcp6, udp6, raw6, frag6] = ['TCP6', 'UDP6', 'RAW6', 'FRAG6'].map((p) => field(st6, p, 'inuse'));
  const estab = snmpValue(files.get('snmp') ?? '', 'Tcp', 'CurrEstab');
  return `Total: ${socks}\n`
    + `TCP:   ${tcpTotal + tws} (estab ${estab}, closed ${tcpTotal - (tcp4 + tcp6 - tws)}, orphaned ${orphans}, timewait ${tws})\n`
    + '\n'
    + 'Transport Total     IP        IPv6\n'
    + row('RAW', raw4, raw6) + row('UDP', udp4, udp6) + row('TCP', tcp4, tcp6)
    + row('INET', raw4 + udp4 + tcp4, raw6 + udp6 + tcp6) + row('FRAG', frag4, frag6)
    + '\n';
}
