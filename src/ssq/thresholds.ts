// Threshold directives of `.ssq` files (spec section 5): `@warn|@error MEASURE CMP NUMBER[UNIT]`
// lines inside a named query. They are not part of the ss query; ssq-document.ts keeps them out
// of the joined body, so `Copy as ss command`, the formatter's ss form and `ss -F` never see them.
import type { Diagnostic, Fix } from './diagnostics';
import { HEALTH_FIELDS, HEALTH_FIELD_BY_NAME, NON_QUANTITY_FIELDS, UNITS, toFieldUnit, unitFits, unitsFor, type HealthUnit } from './health-fields';
import { nearest } from './options';
import type { Range } from './text';

export const THRESHOLD_LEVELS = ['warn', 'error'] as const;
export type ThresholdLevel = (typeof THRESHOLD_LEVELS)[number];

export const AGGREGATES = ['sum', 'max', 'min', 'avg', 'p50', 'p90', 'p99'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];

export type Measure = { agg: 'count' } | { agg: Aggregate; field: string };

export interface Threshold {
  level: ThresholdLevel;
  measure: Measure;
  cmp: Comparison;
  /** The limit in the measure's own unit (rtt: microseconds). */
  value: number;
  /** The limit as written (`200ms`), for messages and check lines. */
  valueText: string;
  /** The directive's text without surrounding blanks, in document offsets. */
  range: Range;
}

/** `count`, `p99(rtt)`: how a measure is written, and its key in results and metrics. */
export function measureKey(m: Measure): string {
  return m.agg === 'count' ? 'count' : `${m.agg}(${m.field})`;
}

/** The unit of a measure's values: a count of sockets, or its field's unit. */
export function measureUnit(m: Measure): HealthUnit {
  return m.agg === 'count' ? 'count' : HEALTH_FIELD_BY_NAME.get(m.field)!.unit;
}

/** The canonical text of a directive (what the formatter writes). */
export function formatThreshold(t: Threshold): string {
  return `@${t.level} ${measureKey(t.measure)} ${t.cmp} ${t.valueText}`;
}

/** True when a trimmed line is a directive line (starts with `@` and a letter). */
export function isDirectiveLine(text: string): boolean {
  return /^\s*@[A-Za-z]/.test(text);
}

/** Whether a limit holds for a value. */
export function thresholdHolds(t: Threshold, v: number): boolean {
  switch (t.cmp) {
    case '>': return v > t.value;
    case '>=': return v >= t.value;
    case '<': return v < t.value;
    case '<=': return v <= t.value;
  }
}

interface Tok { text: string; start: number; end: number }

/** Words, numbers, `(`, `)` and runs of comparison characters, with document offsets. */
function tokenize(text: string, base: number): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:([A-Za-z_@][A-Za-z0-9_]*)|(\d+(?:\.\d+)?(?:[A-Za-z]+)?|\.\d+[A-Za-z]*)|([()])|([<>=!]+)|(\S))/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    const t = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5];
    if (t === undefined) break;
    const start = m.index + m[0].length - t.length;
    out.push({ text: t, start: base + start, end: base + start + t.length });
  }
  return out;
}

const CMP_FIX: Record<string, Comparison> = { '=>': '>=', '=<': '<=', '>>': '>', '<<': '<', '=': '>=', '==': '>=' };
const FIELD_NAMES = HEALTH_FIELDS.map((f) => f.name);
const MEASURE_WORDS = ['count', ...AGGREGATES];

/**
 * Parses one directive line (`text` starts at document offset `base`). Never throws; a directive
 * that does not parse yields its diagnostics (with their ranges) and no threshold.
 */
