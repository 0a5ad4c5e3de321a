// `.ssq` documents: named queries, comments, pasted command lines (spec section 4).
import type { Diagnostic } from './diagnostics';
import type { ParsedQuery } from './query';
import type { Range } from './text';
import type { Threshold } from './thresholds';

export interface SsqComment {
  text: string;
  range: Range;
}

export interface SsqDocumentQuery {
  /** null for the unnamed leading query. */
  name: string | null;
  /** Range of the name inside the brackets; null when unnamed. */
  nameRange: Range | null;
  /** Range of the whole `[name]` header line; null when unnamed. */
  headerRange: Range | null;
  /** Range from the first to the last body character (empty at the header end when empty). */
  bodyRange: Range;
  /** Whole section: header through body. */
  range: Range;
  /** The body lines joined with single spaces; offsets in `parsed` are relative to this text. */
  joinedText: string;
  /** The parse of joinedText. Its ranges are in joinedText; diagnostics of the document are mapped back. */
  parsed: ParsedQuery;
  /** Maps an offset in joinedText to an offset in the document. */
  toDocumentOffset(offset: number): number;
  comments: SsqComment[];
  /** The query's threshold directives that parse (spec section 5), in file order; none for most queries. */
  thresholds: Threshold[];
  /** Every directive line of the section (trimmed), parsed or not: kept out of the ss query. */
  directiveRanges: Range[];
}

export interface SsqDocument {
  text: string;
  queries: SsqDocumentQuery[];
  comments: SsqComment[];
  /** All diagnostics with ranges in document offsets. */
  diagnostics: Diagnostic[];
}
