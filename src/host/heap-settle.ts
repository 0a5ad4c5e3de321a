// A full garbage collection once a burst of one-off work is over. A view's first dump of 100,000
// sockets, the process map's seed and a recording's first batch (a row per socket) leave tens of MB of
// garbage; V8 collects it only when the heap next reaches its limit, which an idle helper refreshing
// every 2 s may not do for a long time, so the process keeps the burst's size (measured: 218 MiB,
// 165 MiB after one full collection, still 171 MiB 40 s later). Work is noted in units (sockets,
// rows); once `threshold` units have been noted, one collection runs `quietMs` after the last large
// note. Steady small changes never trigger it: V8's own collections handle those, but leave the pages
// they emptied committed: with the recorder and the findings reading a 100,000-socket view, 24 MiB of
// the helper's heap was free pages that one full collection gave back (77 MiB heap, 53 after). So,
// optionally, every `slackCheckMs` the heap's free committed space is read, and a collection runs when
// it passes `slackBytes`.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface HeapSettlerOptions {
  /** Units of work after which a collection is due (default 20,000). */
  threshold?: number;
  /** Quiet time after the last large note before it runs, ms (default 3000). */
  quietMs?: number;
  /** The collection (default: fullCollector()); undefined: the settler does nothing. */
  collect?: (() => void) | undefined;
  /** How often the heap's free committed space is checked, ms (default: never). */
  slackCheckMs?: number;
  /** Free committed heap space that calls for a collection at a check (default 16 MiB). */
  slackBytes?: number;
  /** The heap's committed and used bytes (default: V8's statistics; tests give their own). */
  heapSize?: () => { total: number; used: number };
}

/**
 * V8's full collection: `gc` when the runtime exposes it, else through --expose-gc set now, which
 * exposes `gc` to contexts created after (one is made here for it); undefined where neither works.
 */
export function fullCollector(options: { release?: boolean } = {}): (() => void) | undefined {
  let gc: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc');
    } catch {
      return undefined;
    }
  }
  if (typeof gc !== 'function') return undefined;
  const collect = gc as (options?: object) => void;
  if (!options.release) return () => collect();
  // `release`: 'last-resort' (V8 12) collects until nothing more is freed and gives the emptied pages
  // back (a plain major collection keeps them for the next allocations: 20 MB more of the writer
  // thread's RSS), at the cost of several collections in a row, so only where a pause is harmless
  // (the writer's thread). Older V8 does not collect in full for an options object: the plain call
  // after it does.
  return () => { collect({ type: 'major', execution: 'sync', flavor: 'last-resort' }); collect(); };
}

export class HeapSettler {
  private readonly threshold: number;
  private readonly quietMs: number;
  private readonly collect: (() => void) | undefined;
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private slackTimer: ReturnType<typeof setInterval> | undefined;
  /** Collections run so far (the tests read it). */
  runs = 0;

  constructor(options: HeapSettlerOptions = {}) {
    this.threshold = options.threshold ?? 20_000;
    this.quietMs = options.quietMs ?? 3000;
    this.collect = 'collect' in options ? options.collect : fullCollector();
    if (this.collect && options.slackCheckMs !== undefined) {
      const slack = options.slackBytes ?? 16 * 1024 * 1024;
      const heapSize = options.heapSize ?? ((): { total: number; used: number } => {
        const h = getHeapStatistics();
        return { total: h.total_heap_size, used: h.used_heap_size };
      });
      this.slackTimer = setInterval(() => {
        const h = heapSize();
        // A burst's collection is due anyway: not twice.
        if (this.timer === undefined && h.total - h.used >= slack) this.run();
      }, options.slackCheckMs);
      this.slackTimer.unref?.();
    }
  }

  private run(): void {
    this.pending = 0;
    this.runs++;
    this.collect?.();
  }

  /** `units` of one-off work were just done (sockets added or removed, rows written). */
  note(units: number): void {
    if (!this.collect || units <= 0) return;
    this.pending += units;
    // A note of a tenth of the threshold or more is part of the burst: the quiet time starts again.
    if (this.pending >= this.threshold && (this.timer === undefined || units * 10 >= this.threshold)) this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, this.quietMs);
    // A pending collection keeps no process alive.
    this.timer.unref?.();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    clearInterval(this.slackTimer);
    this.slackTimer = undefined;
  }
}
