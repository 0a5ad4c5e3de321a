// Document and range formatting through the ssq formatter (canonical portable ss form). Queries
// with errors are left exactly as written (formatDocument does that for the whole document).
import type { Range, TextEdit } from 'vscode-languageserver/node';
import { format, formatDocument, hasErrors, type SsqDocumentQuery, type SsqResolver } from '../ssq';
import { toOffset, toRange, type Analysis } from './analysis';

export function formatWhole(a: Analysis, resolver?: SsqResolver): TextEdit[] {
  let formatted: string;
  try {
    formatted = formatDocument(a.lines.text, resolver ? { resolver } : undefined);
  } catch {
    return [];
  }
  if (formatted === a.lines.text) return [];
  return [{ range: toRange(a, { start: 0, end: a.lines.text.length }), newText: formatted }];
}

/** Reformats the bodies of the queries the range touches (bodies with comment or directive lines inside are kept as is). */
export function formatRange(a: Analysis, range: Range): TextEdit[] {
  const start = toOffset(a, range.start);
  const end = toOffset(a, range.end);
  const edits: TextEdit[] = [];
  for (const q of a.doc.queries) {
    if (q.bodyRange.end < start || q.bodyRange.start > end) continue;
    const edit = formatBody(a, q);
    if (edit) edits.push(edit);
  }
  return edits;
}

function formatBody(a: Analysis, q: SsqDocumentQuery): TextEdit | undefined {
  if (hasErrors(q.parsed.diagnostics) || q.joinedText.trim() === '') return undefined;
  if (q.comments.some((c) => c.range.start > q.bodyRange.start && c.range.start < q.bodyRange.end)) return undefined;
  // A directive line between body lines would be replaced with them.
  if (q.directiveRanges.some((r) => r.start > q.bodyRange.start && r.start < q.bodyRange.end)) return undefined;
  let text: string;
  try {
    text = format(q.parsed);
  } catch {
    return undefined;
  }
  const current = a.lines.text.slice(q.bodyRange.start, q.bodyRange.end);
  if (text === current) return undefined;
  return { range: toRange(a, q.bodyRange), newText: text };
}
