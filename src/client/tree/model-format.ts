// Text shown for sockets and groups: row labels, descriptions and tooltips with the key tcp_info
// figures in human units. Pure (no vscode) so it is unit-tested directly.
import { TCPI, type TcpInfoField, type TcpInfoFieldName } from '../../fields/index';
import type { Counter, SocketRecord } from '../../protocol/socket-record';
import type { ViewRates } from '../../protocol/view-protocol';
import { isExposedListener } from './model-exposure';

const INET = new Set(['inet', 'inet6']);

/** `127.0.0.1:5432`, `[::1]:443`, `*:*`, `0.0.0.0:*`; unix paths with their inode. */
export function formatEndpoint(s: SocketRecord, side: 'local' | 'peer'): string {
  const address = side === 'local' ? s.localAddress : s.peerAddress;
  const port = side === 'local' ? s.localPort : s.peerPort;
  if (INET.has(s.family)) {
    const host = address === null || address === '' ? '*' : s.family === 'inet6' && address.includes(':') ? `[${address}]` : address;
    const scoped = side === 'local' && s.iface ? `${host}%${s.iface}` : host;
    return `${scoped}:${port === 0 ? '*' : port}`;
  }
  if (s.family === 'unix') return `${address ?? '*'} ${port === 0 ? '*' : port}`;
  return `${address ?? '*'}:${port}`;
}

/** A socket with a peer (connected), as opposed to a listener or an unconnected datagram socket. */
function hasPeer(s: SocketRecord): boolean {
  if (INET.has(s.family)) return s.peerPort !== 0 || !(s.peerAddress === null || s.peerAddress === '' || s.peerAddress === '0.0.0.0' || s.peerAddress === '::');
  return s.peerPort !== 0 || Boolean(s.peerAddress);
}

/**
 * Tree row label, what tells rows apart at the default sidebar width first: the peer and the state
 * (`→ 10.0.0.5:5432 ESTAB`), or for a listener its state and address (`LISTEN 127.0.0.1:8080`).
 */
export function socketLabel(s: SocketRecord): string {
  if (s.family === 'unix') return `${s.state} ${hasPeer(s) ? `→ ${formatEndpoint(s, 'peer')}` : formatEndpoint(s, 'local')}`;
  return hasPeer(s) ? `→ ${formatEndpoint(s, 'peer')} ${s.state}` : `${s.state} ${formatEndpoint(s, 'local')}`;
}

/** Tree row description: the kind, the local end of a connection, queues when not empty. */
export function socketDescription(s: SocketRecord): string {
  const parts = [hasPeer(s) ? `${s.netid} from ${formatEndpoint(s, 'local')}` : s.netid];
  if (s.recvQ || s.sendQ) parts.push(`Recv-Q ${s.recvQ} Send-Q ${s.sendQ}`);
  if (isExposedListener(s)) parts.push('all interfaces');
  return parts.join(' · ');
}

