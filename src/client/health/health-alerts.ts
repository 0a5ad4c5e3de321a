// When a health check's crossing into warn or error deserves a notification: once per crossing,
// not once per refresh. A query notified at a level is notified again only after it has stayed
// below that level for `clearAfter` evaluations in a row (hysteresis), so a count that hovers around
// a threshold raises one notification, not one per refresh. Pure: no `vscode`, unit-tested.

export type HealthLevel = 'ok' | 'warn' | 'error';

const RANK: Record<HealthLevel, number> = { ok: 0, warn: 1, error: 2 };

export interface Crossing {
  key: string;
  level: 'warn' | 'error';
}

export class HealthAlerts {
  /** Per query: the level last notified, and how many evaluations in a row it has been below it. */
  private readonly notified = new Map<string, { rank: number; below: number }>();

  constructor(private readonly clearAfter = 3) {}

  /** Feeds one evaluation of every check; returns the crossings to notify. Checks not listed are forgotten. */
  update(states: ReadonlyArray<{ key: string; state: HealthLevel }>): Crossing[] {
    const out: Crossing[] = [];
    const seen = new Set<string>();
    for (const { key, state } of states) {
      seen.add(key);
      const rank = RANK[state];
      const e = this.notified.get(key) ?? { rank: 0, below: 0 };
      if (rank > e.rank) {
        out.push({ key, level: state as 'warn' | 'error' });
        e.rank = rank;
        e.below = 0;
      } else if (rank < e.rank) {
        if (++e.below >= this.clearAfter) { e.rank = rank; e.below = 0; }
      } else e.below = 0;
      this.notified.set(key, e);
    }
    for (const k of [...this.notified.keys()]) if (!seen.has(k)) this.notified.delete(k);
    return out;
  }
}
