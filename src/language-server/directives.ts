// Completion and hover on threshold directive lines (`@warn p99(rtt) > 200ms`, spec section 5).
// The words, fields and units come from src/ssq (its field list is derived from src/fields), so
// what completion offers is what the parser takes.
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver/node';
import {
  AGGREGATES, COMPARISONS, HEALTH_FIELDS, HEALTH_FIELD_BY_NAME, UNITS, isDirectiveLine, toFieldUnit, unitsFor, formatFieldValue,
  type HealthUnit,
} from '../ssq';

const LEVEL_DOCS: Record<string, string> = {
  warn: 'The query is in **warn** when this holds (and no `@error` does): the status bar turns yellow, `sockscope check` exits 1 (WARNING), the exporter\'s `sockscope_query_state` is 1.',
  error: 'The query is in **error** when this holds: the status bar turns red, `sockscope check` exits 2 (CRITICAL), the exporter\'s `sockscope_query_state` is 2 and `/healthz` answers 503.',
};

const AGG_DOCS: Record<string, string> = {
  count: 'The number of sockets the query matches (0 when none: `@error count < 1` means "nobody listens").',
  sum: 'The sum of the field over the query\'s sockets.',
  max: 'The largest value of the field among the query\'s sockets.',
  min: 'The smallest value of the field among the query\'s sockets.',
  avg: 'The mean of the field over the query\'s sockets.',
  p50: 'The median (nearest rank) of the field over the query\'s sockets.',
  p90: 'The 90th percentile (nearest rank) of the field over the query\'s sockets.',
  p99: 'The 99th percentile (nearest rank) of the field over the query\'s sockets.',
};

const CMP_DOCS: Record<string, string> = {
  '>': 'holds when the measure is greater than the limit', '>=': 'holds when the measure is at least the limit',
  '<': 'holds when the measure is less than the limit', '<=': 'holds when the measure is at most the limit',
};

const UNIT_NAMES: Record<HealthUnit, string> = { us: 'microseconds', ms: 'milliseconds', bytes: 'bytes', 'bytes/s': 'bytes per second', count: 'a count' };

const AGGREGATE_NOTE = 'Aggregates over no sockets are `ok` (and say so); sockets without the field (no tcp_info: udp, unix) are left out.';

