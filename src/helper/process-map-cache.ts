// The process map shared by every request of the helper (live-process-map.ts). One-shot dumps read
// every descriptor (exact, about a second at 100,000 sockets); watches and lookups only bring the
// map up to date (new, exited and changed processes), then ask for the socket inodes it did not
// know, which are searched for on a CPU budget: such a socket shows its process from the next tick.
import { LiveProcessMap, type LiveProcessMapOptions } from '../host/live-process-map';
import type { ProcessMap } from '../host/process-map';

export class ProcessMapCache {
  readonly live: LiveProcessMap;
  private takenAt = Number.NEGATIVE_INFINITY;
  private fullAt = Number.NEGATIVE_INFINITY;

  constructor(options: LiveProcessMapOptions = {}, private readonly now: () => number = () => performance.now()) {
    this.live = new LiveProcessMap(options);
  }

  /** Every descriptor read again, unless that was done less than `maxAgeMs` ago. */
  fresh(maxAgeMs = 250): ProcessMap {
    const t = this.now();
    if (t - this.fullAt < maxAgeMs) return this.live.map;
    const map = this.live.full();
    this.fullAt = this.takenAt = this.now();
    return map;
  }

  /** Brought up to date (changed processes only), unless that was done less than `maxAgeMs` ago. */
  current(maxAgeMs = 250): ProcessMap {
    const t = this.now();
    if (t - this.takenAt < maxAgeMs) return this.live.map;
    const map = this.live.update();
    this.takenAt = this.now();
    return map;
  }

  /** Socket inodes a dump returned that the map did not know (searched for on a budget). */
  unknown(inodes: number[], exhaustive = false): void {
    if (inodes.length) this.live.resolve(inodes, exhaustive);
  }
}
