// The chart's time window: which samples (by index) are shown for 1 min, 5 min or all.
import type { ChartWindow } from '../../protocol/webview-messages';

export const WINDOW_SECONDS: Record<ChartWindow, number> = { '1m': 60, '5m': 300, all: Infinity };

/** Index of the first sample within the window ending at the last sample (xs in seconds, ascending). */
export function windowStart(xs: readonly number[], window: ChartWindow): number {
  if (!xs.length || window === 'all') return 0;
  const from = xs[xs.length - 1] - WINDOW_SECONDS[window];
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] >= from) hi = mid; else lo = mid + 1;
  }
  return lo;
}
