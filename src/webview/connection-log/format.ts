// How the table shows a row's values (pure, unit-tested): local date and time to the second, durations
// and byte counts in readable units (the exact number goes in the cell's tooltip), addresses as ss prints them.
import type { LogTableRow } from '../../protocol/history-webview';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `12-02 01:25:31` (month-day and time) in the page's local time; the cell's tooltip has the full ISO time. */
export function timeText(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `850 ms`, `12.4 s`, `3 min 05 s`, `2 h 04 min`, `3 d 02 h`. */
export function durationText(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  const total = Math.floor(s);
  if (total < 3600) return `${Math.floor(total / 60)} min ${pad(total % 60)} s`;
  if (total < 86400) return `${Math.floor(total / 3600)} h ${pad(Math.floor((total % 3600) / 60))} min`;
  return `${Math.floor(total / 86400)} d ${pad(Math.floor((total % 86400) / 3600))} h`;
}

/** `512 B`, `1.5 KiB`, `20.0 MiB` (powers of 1024, as ss's -m and the Sockets view). */
export function bytesText(n: number | null): string {
  if (n === null) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n / 1024, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${units[i]}`;
}

/** `10.0.0.1:443`, `[::1]:443`, `*:*`. */
export function endpointText(address: string | null, port: number): string {
  const a = address === null || address === '' ? '*' : address.includes(':') ? `[${address}]` : address;
  return `${a}:${port === 0 ? '*' : port}`;
}

export function processText(r: Pick<LogTableRow, 'pid' | 'command'>): string {
  if (r.pid === null) return r.command ?? '';
  return r.command ? `${r.command} (${r.pid})` : String(r.pid);
}

const CLOSED_BY_TEXT: Record<NonNullable<LogTableRow['closedBy']>, string> = { 'kernel-event': 'kernel event', watch: 'seen closed' };

export function closedByText(v: LogTableRow['closedBy'], closedAt: number | null): string {
  if (closedAt === null) return 'still open';
  return v === null ? '' : CLOSED_BY_TEXT[v];
}