export function parseThreshold(text: string, base: number): { threshold: Threshold | null; diagnostics: Diagnostic[] } {
  const toks = tokenize(text, base);
  const lead = text.length - text.trimStart().length;
  const range: Range = { start: base + lead, end: base + text.trimEnd().length };
  const diags: Diagnostic[] = [];
  const fail = (r: Range, message: string, fixes?: Fix[]): { threshold: null; diagnostics: Diagnostic[] } => {
    diags.push({ range: { start: r.start, end: r.end }, severity: 'error', code: 'bad-directive', message, ...(fixes?.length ? { fixes } : {}) });
    return { threshold: null, diagnostics: diags };
  };
  const replace = (t: Tok, by: string): Fix[] => [{ title: `Change to \`${by}\``, edits: [{ range: { start: t.start, end: t.end }, newText: by }] }];
  const end: Range = { start: range.end, end: range.end };
  let i = 0;
  const at = (): Tok | undefined => toks[i];

  // @LEVEL
  const lv = toks[i++];
  const level = lv.text.slice(1);
  if (!(THRESHOLD_LEVELS as readonly string[]).includes(level)) {
    const near = nearest(level, THRESHOLD_LEVELS);
    return fail(lv, `unknown directive \`@${level}\` (expected \`@warn\` or \`@error\`)`, near ? replace(lv, `@${near}`) : undefined);
  }

  // MEASURE
  const mw = toks[i++];
  if (!mw) return fail(end, `expected a measure after \`@${level}\`: \`count\` or an aggregate such as \`p99(rtt)\``);
  let measure: Measure;
  if (mw.text === 'count') {
    measure = { agg: 'count' };
    if (at()?.text === '(') return fail({ start: at()!.start, end: at()!.end }, '`count` takes no field: it counts the query\'s sockets');
  } else if ((AGGREGATES as readonly string[]).includes(mw.text)) {
    const open = toks[i];
    if (open?.text !== '(') return fail(open ?? end, `expected \`(FIELD)\` after \`${mw.text}\`, as in \`${mw.text}(rtt)\``);
    i++;
    const f = toks[i++];
    if (!f || !/^[A-Za-z_]/.test(f.text)) return fail(f ?? end, `expected a field after \`${mw.text}(\`: recvQ, sendQ, rtt, retrans or another tcp_info field`);
    if (!HEALTH_FIELD_BY_NAME.has(f.text)) {
      const near = nearest(f.text.replace(/^tcpi_/, ''), FIELD_NAMES);
      const stripped = f.text.startsWith('tcpi_') && HEALTH_FIELD_BY_NAME.has(f.text.slice(5));
      if (NON_QUANTITY_FIELDS.has(f.text)) return fail(f, `\`${f.text}\` names a state, a mode or a set of bits, not a quantity: it cannot be aggregated`);
      return fail(f, stripped ? `write tcp_info fields without \`tcpi_\`: \`${f.text.slice(5)}\`` : `unknown field \`${f.text}\`${near ? ` (did you mean \`${near}\`?)` : ''}`, near ? replace(f, near) : undefined);
    }
    const close = toks[i];
    if (close?.text !== ')') return fail(close ?? end, `expected \`)\` after \`${mw.text}(${f.text}\``, [{ title: 'Add `)`', edits: [{ range: { start: f.end, end: f.end }, newText: ')' }] }]);
    i++;
    measure = { agg: mw.text as Aggregate, field: f.text };
  } else {
    const near = nearest(mw.text, MEASURE_WORDS);
    const isField = HEALTH_FIELD_BY_NAME.has(mw.text);
    return fail(mw, isField
      ? `\`${mw.text}\` is a field: aggregate it, as in \`max(${mw.text})\` or \`p99(${mw.text})\``
      : `unknown measure \`${mw.text}\` (expected \`count\` or ${AGGREGATES.map((a) => `\`${a}(FIELD)\``).join(', ')})`,
    isField ? replace(mw, `max(${mw.text})`) : near ? replace(mw, near) : undefined);
  }
  const key = measureKey(measure);
  const unit = measureUnit(measure);

  // CMP
  const c = toks[i++];
  if (!c) return fail(end, `expected a comparison after \`${key}\`: \`>\`, \`>=\`, \`<\` or \`<=\``);
  if (!(COMPARISONS as readonly string[]).includes(c.text)) {
    const fix = CMP_FIX[c.text];
    return fail(c, /^[<>=!]+$/.test(c.text)
      ? `\`${c.text}\` is not a comparison a threshold takes (use \`>\`, \`>=\`, \`<\` or \`<=\`)`
      : `expected a comparison after \`${key}\`: \`>\`, \`>=\`, \`<\` or \`<=\``, fix ? replace(c, fix) : undefined);
  }
  const cmp = c.text as Comparison;

  // NUMBER[UNIT]
  const n = toks[i++];
  if (!n) return fail(end, `expected a number after \`${key} ${cmp}\``);
  const nm = /^(\d+(?:\.\d+)?|\.\d+)([A-Za-z]*)$/.exec(n.text);
  if (!nm) return fail(n, `expected a number after \`${key} ${cmp}\`, not \`${n.text}\``);
  let unitText = nm[2];
  let valueText = n.text;
  const next = toks[i];
  // `200 ms`: a unit separated from its number
  if (!unitText && next && UNITS[next.text] && i === toks.length - 1) {
    return fail({ start: n.start, end: next.end }, `write the unit right after the number: \`${n.text}${next.text}\``, [{ title: `Change to \`${n.text}${next.text}\``, edits: [{ range: { start: n.start, end: next.end }, newText: `${n.text}${next.text}` }] }]);
  }
  const unitRange: Range = { start: n.start + nm[1].length, end: n.end };
  if (unitText) {
    const fits = unitsFor(unit);
    if (!UNITS[unitText]) {
      const near = nearest(unitText, Object.keys(UNITS).filter((u) => fits.includes(u)));
      return fail(unitRange, `unknown unit \`${unitText}\` (${key} takes ${fits.map((u) => `\`${u}\``).join(', ')})`, near ? [{ title: `Change to \`${near}\``, edits: [{ range: unitRange, newText: near }] }] : undefined);
    }
    if (!unitFits(unit, unitText)) {
      return fail(unitRange, `unit \`${unitText}\` does not fit ${key}, which is in ${unitName(unit)} (use ${fits.map((u) => `\`${u}\``).join(', ')})`);
    }
  } else unitText = '';
  valueText = nm[1] + unitText;
  if (next) return fail({ start: next.start, end: toks[toks.length - 1].end }, `unexpected \`${next.text}\` after the threshold`);
  const value = toFieldUnit(unit, Number(nm[1]), unitText || null);
  return { threshold: { level, measure, cmp, value, valueText, range } as Threshold, diagnostics: diags };
}

function unitName(u: HealthUnit): string {
  switch (u) {
    case 'us': return 'microseconds';
    case 'ms': return 'milliseconds';
    case 'bytes': return 'bytes';
    case 'bytes/s': return 'bytes per second';
    case 'count': return 'a plain count';
  }
}
