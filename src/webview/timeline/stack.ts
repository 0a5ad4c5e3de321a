// The timeline's stacking and brush arithmetic (pure, unit-tested). uPlot draws lines, not stacks: each
// state's series is drawn as the running sum of the states below it, filled down to the axis, top layer
// first so each lower layer paints over the one above; the legend reads the state's own counts.
import type { TimelineSeries } from '../../protocol/history-webview';

/** Bottom-to-top order: established and listeners at the bottom, the transient states above. */
export const STACK_ORDER = [
  'ESTAB', 'LISTEN', 'UNCONN', 'SYN-SENT', 'SYN-RECV', 'NEW-SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT',
  'LAST-ACK', 'CLOSING', 'TIME-WAIT', 'BOUND-INACTIVE', 'UNKNOWN',
] as const;

export interface Stacked {
  /** State names, bottom to top. */
  states: string[];
  /** Per state (same order) its own counts. */
  own: number[][];
  /** Per state the running sum up to and including it. */
  cumulative: number[][];
}

export function stack(s: TimelineSeries): Stacked {
  const rank = (name: string): number => { const i = (STACK_ORDER as readonly string[]).indexOf(name); return i < 0 ? STACK_ORDER.length : i; };
  const cols = [...s.states].sort((a, b) => rank(a.state) - rank(b.state));
  const running = new Array<number>(s.at.length).fill(0);
  const cumulative: number[][] = [];
  for (const c of cols) {
    for (let i = 0; i < running.length; i++) running[i] += c.counts[i] ?? 0;
    cumulative.push([...running]);
  }
  return { states: cols.map((c) => c.state), own: cols.map((c) => c.counts), cumulative };
}

/** What the brush chose: a moment (a click) or a range (a drag), in ms, clamped to the data's span. */
export type BrushChoice = { kind: 'moment'; at: number } | { kind: 'range'; from: number; to: number };

/** A drag narrower than this many px is a click. */
export const CLICK_PX = 3;

export function brushChoice(leftPx: number, widthPx: number, toTime: (px: number) => number, span: { from: number; to: number }): BrushChoice {
  const clamp = (t: number): number => Math.round(Math.min(span.to, Math.max(span.from, t)));
  if (widthPx < CLICK_PX) return { kind: 'moment', at: clamp(toTime(leftPx)) };
  const a = clamp(toTime(leftPx)), b = clamp(toTime(leftPx + widthPx));
  return a === b ? { kind: 'moment', at: a } : { kind: 'range', from: Math.min(a, b), to: Math.max(a, b) };
}

/** How many buckets to ask for: about one per 3 px of plot, within the protocol's bound. */
export function bucketsFor(widthPx: number, max: number): number {
  return Math.max(10, Math.min(max, Math.floor(widthPx / 3)));
}