function fieldMarkdown(name: string): string | undefined {
  const f = HEALTH_FIELD_BY_NAME.get(name);
  if (!f) return undefined;
  return `**${f.name}** (${f.source === 'queue' ? 'the diag message' : 'tcp_info'}, in ${UNIT_NAMES[f.unit]}; units ${unitsFor(f.unit).map((u) => `\`${u}\``).join(', ')})\n\n${f.doc}`;
}

function item(label: string, kind: CompletionItemKind, sort: string, detail: string, doc?: string, insert?: string): CompletionItem {
  const it: CompletionItem = { label, kind, sortText: `${sort}_${label}`, detail };
  if (doc) it.documentation = { kind: 'markdown', value: doc };
  if (insert) it.insertText = insert;
  return it;
}

export interface DirectiveCompletion {
  items: CompletionItem[];
  /** Characters before the cursor that the chosen item replaces. */
  prefixLength: number;
}

/** Completion on a directive line, given the line's text before the cursor; undefined when it is no directive line. */
export function directiveCompletion(lineBefore: string): DirectiveCompletion | undefined {
  if (!/^\s*@/.test(lineBefore)) return undefined;
  const text = lineBefore.trimStart();
  // @LEVEL being typed
  let m = /^@([A-Za-z]*)$/.exec(text);
  if (m) {
    return {
      prefixLength: m[0].length,
      items: ['warn', 'error'].map((l) => item(`@${l}`, CompletionItemKind.Keyword, l === 'warn' ? '0' : '1', `threshold level ${l}`, LEVEL_DOCS[l])),
    };
  }
  // MEASURE being typed
  m = /^@\w+\s+([A-Za-z0-9]*)$/.exec(text);
  if (m) {
    return {
      prefixLength: m[1].length,
      items: [
        item('count', CompletionItemKind.Function, '0', 'sockets the query matches', AGG_DOCS.count),
        ...AGGREGATES.map((a) => item(`${a}(…)`, CompletionItemKind.Function, '1', `${a} of a field`, `${AGG_DOCS[a]}\n\n${AGGREGATE_NOTE}`, `${a}(`)),
      ],
    };
  }
  // FIELD inside AGG(
  m = /^@\w+\s+\w+\s*\(\s*([A-Za-z0-9_]*)$/.exec(text);
  if (m) {
    return {
      prefixLength: m[1].length,
      items: HEALTH_FIELDS.map((f, i) => item(f.name, CompletionItemKind.Field, f.source === 'queue' || f.name === 'rtt' || f.name === 'retrans' ? '0' : `1${String(i).padStart(3, '0')}`,
        `${f.source === 'queue' ? 'queue' : 'tcp_info'}, ${UNIT_NAMES[f.unit]}`, fieldMarkdown(f.name), `${f.name})`)),
    };
  }
  // CMP after a complete measure
  m = /^@\w+\s+(?:count|\w+\s*\(\s*\w+\s*\))\s*([<>=]*)$/.exec(text);
  if (m) {
    return { prefixLength: m[1].length, items: COMPARISONS.map((c, i) => item(c, CompletionItemKind.Operator, String(i), CMP_DOCS[c])) };
  }
  // UNIT after NUMBER
  m = /^@\w+\s+(?:count|\w+\s*\(\s*(\w+)\s*\))\s*[<>]=?\s*\d+(?:\.\d+)?([A-Za-z]*)$/.exec(text);
  if (m) {
    const field = m[1] ? HEALTH_FIELD_BY_NAME.get(m[1]) : undefined;
    const unit: HealthUnit = m[1] ? field?.unit ?? 'count' : 'count';
    return {
      prefixLength: m[2].length,
      items: unitsFor(unit).map((u, i) => item(u, CompletionItemKind.Unit, String(i), UNITS[u].doc)),
    };
  }
  return { items: [], prefixLength: 0 };
}

/** Hover on a word of a directive line; `line` is the whole line and `col` the offset in it. */
export function directiveHover(line: string, col: number): { markdown: string; start: number; end: number } | undefined {
  if (!isDirectiveLine(line)) return undefined;
  const re = /@[A-Za-z]+|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?[A-Za-z]*|[<>=!]+/g;
  let m: RegExpExecArray | null;
  let index = 0;
  while ((m = re.exec(line))) {
    const start = m.index;
    const end = start + m[0].length;
    const w = m[0];
    const i = index++;
    if (col < start || col >= end) continue;
    if (w.startsWith('@')) {
      const doc = LEVEL_DOCS[w.slice(1)];
      return { markdown: doc ? `**@${w.slice(1)}** — threshold directive\n\n${doc}\n\n\`@warn|@error MEASURE CMP NUMBER[UNIT]\`` : `unknown directive \`${w}\` (\`@warn\` or \`@error\`)`, start, end };
    }
    if (AGG_DOCS[w] && i === 1) return { markdown: `**${w}**${w === 'count' ? '' : '(FIELD)'}\n\n${AGG_DOCS[w]}${w === 'count' ? '' : `\n\n${AGGREGATE_NOTE}`}`, start, end };
    const fd = fieldMarkdown(w);
    if (fd) return { markdown: fd, start, end };
    if (CMP_DOCS[w]) return { markdown: `**${w}** ${CMP_DOCS[w]}`, start, end };
    const num = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(w);
    if (num) {
      const field = /\(\s*(\w+)\s*\)/.exec(line)?.[1];
      const unit: HealthUnit = field ? HEALTH_FIELD_BY_NAME.get(field)?.unit ?? 'count' : 'count';
      if (num[2] && !UNITS[num[2]]) return undefined;
      const v = toFieldUnit(unit, Number(num[1]), num[2] || null);
      return { markdown: `**${w}** = ${v} ${UNIT_NAMES[unit]}${unit !== 'count' ? ` (${formatFieldValue(unit, v)})` : ''}`, start, end };
    }
    return undefined;
  }
  return undefined;
}
