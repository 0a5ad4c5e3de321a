// The process map shared by every request of the helper (live-process-map.ts). One-shot dumps read
// every descriptor (exact, about a second at 100,000 sockets); watches and lookups only bring the
// map up to date (new, exited and changed processes), then ask for the socket inodes it did not
// know, which are searched for on a CPU budget: such a socket shows its process from the next tick.
import { LiveProcessMap, type LiveProcessMapOptions } from '../host/live-process-map';
import { ProcessMapJob, type ProcessMap } from '../host/process-map';

/** How often warm() looks whether its worker is done. */
const WARM_POLL_MS = 50;

export class ProcessMapCache {
  readonly live: LiveProcessMap;
  private takenAt = Number.NEGATIVE_INFINITY;
  private fullAt = Number.NEGATIVE_INFINITY;
  /** The first read of every descriptor, started by warm() on a worker thread. */
  private job: ProcessMapJob | undefined;

  constructor(private readonly options: LiveProcessMapOptions = {}, private readonly now: () => number = () => performance.now()) {
    this.live = new LiveProcessMap(options);
  }

  /**
   * Starts reading every descriptor on a worker thread (the helper does at start): the first view
   * then finds the map read, or reads the rest itself next to the worker, instead of reading
   * 100,000 links alone after its first dump.
   */
  warm(): void {
    if (this.job || this.takenAt !== Number.NEGATIVE_INFINITY) return;
    const job = new ProcessMapJob(this.options.procRoot);
    this.job = job;
    // Merged as soon as the worker is done, while the helper is idle, not when the first view asks.
    const poll = (): void => {
      if (this.job !== job) return;
      if (!job.done) { setTimeout(poll, WARM_POLL_MS).unref(); return; }
      this.seeded();
    };
    setTimeout(poll, WARM_POLL_MS).unref();
  }

  /** The warm-up's map as the live map's first state (joining the worker if it is still reading). */
  private seeded(): void {
    if (!this.job) return;
    const map = this.job.join();
    this.job = undefined;
    this.live.seed(map);
  }

  /** Every descriptor read again, unless that was done less than `maxAgeMs` ago. */
  fresh(maxAgeMs = 250): ProcessMap {
    const t = this.now();
    if (t - this.fullAt < maxAgeMs) return this.live.map;
    this.seeded();
    const map = this.live.full();
    this.fullAt = this.takenAt = this.now();
    return map;
  }

  /** Brought up to date (changed processes only), unless that was done less than `maxAgeMs` ago. */
  current(maxAgeMs = 250): ProcessMap {
    const t = this.now();
    if (t - this.takenAt < maxAgeMs) return this.live.map;
    this.seeded();
    const map = this.live.update();
    this.takenAt = this.now();
    return map;
  }

  /** Socket inodes a dump returned that the map did not know (searched for on a budget). */
  unknown(inodes: number[], exhaustive = false): void {
    if (inodes.length) this.live.resolve(inodes, exhaustive);
  }
}