export function counterNumber(v: Counter | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (v === 'unlimited') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Microseconds as `850 µs`, `12.3 ms`, `1.25 s`. */
export function formatMicros(us: number): string {
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${trim(us / 1000)} ms`;
  return `${trim(us / 1_000_000)} s`;
}

/** Bytes as `512 B`, `1.5 KiB`, `3.2 MiB`, ... */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return i === 0 ? `${Math.round(v)} B` : `${trim(v)} ${units[i]}`;
}

/** A rate in bytes per second, shown in bits per second as ss does: `8 bps`, `1.2 Mbps`. */
export function formatRate(bytesPerSecond: Counter | undefined): string | undefined {
  if (bytesPerSecond === 'unlimited') return 'unlimited';
  const n = counterNumber(bytesPerSecond);
  if (n === undefined) return undefined;
  const bits = n * 8;
  const units = ['bps', 'Kbps', 'Mbps', 'Gbps', 'Tbps'];
  let v = bits;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return i === 0 ? `${Math.round(v)} ${units[i]}` : `${trim(v)} ${units[i]}`;
}

function trim(v: number): string {
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return String(Number(v.toFixed(digits)));
}

/** A tcp_info value in human units by the field's unit (src/fields); undefined when absent or "no sample" (the field's `none`). */
export function fieldValueText(f: TcpInfoField, v: Counter | undefined): string | undefined {
  if (f.unit === 'bytes/s') return formatRate(v);
  const n = counterNumber(v);
  if (n === undefined || (f.none !== undefined && n >= f.none)) return undefined;
  switch (f.unit) {
    case 'us': return formatMicros(n);
    case 'ms': return formatMicros(n * 1000);
    case 'bytes': return formatBytes(n);
    case 'segments': return `${n} segments`;
    default: return String(n);
  }
}

/** The key tcp_info figures as `label: value` lines in human units (empty without tcp_info). */
export function tcpInfoLines(info: Record<string, Counter> | undefined): string[] {
  if (!info) return [];
  const n = (k: TcpInfoFieldName): number | undefined => counterNumber(info[k]);
  const text = (k: TcpInfoFieldName): string | undefined => fieldValueText(TCPI[k], info[k]);
  const lines: string[] = [];
  const line = (k: TcpInfoFieldName, value = text(k), more = ''): void => {
    if (value !== undefined) lines.push(`${TCPI[k].label}: ${value}${more}`);
  };
  const rttvar = text('rttvar');
  line('rtt', text('rtt'), rttvar !== undefined ? ` ± ${rttvar}` : '');
  if (n('min_rtt')) line('min_rtt');
  const ssthresh = n('snd_ssthresh');
  line('snd_cwnd', text('snd_cwnd'), ssthresh !== undefined && ssthresh < TCPI.snd_ssthresh.none! ? `, ${TCPI.snd_ssthresh.label} ${ssthresh}` : '');
  const total = n('total_retrans');
  const cur = n('retrans');
  line('total_retrans', total === undefined ? undefined : `${total} total`, cur ? ` (${cur} outstanding)` : '');
  if (n('lost')) line('lost');
  line('delivery_rate');
  line('pacing_rate');
  // Linux before 4.19 has no bytes_sent: what the peer acknowledged is the nearest figure.
  line('bytes_sent', text('bytes_sent') ?? text('bytes_acked'));
  line('bytes_received');
  return lines;
}

/** Tooltip body (plain text, one fact per line). `privileged`: the helper runs as root. */
export function socketTooltip(s: SocketRecord, privileged = false): string {
  const lines = [`${s.netid} ${s.state}`, `local: ${formatEndpoint(s, 'local')}`, `peer: ${formatEndpoint(s, 'peer')}`];
  if (isExposedListener(s)) lines.push('⚠ listening on all interfaces');
  lines.push(`Recv-Q ${s.recvQ} · Send-Q ${s.sendQ}`);
  const procs = s.processes ?? [];
  if (procs.length) lines.push(`process: ${procs.map((p) => `${p.name} (pid ${p.pid}, fd ${p.fd})`).join(', ')}`);
  else lines.push(privileged ? 'process: none visible (held by the kernel, e.g. TIME-WAIT, or hidden even from root)' : 'process: unknown (run as root to see)');
  lines.push(`uid ${s.uid} · inode ${s.inode} · cookie ${s.cookie}`);
  if (s.congestion) lines.push(`congestion: ${s.congestion}`);
  lines.push(...tcpInfoLines(s.tcpInfo));
  return lines.join('\n');
}

/** `ESTAB 412 · LISTEN 9` */
export function formatStateCounts(counts: ReadonlyArray<readonly [string, number]>, max = 4): string {
  if (!counts.length) return 'no sockets';
  return counts.slice(0, max).map(([s, n]) => `${s} ${n}`).join(' · ');
}

/**
 * The measured columns of a row (measured sorts only): `↑ 1.2 Mbps ↓ 80 Kbps · rtt 1.2 ms · 0 retrans/s`,
 * "—" for a figure that needs two samples; '' when the row carries no tcp_info at all.
 */
export function rateText(r: ViewRates): string {
  if (r.rttUs === null && r.sendBps === null) return '';
  const dash = '—';
  const rate = (v: number | null): string => (v === null ? dash : formatRate(v) ?? dash);
  const rtt = r.rttUs === null ? dash : formatMicros(r.rttUs);
  const retrans = r.retransPerSec === null ? dash : String(Number(r.retransPerSec.toFixed(1)));
  return `↑ ${rate(r.sendBps)} ↓ ${rate(r.recvBps)} · rtt ${rtt} · ${retrans} retrans/s`;
}
