// Messages between the extension host and the tcp_info chart webview: one descriptor per message
// (message-type.ts), its fields' types and schema together. Both sides import this module; each side
// validates what it receives and ignores anything else. The host sends deltas (new sample rows), never
// whole histories.
import { TCPI, type FieldUnit, type TcpInfoFieldName } from '../fields/index';
import { notificationType, parseMessage, type MessageOf } from './message-type';
import { array, boolean, nullable, number, object, req, string, tuple, type Schema } from './schema';

/** One plotted quantity, already converted to the unit shown. */
export interface ChartMetric {
  key: string;
  label: string;
  /** Chart (panel) the metric is drawn in. */
  chart: ChartId;
  /** The tcp_info field it plots (its label and unit come from src/fields); absent for derived ones. */
  field?: TcpInfoFieldName;
  /** The unit of its raw value (the field's). */
  unit: FieldUnit;
}

export const CHART_IDS = ['rtt', 'cwnd', 'inflight', 'rate', 'loss', 'queue'] as const;
export type ChartId = (typeof CHART_IDS)[number];

/** How a raw unit is shown in the charts: the name there, and shown = raw * mul / div. */
export const CHART_UNITS: Readonly<Partial<Record<FieldUnit, { unit: string; mul: number; div: number }>>> = {
  us: { unit: 'ms', mul: 1, div: 1000 },
  ms: { unit: 'ms', mul: 1, div: 1 },
  'bytes/s': { unit: 'Mbit/s', mul: 8, div: 1e6 },
  segments: { unit: 'segments', mul: 1, div: 1 },
  bytes: { unit: 'bytes', mul: 1, div: 1 },
};

const tcpi = (key: string, field: TcpInfoFieldName, chart: ChartId): ChartMetric => ({ key, label: TCPI[field].label, chart, field, unit: TCPI[field].unit });

/** Sample vectors hold one value per metric, in this order; null when unknown. */
export const METRICS: readonly ChartMetric[] = [
  tcpi('rtt', 'rtt', 'rtt'),
  tcpi('rttvar', 'rttvar', 'rtt'),
  tcpi('min_rtt', 'min_rtt', 'rtt'),
  tcpi('cwnd', 'snd_cwnd', 'cwnd'),
  tcpi('ssthresh', 'snd_ssthresh', 'cwnd'),
  { key: 'in_flight', label: `in flight (${TCPI.unacked.label} × ${TCPI.snd_mss.label})`, chart: 'inflight', unit: 'bytes' },
  tcpi('notsent', 'notsent_bytes', 'inflight'),
  tcpi('delivery_rate', 'delivery_rate', 'rate'),
  tcpi('pacing_rate', 'pacing_rate', 'rate'),
  tcpi('total_retrans', 'total_retrans', 'loss'),
  tcpi('lost', 'lost', 'loss'),
  { key: 'recv_q', label: 'Recv-Q', chart: 'queue', unit: 'bytes' },
  { key: 'send_q', label: 'Send-Q', chart: 'queue', unit: 'bytes' },
];

const TITLES: Readonly<Record<ChartId, string>> = {
  rtt: 'Round-trip time', cwnd: 'Congestion window', inflight: 'Bytes in flight',
  rate: 'Delivery and pacing rate', loss: 'Retransmits and lost', queue: 'Queues',
};

/** The charts, each in the shown unit of its metrics. */
export const CHARTS: ReadonlyArray<{ id: ChartId; title: string; unit: string }> = CHART_IDS.map((id) => {
  const units = new Set(METRICS.filter((m) => m.chart === id).map((m) => CHART_UNITS[m.unit]?.unit));
  if (units.size !== 1) throw new Error(`chart ${id} mixes units`);
  return { id, title: TITLES[id], unit: [...units][0]! };
});

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
