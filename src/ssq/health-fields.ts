// The socket fields a threshold directive can aggregate (spec section 5), each with the unit the
// kernel reports it in: recvQ/sendQ from the diag message, then every struct tcp_info field that
// measures something, by its kernel name without `tcpi_`. Derived from src/fields (the one
// description of tcp_info); states, modes and bit sets (`state`, `options`, `ca_state`) are not
// quantities and cannot be aggregated.
import { TCP_INFO_FIELDS, dimensionOf, type FieldUnit } from '../fields/index';

/** How a threshold field's numbers are measured: the unit a bare number is in. */
export type HealthUnit = 'us' | 'ms' | 'bytes' | 'bytes/s' | 'count';

export interface HealthField {
  readonly name: string;
  readonly unit: HealthUnit;
  /** One line for hover and completion. */
  readonly doc: string;
  /** Where the value comes from: the diag message itself, or tcp_info (tcp sockets dumped with -i). */
  readonly source: 'queue' | 'tcp_info';
}

function healthUnit(u: FieldUnit): HealthUnit | null {
  if (u === 'us' || u === 'ms' || u === 'bytes' || u === 'bytes/s') return u;
  return dimensionOf(u) === 'count' ? 'count' : null;
}

/** Every field, the two queue sizes first, then tcp_info's quantities in the kernel's order. */
export const HEALTH_FIELDS: readonly HealthField[] = [
  { name: 'recvQ', unit: 'bytes', source: 'queue', doc: 'Recv-Q as ss prints it: unread bytes; for a listener, connections waiting in the accept queue.' },
  { name: 'sendQ', unit: 'bytes', source: 'queue', doc: 'Send-Q as ss prints it: unacknowledged bytes; for a listener, the accept backlog.' },
  ...TCP_INFO_FIELDS.flatMap((f): HealthField[] => {
    const unit = healthUnit(f.unit);
    return unit ? [{ name: f.name, unit, source: 'tcp_info', doc: f.description }] : [];
  }),
];

/** tcp_info fields that name a state, a mode or a set of bits: there is nothing to aggregate. */
export const NON_QUANTITY_FIELDS: ReadonlySet<string> = new Set(TCP_INFO_FIELDS.filter((f) => healthUnit(f.unit) === null).map((f) => f.name));

export const HEALTH_FIELD_BY_NAME: ReadonlyMap<string, HealthField> = new Map(HEALTH_FIELDS.map((f) => [f.name, f]));

/** Units a number may carry, each with its factor to its base (us for times, bytes, 1 for counts). */
export const UNITS: Readonly<Record<string, { kind: 'time' | 'count' | 'bytes'; toBase: number; doc: string }>> = {
  us: { kind: 'time', toBase: 1, doc: 'microseconds' },
  ms: { kind: 'time', toBase: 1000, doc: 'milliseconds' },
  s: { kind: 'time', toBase: 1_000_000, doc: 'seconds' },
  k: { kind: 'count', toBase: 1000, doc: 'thousand' },
  M: { kind: 'count', toBase: 1_000_000, doc: 'million' },
  G: { kind: 'count', toBase: 1_000_000_000, doc: 'billion' },
  KiB: { kind: 'bytes', toBase: 1024, doc: 'kibibytes (1024 bytes)' },
  MiB: { kind: 'bytes', toBase: 1024 * 1024, doc: 'mebibytes (1024 KiB)' },
};

/** Which unit kinds fit a field: counts take k/M/G; bytes and rates also KiB/MiB; times take us/ms/s. */
export function unitFits(field: HealthUnit, unit: string): boolean {
  const u = UNITS[unit];
  if (!u) return false;
  if (field === 'us' || field === 'ms') return u.kind === 'time';
  if (field === 'count') return u.kind === 'count';
  return u.kind === 'count' || u.kind === 'bytes';
}

/** A number in `unit` converted to the field's own unit (ms fields: 1s = 1000). */
export function toFieldUnit(field: HealthUnit, value: number, unit: string | null): number {
  if (unit === null) return value;
  const f = UNITS[unit].toBase;
  return field === 'ms' ? (value * f) / 1000 : value * f;
}

/** The units that fit a field, for messages and completion. */
export function unitsFor(field: HealthUnit): string[] {
  return Object.keys(UNITS).filter((u) => unitFits(field, u));
}

/** A value in a field's unit as short text: `12.5ms`, `3.2MiB`, `850`. */
export function formatFieldValue(field: HealthUnit, v: number): string {
  const round = (x: number): string => String(Math.round(x * 100) / 100);
  if (field === 'us' || field === 'ms') {
    const us = field === 'ms' ? v * 1000 : v;
    if (us >= 1_000_000) return `${round(us / 1_000_000)}s`;
    if (us >= 1000) return `${round(us / 1000)}ms`;
    return `${round(us)}us`;
  }
  if (field === 'bytes' || field === 'bytes/s') {
    const per = field === 'bytes/s' ? '/s' : '';
    if (v >= 1024 * 1024) return `${round(v / (1024 * 1024))}MiB${per}`;
    if (v >= 1024) return `${round(v / 1024)}KiB${per}`;
    return `${round(v)}B${per}`;
  }
  return round(v);
}
