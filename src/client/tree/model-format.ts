// Text shown for sockets and groups: row labels, descriptions and tooltips with the key tcp_info
// figures in human units. Pure (no vscode) so it is unit-tested directly.
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

/** Tree row label: `tcp 127.0.0.1:5432 → 127.0.0.1:40312`. */
export function socketLabel(s: SocketRecord): string {
  return `${s.netid} ${formatEndpoint(s, 'local')} → ${formatEndpoint(s, 'peer')}`;
}

/** Tree row description: state and queues. */
export function socketDescription(s: SocketRecord): string {
  const exposed = isExposedListener(s) ? ' · all interfaces' : '';
  return `${s.state}  Recv-Q ${s.recvQ}  Send-Q ${s.sendQ}${exposed}`;
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

/** The key tcp_info figures as `name: value` lines in human units (empty without tcp_info). */
export function tcpInfoLines(info: Record<string, Counter> | undefined): string[] {
  if (!info) return [];
  const n = (k: string): number | undefined => counterNumber(info[k]);
  const lines: string[] = [];
  const rtt = n('rtt');
  const rttvar = n('rttvar');
  if (rtt !== undefined) lines.push(`rtt: ${formatMicros(rtt)}${rttvar !== undefined ? ` ± ${formatMicros(rttvar)}` : ''}`);
  const minRtt = n('min_rtt');
  if (minRtt !== undefined && minRtt > 0 && minRtt < 0xffffffff) lines.push(`min rtt: ${formatMicros(minRtt)}`);
  const cwnd = n('snd_cwnd');
  if (cwnd !== undefined) {
    const ss = n('snd_ssthresh');
    const ssText = ss !== undefined && ss < 0x7fffffff ? `, ssthresh ${ss}` : '';
    lines.push(`cwnd: ${cwnd} segments${ssText}`);
  }
  const total = n('total_retrans');
  if (total !== undefined) {
    const cur = n('retrans');
    lines.push(`retransmits: ${total} total${cur ? ` (${cur} outstanding)` : ''}`);
  }
  const lost = n('lost');
  if (lost) lines.push(`lost: ${lost} segments`);
  const delivery = formatRate(info['delivery_rate']);
  if (delivery !== undefined) lines.push(`delivery rate: ${delivery}`);
  const pacing = formatRate(info['pacing_rate']);
  if (pacing !== undefined) lines.push(`pacing rate: ${pacing}`);
  const sent = n('bytes_sent') ?? n('bytes_acked');
  if (sent !== undefined) lines.push(`sent: ${formatBytes(sent)}`);
  const received = n('bytes_received');
  if (received !== undefined) lines.push(`received: ${formatBytes(received)}`);
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
