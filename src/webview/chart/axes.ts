// Tick labels and axis sizes of the charts. Pure (no DOM) so it is unit-tested.
//
// x: uPlot's default time axis adds a second line with the date at each new minute; with one tick per
// few seconds those date lines run together ("12/1/26 9:11pm9:12pm"). We print one line, the clock
// time, and ask for ticks far enough apart for it (X_TICK_SPACE).
// y: a fixed axis width let long tick labels ("12.5", "1,500") run into the axis label ("Mbit/s"). The
// width follows the longest label, and labels are short (k/M/G above 10,000).

/** Minimum pixels between x ticks: a "HH:MM:SS" label at 12 px is about 60 px wide. */
export const X_TICK_SPACE = 80;
/** Pixels between the tick labels and the axis label, and the tick marks' length. */
export const Y_GAP = 6;

const pad = (n: number): string => String(n).padStart(2, '0');

/** "HH:MM:SS" (24-hour) for epoch seconds, in local time: one line, no date. */
export function clockLabel(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function xTickLabels(splits: readonly number[]): string[] {
  return splits.map(clockLabel);
}

/** A y tick: short enough for a narrow axis (10,000 and above as k, M, G), no trailing zeros. */
export function yTickLabel(v: number): string {
  const a = Math.abs(v);
  for (const [from, unit, suffix] of [[1e9, 1e9, 'G'], [1e6, 1e6, 'M'], [1e4, 1e3, 'k']] as const) {
    if (a >= from) return `${trim((v / unit).toFixed(1))}${suffix}`;
  }
  if (a === 0) return '0';
  if (a >= 100) return v.toFixed(0);
  if (a >= 1) return trim(v.toFixed(2));
  return trim(v.toPrecision(2));
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

export function yTickLabels(splits: readonly number[]): string[] {
  return splits.map(yTickLabel);
}

/** Axis width for its longest tick label: text width (measured by the caller) + tick + gap. */
export function yAxisSize(labels: readonly string[], measure: (text: string) => number, tickSize: number): number {
  const widest = labels.reduce((w, l) => Math.max(w, measure(l)), 0);
  return Math.ceil(widest + tickSize + Y_GAP * 2);
}
