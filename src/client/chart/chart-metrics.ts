// tcp_info -> chart metric vectors in the units the charts show. Pure (no vscode).
import type { Counter, SocketRecord } from '../../protocol/socket-record';
import { METRICS } from '../../protocol/webview-messages';

function num(v: Counter | undefined): number | null {
  if (v === undefined || v === 'unlimited') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

const ms = (us: number | null): number | null => (us === null ? null : us / 1000);
const mbit = (bytesPerSecond: number | null): number | null => (bytesPerSecond === null ? null : (bytesPerSecond * 8) / 1e6);

/** One value per entry of METRICS, in that order. */
export function metricVector(s: SocketRecord): Array<number | null> {
  const i = s.tcpInfo ?? {};
  const g = (k: string): number | null => num(i[k]);
  const unacked = g('unacked');
  const mss = g('snd_mss');
  const minRtt = g('min_rtt');
  const ssthresh = g('snd_ssthresh');
  const byKey: Record<string, number | null> = {
    rtt: ms(g('rtt')),
    rttvar: ms(g('rttvar')),
    min_rtt: minRtt === null || minRtt >= 0xffffffff ? null : ms(minRtt),
    cwnd: g('snd_cwnd'),
    ssthresh: ssthresh === null || ssthresh >= 0x7fffffff ? null : ssthresh,
    in_flight: unacked === null || mss === null ? null : unacked * mss,
    notsent: g('notsent_bytes'),
    delivery_rate: mbit(g('delivery_rate')),
    pacing_rate: mbit(g('pacing_rate')),
    total_retrans: g('total_retrans'),
    lost: g('lost'),
    recv_q: s.recvQ,
    send_q: s.sendQ,
  };
  return METRICS.map((m) => byKey[m.key] ?? null);
}

/** Sampling interval for the `sockscope.chart.sampleRate` setting (Hz), clamped to 0.1-10 Hz. */
export function sampleIntervalMs(rateHz: unknown): number {
  const hz = typeof rateHz === 'number' && Number.isFinite(rateHz) && rateHz > 0 ? rateHz : 1;
  return Math.round(1000 / Math.min(10, Math.max(0.1, hz)));
}
