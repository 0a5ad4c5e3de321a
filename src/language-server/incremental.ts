// Re-analysis after an edit without re-parsing the whole document: the sections (`[name]` + body)
// the edit touched are cut out of the text along the boundaries the previous parseDocument found,
// parsed with the same parseDocument, and spliced between the unchanged sections (shifted).
// Whenever that could differ from a full parse (the first header of the slice gone, a name in the
// slice also used outside it, duplicate names anywhere), it returns undefined: the caller parses all.
import type { Diagnostic, Range, SsqComment, SsqDocument, SsqDocumentQuery } from '../ssq';

const shiftRange = (r: Range, by: number): Range => ({ start: r.start + by, end: r.end + by });
const shiftNullable = (r: Range | null, by: number): Range | null => (r ? shiftRange(r, by) : null);
const shiftComment = (c: SsqComment, by: number): SsqComment => ({ text: c.text, range: shiftRange(c.range, by) });

function shiftQuery(q: SsqDocumentQuery, by: number): SsqDocumentQuery {
  if (by === 0) return q;
  const inner = q.toDocumentOffset;
  return {
    ...q,
    nameRange: shiftNullable(q.nameRange, by),
    headerRange: shiftNullable(q.headerRange, by),
    bodyRange: shiftRange(q.bodyRange, by),
    range: shiftRange(q.range, by),
    toDocumentOffset: (o) => inner(o) + by,
    comments: q.comments.map((c) => shiftComment(c, by)),
  };
}

function shiftDiagnostic(d: Diagnostic, by: number): Diagnostic {
  if (by === 0) return d;
  return {
    ...d,
    range: shiftRange(d.range, by),
    fixes: d.fixes?.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ range: shiftRange(e.range, by), newText: e.newText })) })),
  };
}

/** Offset where section i starts: its header line, or 0 for the first section. */
const sectionStart = (doc: SsqDocument, i: number): number => (i === 0 ? 0 : doc.queries[i].headerRange?.start ?? -1);

export function reparseIncrementally(old: SsqDocument, text: string, parse: (text: string) => SsqDocument): SsqDocument | undefined {
  const prev = old.text;
  const n = old.queries.length;
  if (n < 4 || old.diagnostics.some((d) => d.code === 'duplicate-name')) return undefined;
  // The changed region: [p, prev.length - s) in the old text, [p, text.length - s) in the new one.
  const max = Math.min(prev.length, text.length);
  let p = 0;
  while (p < max && prev.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && prev.charCodeAt(prev.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  const oldEnd = prev.length - s;
  const delta = text.length - prev.length;
  // Sections i..j (by their start offsets) must cover the change; the next section's header and the
  // newline before it must be untouched, and section i's own header line must stay a header.
  let i = 0;
  while (i + 1 < n && sectionStart(old, i + 1) >= 0 && sectionStart(old, i + 1) < p) i++;
  // Include the previous section when the change begins on section i's header line itself.
  if (i > 0 && old.queries[i].headerRange && p <= old.queries[i].headerRange!.end) i--;
  let j = i;
  while (j + 1 < n && sectionStart(old, j + 1) - 1 <= oldEnd) j++;
  if (j + 1 >= n && i === 0) return undefined;
  const start = sectionStart(old, i);
  const end = j + 1 < n ? sectionStart(old, j + 1) : prev.length;
  if (start < 0 || end < 0) return undefined;
  const slice = parse(text.slice(start, end + delta));
  // Section i must still start with its header; sections may appear, vanish or be renamed inside
  // the slice as long as no name in it is also used outside (duplicates are a whole-document check).
  if (i > 0 && slice.queries[0]?.headerRange?.start !== 0) return undefined;
  const outside = new Set<string>();
  for (let k = 0; k < n; k++) {
    const name = old.queries[k].name;
    if ((k < i || k > j) && name !== null) outside.add(name);
  }
  if (slice.queries.some((q) => q.name !== null && outside.has(q.name))) return undefined;
  const queries = [
    ...old.queries.slice(0, i),
    ...slice.queries.map((q) => shiftQuery(q, start)),
    ...old.queries.slice(j + 1).map((q) => shiftQuery(q, delta)),
  ];
  const inOld = (r: Range, a: number, b: number): boolean => r.start >= a && r.start < b;
  const diagnostics = [
    ...old.diagnostics.filter((d) => d.range.start < start),
    ...slice.diagnostics.map((d) => shiftDiagnostic(d, start)),
    ...old.diagnostics.filter((d) => d.range.start >= end).map((d) => shiftDiagnostic(d, delta)),
  ];
  const comments = [
    ...old.comments.filter((c) => c.range.start < start),
    ...slice.comments.map((c) => shiftComment(c, start)),
    ...old.comments.filter((c) => !inOld(c.range, 0, end)).map((c) => shiftComment(c, delta)),
  ];
  return { text, queries, comments, diagnostics };
}

/** A comparable summary of a document's analysis (for the verification mode and tests). */
export function analysisFingerprint(doc: SsqDocument): string {
  return JSON.stringify({
    diagnostics: doc.diagnostics,
    comments: doc.comments,
    queries: doc.queries.map((q) => [q.name, q.nameRange, q.headerRange, q.bodyRange, q.range, q.joinedText, q.toDocumentOffset(0), q.toDocumentOffset(q.joinedText.length)]),
  });
}
