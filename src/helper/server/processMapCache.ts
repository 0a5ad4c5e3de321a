// The process map (procmap.ts: one pass over /proc/*/fd) is the costliest part of a watch with
// processes on a busy machine (about a second at 100,000 descriptors). Watches share one map and
// rescan at most every 4 scan-durations, so the scan takes at most ~20% of a core; sockets newer
// than the map show no process until the next scan, then arrive as changed records.
import { readProcessMap, type ProcessMap } from '../procmap';

export class ProcessMapCache {
  private map: ProcessMap | undefined;
  private takenAt = 0;
  private lastScanMs = 0;

  constructor(private readonly read: () => ProcessMap = readProcessMap, private readonly now: () => number = Date.now) {}

  /** A fresh map unless one was taken less than `maxAgeMs` ago. */
  fresh(maxAgeMs = 250): ProcessMap {
    if (this.map && this.now() - this.takenAt < maxAgeMs) return this.map;
    const started = this.now();
    this.map = this.read();
    this.takenAt = this.now();
    this.lastScanMs = this.takenAt - started;
    return this.map;
  }

  /** For periodic work: reuses the map while it is younger than four times its scan took. */
  budgeted(): ProcessMap {
    return this.fresh(Math.max(250, 4 * this.lastScanMs));
  }
}
