// tcp_info -> chart metric vectors in the units the charts show. Pure (no vscode).
import type { Counter, SocketRecord } from '../../protocol/socket-record';
import { TCPI } from '../../fields/index';
import { CHART_UNITS, METRICS, type ChartMetric } from '../../protocol/webview-messages';

function num(v: Counter | undefined): number | null {
  if (v === undefined || v === 'unlimited') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** A field's raw value in the chart's unit (CHART_UNITS); null when absent or "no sample" (the field's `none`). */
function shown(m: ChartMetric, raw: number | null): number | null {
  const none = m.field ? TCPI[m.field].none : undefined;
  if (raw === null || (none !== undefined && raw >= none)) return null;
  const u = CHART_UNITS[m.unit];
  return u ? (raw * u.mul) / u.div : raw;
}

/** One value per entry of METRICS, in that order. */
export function metricVector(s: Pick<SocketRecord, 'tcpInfo'> & Partial<Pick<SocketRecord, 'recvQ' | 'sendQ'>>): Array<number | null> {
  const i = s.tcpInfo ?? {};
  const g = (k: string): number | null => num(i[k]);
  const unacked = g('unacked');
  const mss = g('snd_mss');
  const derived: Record<string, number | null> = {
    in_flight: unacked === null || mss === null ? null : unacked * mss,
    recv_q: s.recvQ ?? null,
    send_q: s.sendQ ?? null,
  };
  return METRICS.map((m) => shown(m, m.field ? g(m.field) : (derived[m.key] ?? null)));
}

/** Sampling interval for the `sockscope.chart.sampleRate` setting (Hz), clamped to 0.1-10 Hz. */
export function sampleIntervalMs(rateHz: unknown): number {
  const hz = typeof rateHz === 'number' && Number.isFinite(rateHz) && rateHz > 0 ? rateHz : 1;
  return Math.round(1000 / Math.min(10, Math.max(0.1, hz)));
}
