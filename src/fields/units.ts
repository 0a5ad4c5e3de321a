// The units socket fields are counted in, and what each unit measures. A field's unit decides how
// every writer shows it (ss's text, the tree tooltip, the chart, hover docs) and which threshold
// units a `.ssq` directive may use with it (`@warn p99(rtt) > 200ms`).

/** The unit of a field's raw value, as the kernel reports it. */
export type FieldUnit =
  | 'us' | 'ms'
  | 'bytes' | 'bytes/s'
  | 'segments' | 'packets' | 'count'
  /** A bit set (the `flags` of the field say which bits ss names). */
  | 'flags'
  /** A small number that names something (a state, a mode, a window scale shift). */
  | 'enum'
  /** A sequence number or token: shown in hex by ss. */
  | 'seq';

/** What a unit measures: time, data, a rate of data, a number of things, or nothing to compare. */
export type FieldDimension = 'time' | 'data' | 'rate' | 'count' | 'none';

const DIMENSION: Readonly<Record<FieldUnit, FieldDimension>> = {
  us: 'time', ms: 'time', bytes: 'data', 'bytes/s': 'rate',
  segments: 'count', packets: 'count', count: 'count', flags: 'none', enum: 'none', seq: 'none',
};

export function dimensionOf(unit: FieldUnit): FieldDimension {
  return DIMENSION[unit];
}
