// `.ssq` documents (spec section 4): `[name]` headers, `#` comment lines, multi-line bodies
// joined with spaces, an unnamed leading query, pasted `ss ...` lines.
import type { Diagnostic } from './diagnostics';
import type { SsqComment, SsqDocument, SsqDocumentQuery } from './document';
import { format } from './format';
import { parseQuery } from './parser';
import type { ParseOptions } from './query';
import type { Range } from './text';
import { formatThreshold, isDirectiveLine, parseThreshold, type Threshold } from './thresholds';

const HEADER = /^\s*\[([^\][:]*)\]\s*$/;

interface Line {
  start: number;
  end: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const e = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    lines.push({ start, end: e, text: text.slice(start, e) });
    if (nl < 0) break;
    start = nl + 1;
  }
  return lines;
}

interface Section {
  header: Line | null;
  name: string | null;
  nameRange: Range | null;
  body: Line[];
  comments: SsqComment[];
  /** Threshold directive lines (spec section 5), kept apart from the ss query's body. */
  directives: Line[];
  lastLineEnd: number;
}

/** Segments of a joined body: joined offset `j` .. `j + len` came from document offset `d`. */
interface Directives { thresholds: Threshold[]; ranges: Range[]; diagnostics: Diagnostic[] }

function parseDirectives(sec: Section): Directives {
  const out: Directives = { thresholds: [], ranges: [], diagnostics: [] };
  for (const l of sec.directives) {
    const lead = l.text.length - l.text.trimStart().length;
    const range = { start: l.start + lead, end: l.start + l.text.trimEnd().length };
    out.ranges.push(range);
    if (sec.name === null) {
      out.diagnostics.push({
        range, severity: 'error', code: 'directive-outside-query',
        message: 'a threshold directive belongs inside a named query: put a `[name]` header above it',
        fixes: [{ title: 'Add a `[health]` header above', edits: [{ range: { start: l.start, end: l.start }, newText: '[health]\n' }] }],
      });
      continue;
    }
    const r = parseThreshold(l.text, l.start);
    if (r.threshold) out.thresholds.push(r.threshold);
    out.diagnostics.push(...r.diagnostics);
  }
  return out;
}

function makeQuery(sec: Section, opts: ParseOptions | undefined, directives: Directives = parseDirectives(sec)): SsqDocumentQuery {
  const segs: { j: number; d: number; len: number }[] = [];
  let joined = '';
  for (const l of sec.body) {
    if (joined.length) joined += ' ';
    segs.push({ j: joined.length, d: l.start, len: l.text.length });
    joined += l.text;
  }
  const toDoc = (o: number): number => {
    if (!segs.length) return sec.header ? sec.header.end : 0;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].j <= o) lo = mid;
      else hi = mid - 1;
    }
    const s = segs[lo];
    return s.d + Math.min(Math.max(o - s.j, 0), s.len);
  };
  const parsed = parseQuery(joined, opts);
  const first = sec.body[0];
  const last = sec.body[sec.body.length - 1];
  const bodyRange: Range = first ? { start: first.start, end: last.end } : { start: sec.header ? sec.header.end : 0, end: sec.header ? sec.header.end : 0 };
  const start = sec.header ? sec.header.start : first ? first.start : 0;
  return {
    name: sec.name,
    nameRange: sec.nameRange,
    headerRange: sec.header ? { start: sec.header.start, end: sec.header.end } : null,
    bodyRange,
    range: { start, end: Math.max(bodyRange.end, sec.header ? sec.header.end : 0, sec.lastLineEnd) },
    joinedText: joined,
    parsed,
    toDocumentOffset: toDoc,
    comments: sec.comments,
    thresholds: directives.thresholds,
    directiveRanges: directives.ranges,
  };
}

function mapRange(q: SsqDocumentQuery, r: Range): Range {
  const start = q.toDocumentOffset(r.start);
  const end = r.end > r.start ? q.toDocumentOffset(r.end - 1) + 1 : start;
  return { start, end: Math.max(start, end) };
}

