// Evaluating a query's thresholds over the sockets it matched (spec section 5): the measures
// (count, aggregates of a field), and the state: `error` when any @error holds, else `warn` when
// any @warn holds, else `ok`. Aggregates over no sockets are `ok`, and the result says so.
// Pure: the caller reads the fields of each socket (see src/host/query-set.ts).
import { HEALTH_FIELD_BY_NAME, formatFieldValue, type HealthUnit } from './health-fields';
import { measureKey, measureUnit, thresholdHolds, type Aggregate, type Measure, type Threshold } from './thresholds';

export const HEALTH_STATES = ['ok', 'warn', 'error'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** 0, 1, 2: the state's rank (also the exporter's gauge value). */
export function stateRank(s: HealthState): 0 | 1 | 2 {
  return s === 'ok' ? 0 : s === 'warn' ? 1 : 2;
}

export function worstState(states: Iterable<HealthState>): HealthState {
  let w: HealthState = 'ok';
  for (const s of states) if (stateRank(s) > stateRank(w)) w = s;
  return w;
}

export interface MeasureResult {
  /** `count`, `p99(rtt)`. */
  key: string;
  unit: HealthUnit;
  /** null: an aggregate over no sockets (that had the field). */
  value: number | null;
  /** The value as short text (`12.5ms`), or `no sockets`. */
  text: string;
}

export interface QueryHealth {
  state: HealthState;
  /** Sockets the query matched. */
  count: number;
  /** Each measure the thresholds name, in the order they are first named; `count` always first. */
  measures: MeasureResult[];
  /** The thresholds that hold (those that set the state and any lesser ones). */
  holding: Threshold[];
  /** Set when an aggregate had no sockets to aggregate: it counts as ok. */
  note?: string;
}

/** Every distinct measure of a set of thresholds, `count` first. */
export function measuresOf(thresholds: readonly Threshold[]): Measure[] {
  const out: Measure[] = [{ agg: 'count' }];
  const seen = new Set<string>(['count']);
  for (const t of thresholds) {
    const k = measureKey(t.measure);
    if (!seen.has(k)) { seen.add(k); out.push(t.measure); }
  }
  return out;
}

/** The fields these thresholds aggregate. */
export function fieldsOf(thresholds: readonly Threshold[]): string[] {
  const out = new Set<string>();
  for (const t of thresholds) if (t.measure.agg !== 'count') out.add(t.measure.field);
  return [...out];
}

/** An aggregate over values; null over none. Percentiles by nearest rank (sorts `values`). */
export function aggregate(agg: Aggregate, values: number[]): number | null {
  const n = values.length;
  if (n === 0) return null;
  switch (agg) {
    case 'sum': { let s = 0; for (const v of values) s += v; return s; }
    case 'avg': { let s = 0; for (const v of values) s += v; return s / n; }
    case 'max': { let m = -Infinity; for (const v of values) if (v > m) m = v; return m; }
    case 'min': { let m = Infinity; for (const v of values) if (v < m) m = v; return m; }
    default: {
      const q = agg === 'p50' ? 0.5 : agg === 'p90' ? 0.9 : 0.99;
      values.sort((a, b) => a - b);
      return values[Math.max(0, Math.ceil(q * n) - 1)];
    }
  }
}

/**
 * Collects what a query's thresholds need while a dump runs: the count, and each named field's
 * values (`extraFields` too, such as the exporter's rtt histogram). A socket without a field
 * (no tcp_info: udp, unix) adds no value for it.
 */
export class HealthAccumulator {
  count = 0;
  readonly fields: readonly string[];
  private readonly values: number[][];

  constructor(readonly thresholds: readonly Threshold[], extraFields: readonly string[] = []) {
    this.fields = [...new Set([...fieldsOf(thresholds), ...extraFields])];
    for (const f of this.fields) if (!HEALTH_FIELD_BY_NAME.has(f)) throw new Error(`unknown field ${f}`);
    this.values = this.fields.map(() => []);
  }

  /** Whether any field needs tcp_info (so the dump must ask for it). */
  get needsTcpInfo(): boolean {
    return this.fields.some((f) => HEALTH_FIELD_BY_NAME.get(f)!.source === 'tcp_info');
  }

  /** One matched socket; `read` gives a field's value, undefined when the socket has none. */
  add(read: (field: string) => number | undefined): void {
    this.count++;
    for (let i = 0; i < this.fields.length; i++) {
      const v = read(this.fields[i]);
      if (v !== undefined) this.values[i].push(v);
    }
  }

  /** The values collected for a field (in arrival order until a percentile sorts them). */
  valuesOf(field: string): number[] {
    const i = this.fields.indexOf(field);
    return i < 0 ? [] : this.values[i];
  }

  result(): QueryHealth {
    return evaluateThresholds(this.thresholds, this.count, (f) => this.valuesOf(f));
  }
}

/** The state of a query from its count and its fields' values. */
export function evaluateThresholds(thresholds: readonly Threshold[], count: number, valuesOf: (field: string) => number[]): QueryHealth {
  const measures: MeasureResult[] = [];
  const byKey = new Map<string, number | null>();
  let empty = false;
  for (const m of measuresOf(thresholds)) {
    const key = measureKey(m);
    const unit = measureUnit(m);
    const value = m.agg === 'count' ? count : aggregate(m.agg, [...valuesOf(m.field)]);
    if (value === null) empty = true;
    byKey.set(key, value);
    measures.push({ key, unit, value, text: value === null ? 'no sockets' : formatFieldValue(unit, value) });
  }
  const holding = thresholds.filter((t) => {
    const v = byKey.get(measureKey(t.measure));
    return v !== null && v !== undefined && thresholdHolds(t, v);
  });
  const state: HealthState = holding.some((t) => t.level === 'error') ? 'error' : holding.length ? 'warn' : 'ok';
  const out: QueryHealth = { state, count, measures, holding };
  if (empty) out.note = 'no sockets to aggregate: counted as ok';
  return out;
}
