// One analysis per document version: the ssq parser's SsqDocument plus a line map. Everything the
// server shows (diagnostics, fixes, tokens, symbols, folding, lenses, formatting) derives from it.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LineMap, parseDocument, type Range as SsqRange, type SsqDocument, type SsqDocumentQuery, type SsqResolver } from '../ssq';
import type { Position, Range } from 'vscode-languageserver/node';
import { analysisFingerprint, reparseIncrementally } from './incremental';

export interface Analysis {
  uri: string;
  version: number;
  doc: SsqDocument;
  lines: LineMap;
}

/**
 * Analyzes a document version. With the previous analysis of the same document, only the sections
 * an edit touched are parsed again (see incremental.ts); `verify` also parses everything and
 * reports a difference through `onMismatch` (then the full parse wins).
 */
export function analyze(
  td: TextDocument,
  resolver: SsqResolver | undefined,
  previous?: Analysis,
  verify?: { onMismatch: (message: string) => void },
): Analysis {
  const text = td.getText();
  const parse = (t: string): SsqDocument => parseText(t, resolver);
  let doc = previous && previous.uri === td.uri ? reparseIncrementally(previous.doc, text, parse) : undefined;
  if (doc && verify) {
    const full = parse(text);
    if (analysisFingerprint(full) !== analysisFingerprint(doc)) {
      verify.onMismatch(`incremental analysis mismatch for ${td.uri} v${td.version}`);
      doc = full;
    }
  }
  return { uri: td.uri, version: td.version, doc: doc ?? parse(text), lines: new LineMap(text) };
}

/** parseDocument, guarded: a parser bug must not take the server down. */
export function parseText(text: string, resolver: SsqResolver | undefined): SsqDocument {
  try {
    return parseDocument(text, resolver ? { resolver } : undefined);
  } catch (e) {
    return {
      text,
      queries: [],
      comments: [],
      diagnostics: [{ range: { start: 0, end: 0 }, severity: 'error', code: 'unsupported', message: `internal parser error: ${e instanceof Error ? e.message : String(e)}` }],
    };
  }
}

export function toPosition(a: Analysis, offset: number): Position {
  const lc = a.lines.at(offset);
  return { line: lc.line, character: lc.column };
}

export function toRange(a: Analysis, r: SsqRange): Range {
  return { start: toPosition(a, r.start), end: toPosition(a, r.end) };
}

export function toOffset(a: Analysis, p: Position): number {
  return a.lines.offsetAt({ line: p.line, column: p.character });
}

/** A range of the query's joined text, in document offsets. */
export function queryRangeToDocument(q: SsqDocumentQuery, r: SsqRange): SsqRange {
  const start = q.toDocumentOffset(r.start);
  const end = r.end > r.start ? q.toDocumentOffset(r.end - 1) + 1 : start;
  return { start, end };
}

/** The query whose section holds the offset (the last one starting at or before it). */
export function queryAt(a: Analysis, offset: number): SsqDocumentQuery | undefined {
  let found: SsqDocumentQuery | undefined;
  for (const q of a.doc.queries) {
    if (q.range.start <= offset) found = q;
    else break;
  }
  return found;
}
