// Messages between the extension host and the tcp_info chart webview: one descriptor per message
// (message-type.ts), its fields' types and schema together. Both sides import this module; each side
// validates what it receives and ignores anything else. The host sends deltas (new sample rows), never
// whole histories.
import { notificationType, parseMessage, type MessageOf } from './message-type';
import { array, boolean, nullable, number, object, req, string, tuple, type Schema } from './schema';

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

export type ChartWindow = '1m' | '5m' | 'all';
export const CHART_WINDOWS: readonly ChartWindow[] = ['1m', '5m', 'all'];

const MAX_SOCKETS = 64;
const MAX_ROWS = 10_000;
const MAX_TEXT = 2_000;

const cookie = string({ max: 16, pattern: /^[0-9a-f]{1,16}$/ });
const time = number({ min: 0 });

/** A row: per cookie (at most MAX_SOCKETS) a vector of METRICS.length finite numbers or nulls, or null. */
const rowValues: Schema = (v, path, errors) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) { errors.push(`${path}: expected object`); return; }
  const entries = Object.entries(v);
  if (entries.length > MAX_SOCKETS) { errors.push(`${path}: more than ${MAX_SOCKETS} sockets`); return; }
  const vector = nullable(tuple(METRICS.length, nullable(number({}))));
  for (const [key, value] of entries) {
    cookie(key, `${path} key`, errors);
    vector(value, `${path}.${key}`, errors);
  }
};
const row = object({ t: req(time), values: req(rowValues) });

/** Host -> webview. */
export const HOST_TO_WEBVIEW = {
  init: notificationType<{ sockets: ChartSocket[]; sampleIntervalMs: number; paused: boolean }>()('init', object({
    sockets: req(array(object({ cookie: req(cookie), label: req(string({ max: MAX_TEXT })) }), MAX_SOCKETS)),
    sampleIntervalMs: req(number({ min: 100 })),
    paused: req(boolean),
  })),
  rows: notificationType<{ rows: ChartRow[] }>()('rows', object({ rows: req(array(row, MAX_ROWS)) })),
  closed: notificationType<{ cookie: string; t: number }>()('closed', object({ cookie: req(cookie), t: req(time) })),
  paused: notificationType<{ paused: boolean }>()('paused', object({ paused: req(boolean) })),
} as const;

/** Webview -> host. */
export const WEBVIEW_TO_HOST = {
  ready: notificationType<Record<never, never>>()('ready', object({})),
  setPaused: notificationType<{ paused: boolean }>()('setPaused', object({ paused: req(boolean) })),
  exportCsv: notificationType<Record<never, never>>()('exportCsv', object({})),
  log: notificationType<{ message: string }>()('log', object({ message: req(string({ max: MAX_TEXT })) })),
} as const;

export type HostToWebview = MessageOf<typeof HOST_TO_WEBVIEW>;
export type WebviewToHost = MessageOf<typeof WEBVIEW_TO_HOST>;

export function isWebviewToHost(x: unknown): x is WebviewToHost {
  return parseMessage(WEBVIEW_TO_HOST, x) !== undefined;
}

export function isHostToWebview(x: unknown): x is HostToWebview {
  return parseMessage(HOST_TO_WEBVIEW, x) !== undefined;
}
