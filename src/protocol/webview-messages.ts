// Messages between the extension host and the tcp_info chart webview, and their validators.
// Both sides import this module; each side validates what it receives and ignores anything else.
// The host sends deltas (new sample rows), never whole histories.

/** One plotted quantity, already converted to the unit shown. */
export interface ChartMetric {
  key: string;
  label: string;
  /** Chart (panel) the metric is drawn in. */
  chart: ChartId;
}

export const CHART_IDS = ['rtt', 'cwnd', 'inflight', 'rate', 'loss', 'queue'] as const;
export type ChartId = (typeof CHART_IDS)[number];

export const CHARTS: ReadonlyArray<{ id: ChartId; title: string; unit: string }> = [
  { id: 'rtt', title: 'Round-trip time', unit: 'ms' },
  { id: 'cwnd', title: 'Congestion window', unit: 'segments' },
  { id: 'inflight', title: 'Bytes in flight', unit: 'bytes' },
  { id: 'rate', title: 'Delivery and pacing rate', unit: 'Mbit/s' },
  { id: 'loss', title: 'Retransmits and lost', unit: 'segments' },
  { id: 'queue', title: 'Queues', unit: 'bytes' },
];

/** Sample vectors hold one value per metric, in this order; null when unknown. */
export const METRICS: readonly ChartMetric[] = [
  { key: 'rtt', label: 'rtt', chart: 'rtt' },
  { key: 'rttvar', label: 'rttvar', chart: 'rtt' },
  { key: 'min_rtt', label: 'min_rtt', chart: 'rtt' },
  { key: 'cwnd', label: 'cwnd', chart: 'cwnd' },
  { key: 'ssthresh', label: 'ssthresh', chart: 'cwnd' },
  { key: 'in_flight', label: 'in flight (unacked × mss)', chart: 'inflight' },
  { key: 'notsent', label: 'not sent', chart: 'inflight' },
  { key: 'delivery_rate', label: 'delivery rate', chart: 'rate' },
  { key: 'pacing_rate', label: 'pacing rate', chart: 'rate' },
  { key: 'total_retrans', label: 'retransmits (total)', chart: 'loss' },
  { key: 'lost', label: 'lost', chart: 'loss' },
  { key: 'recv_q', label: 'Recv-Q', chart: 'queue' },
  { key: 'send_q', label: 'Send-Q', chart: 'queue' },
];

export interface ChartSocket {
  cookie: string;
  label: string;
}

/** One sampling tick: per cookie the metric vector, or null when the socket is gone. */
export interface ChartRow {
  /** Milliseconds since the epoch. */
  t: number;
  values: Record<string, Array<number | null> | null>;
}

export type HostToWebview =
  | { type: 'init'; sockets: ChartSocket[]; sampleIntervalMs: number; paused: boolean }
  | { type: 'rows'; rows: ChartRow[] }
  | { type: 'closed'; cookie: string; t: number }
  | { type: 'paused'; paused: boolean };

export type ChartWindow = '1m' | '5m' | 'all';
export const CHART_WINDOWS: readonly ChartWindow[] = ['1m', '5m', 'all'];

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'setPaused'; paused: boolean }
  | { type: 'exportCsv' }
  | { type: 'log'; message: string };

const MAX_SOCKETS = 64;
const MAX_ROWS = 10_000;
const MAX_TEXT = 2_000;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function hasOnly(x: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(x).every((k) => keys.includes(k));
}

const isCookie = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f]{1,16}$/.test(x);
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;

export function isWebviewToHost(x: unknown): x is WebviewToHost {
  if (!isRecord(x) || typeof x.type !== 'string') return false;
  switch (x.type) {
    case 'ready':
    case 'exportCsv':
      return hasOnly(x, ['type']);
    case 'setPaused':
      return hasOnly(x, ['type', 'paused']) && typeof x.paused === 'boolean';
    case 'log':
      return hasOnly(x, ['type', 'message']) && typeof x.message === 'string' && x.message.length <= MAX_TEXT;
    default:
      return false;
  }
}

function isRow(x: unknown): x is ChartRow {
  if (!isRecord(x) || !hasOnly(x, ['t', 'values']) || !isTime(x.t) || !isRecord(x.values)) return false;
  const entries = Object.entries(x.values);
  if (entries.length > MAX_SOCKETS) return false;
  return entries.every(([cookie, v]) =>
    isCookie(cookie) &&
    (v === null || (Array.isArray(v) && v.length === METRICS.length && v.every((n) => n === null || (typeof n === 'number' && Number.isFinite(n))))));
}

export function isHostToWebview(x: unknown): x is HostToWebview {
  if (!isRecord(x) || typeof x.type !== 'string') return false;
  switch (x.type) {
    case 'init':
      return hasOnly(x, ['type', 'sockets', 'sampleIntervalMs', 'paused']) &&
        Array.isArray(x.sockets) && x.sockets.length <= MAX_SOCKETS &&
        x.sockets.every((s) => isRecord(s) && isCookie(s.cookie) && typeof s.label === 'string' && s.label.length <= MAX_TEXT) &&
        typeof x.sampleIntervalMs === 'number' && x.sampleIntervalMs >= 100 && typeof x.paused === 'boolean';
    case 'rows':
      return hasOnly(x, ['type', 'rows']) && Array.isArray(x.rows) && x.rows.length <= MAX_ROWS && x.rows.every(isRow);
    case 'closed':
      return hasOnly(x, ['type', 'cookie', 't']) && isCookie(x.cookie) && isTime(x.t);
    case 'paused':
      return hasOnly(x, ['type', 'paused']) && typeof x.paused === 'boolean';
    default:
      return false;
  }
}