function sections(text: string): { secs: Section[]; comments: SsqComment[] } {
  const secs: Section[] = [];
  const comments: SsqComment[] = [];
  let cur: Section = { header: null, name: null, nameRange: null, body: [], comments: [], directives: [], lastLineEnd: 0 };
  for (const l of splitLines(text)) {
    const trimmed = l.text.trim();
    if (trimmed.startsWith('#')) {
      const c = { text: l.text, range: { start: l.start, end: l.end } };
      comments.push(c);
      cur.comments.push(c);
      continue;
    }
    const h = HEADER.exec(l.text);
    if (h) {
      if (cur.header || cur.body.length || cur.directives.length) secs.push(cur);
      const open = l.text.indexOf('[');
      const raw = h[1];
      const lead = raw.length - raw.trimStart().length;
      const name = raw.trim();
      cur = { header: l, name, nameRange: { start: l.start + open + 1 + lead, end: l.start + open + 1 + lead + name.length }, body: [], comments: [], directives: [], lastLineEnd: l.end };
      continue;
    }
    if (trimmed === '') continue;
    // Before the first header only `@warn`/`@error` count (to say they belong in a named query):
    // a plain `ss -F` file's line may start with an abstract unix name (`@name`).
    if (isDirectiveLine(l.text) && (cur.header !== null || /^\s*@(warn|error)(\s|$)/.test(l.text))) {
      cur.directives.push(l);
      cur.lastLineEnd = l.end;
      continue;
    }
    cur.body.push(l);
    cur.lastLineEnd = l.end;
  }
  if (cur.header || cur.body.length || cur.directives.length) secs.push(cur);
  return { secs, comments };
}

/** Parses a whole `.ssq` file. Never throws; all diagnostics are in document offsets. */
export function parseDocument(text: string, opts?: ParseOptions): SsqDocument {
  const { secs, comments } = sections(text);
  const queries: SsqDocumentQuery[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, SsqDocumentQuery>();
  for (const sec of secs) {
    const directives = parseDirectives(sec);
    const q = makeQuery(sec, opts, directives);
    queries.push(q);
    diagnostics.push(...directives.diagnostics);
    for (const d of q.parsed.diagnostics) {
      diagnostics.push({
        ...d,
        range: mapRange(q, d.range),
        fixes: d.fixes?.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ range: mapRange(q, e.range), newText: e.newText })) })),
      });
    }
    if (q.name !== null && q.nameRange) {
      if (q.name === '') diagnostics.push({ range: q.headerRange ?? q.nameRange, severity: 'error', code: 'syntax', message: 'a query name cannot be empty' });
      const prev = seen.get(q.name);
      if (prev) {
        diagnostics.push({ range: q.nameRange, severity: 'error', code: 'duplicate-name', message: `duplicate query name \`${q.name}\` (names must be unique in a file)` });
      } else seen.set(q.name, q);
    }
    // A section of directives alone before the first header already has its error.
    if (!q.joinedText.trim() && (sec.header || !sec.directives.length)) {
      diagnostics.push({ range: q.headerRange ?? q.bodyRange, severity: 'warning', code: 'empty-query', message: q.name !== null ? `query \`${q.name}\` is empty` : 'empty query' });
    }
  }
  diagnostics.sort((a, b) => a.range.start - b.range.start);
  return { text, queries, comments, diagnostics };
}

/**
 * An `ss -F FILE` filter file: the expression only (no options or state words), lines starting
 * with `#` skipped, the rest joined with spaces. Diagnostics are in file offsets.
 */
export function parseFilterFile(text: string, opts?: ParseOptions): { query: SsqDocumentQuery; diagnostics: Diagnostic[] } {
  const body = splitLines(text).filter((l) => !l.text.startsWith('#') && l.text.trim() !== '');
  const query = makeQuery({ header: null, name: null, nameRange: null, body, comments: [], directives: [], lastLineEnd: body.length ? body[body.length - 1].end : 0 }, { ...opts, expressionOnly: true });
  const diagnostics = query.parsed.diagnostics.map((d) => ({
    ...d,
    range: mapRange(query, d.range),
    fixes: d.fixes?.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ range: mapRange(query, e.range), newText: e.newText })) })),
  }));
  return { query, diagnostics };
}

/**
 * Formats a document: headers as `[name]`, each error-free body as one canonical line, comments,
 * directive lines and blank lines kept in place (comments and directives inside a body come before
 * its formatted line; a directive that parses in its canonical spelling). Queries with errors are
 * left exactly as written.
 */
export function formatDocument(text: string, opts?: ParseOptions): string {
  const lines = splitLines(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const { secs } = sections(text);
  const replace = new Map<number, string | null>();
  for (const sec of secs) {
    const directives = parseDirectives(sec);
    const q = makeQuery(sec, opts, directives);
    if (sec.header && sec.name !== null) replace.set(sec.header.start, `[${sec.name}]`);
    if (sec.name !== null) {
      sec.directives.forEach((l) => {
        const t = directives.thresholds.find((th) => th.range.start >= l.start && th.range.end <= l.end);
        if (t) replace.set(l.start, formatThreshold(t));
      });
    }
    if (!sec.body.length || q.parsed.diagnostics.some((d) => d.severity === 'error')) continue;
    const f = format(q.parsed);
    sec.body.forEach((l, i) => replace.set(l.start, i === sec.body.length - 1 ? f : null));
  }
  const out: string[] = [];
  for (const l of lines) {
    const r = replace.get(l.start);
    if (r === undefined) out.push(l.text.trim() === '' ? '' : l.text);
    else if (r !== null) out.push(r);
  }
  return out.join(eol);
}
