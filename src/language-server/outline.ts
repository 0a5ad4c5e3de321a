// Document symbols (one per named query, plus the unnamed leading query), folding ranges per query,
// and the code lenses "Run" / "Run in terminal (ss)" / "Apply to Sockets view".
import { FoldingRangeKind, SymbolKind, type CodeLens, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver/node';
import { APPLY_QUERY_COMMAND, RUN_QUERY_COMMAND, RUN_QUERY_IN_TERMINAL_COMMAND, type QueryRef } from '../protocol/ssq-commands';
import { hasErrors, type SsqDocumentQuery } from '../ssq';
import { toRange, type Analysis } from './analysis';
import { ssCommandOf } from './ss-command';

const isEmpty = (q: SsqDocumentQuery): boolean => q.joinedText.trim() === '';

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  return a.doc.queries
    .filter((q) => q.name !== null || !isEmpty(q))
    .map((q) => ({
      name: q.name ?? '(unnamed query)',
      detail: q.joinedText.trim().slice(0, 120),
      kind: SymbolKind.Function,
      range: toRange(a, q.range),
      selectionRange: toRange(a, q.nameRange ?? q.bodyRange),
    }));
}

export function foldingRanges(a: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const q of a.doc.queries) {
    const startLine = a.lines.at(q.range.start).line;
    let endOffset = q.range.end;
    if (endOffset > q.range.start && a.lines.text[endOffset - 1] === '\n') endOffset--;
    const endLine = a.lines.at(endOffset).line;
    if (endLine > startLine) out.push({ startLine, endLine, kind: FoldingRangeKind.Region });
  }
  return out;
}

export function queryRef(a: Analysis, q: SsqDocumentQuery): QueryRef {
  const ref: QueryRef = { uri: a.uri, name: q.name, text: q.joinedText.trim() };
  if (!hasErrors(q.parsed.diagnostics)) {
    const cmd = ssCommandOf(q.parsed);
    if (cmd) ref.ssCommand = cmd;
  }
  return ref;
}

export function codeLenses(a: Analysis): CodeLens[] {
  const out: CodeLens[] = [];
  for (const q of a.doc.queries) {
    if (isEmpty(q)) continue;
    const range = toRange(a, q.headerRange ?? q.bodyRange);
    const ref = queryRef(a, q);
    out.push(
      { range, command: { title: 'Run', command: RUN_QUERY_COMMAND, arguments: [ref] } },
      { range, command: { title: 'Run in terminal (ss)', command: RUN_QUERY_IN_TERMINAL_COMMAND, arguments: [ref] } },
      { range, command: { title: 'Apply to Sockets view', command: APPLY_QUERY_COMMAND, arguments: [ref] } },
    );
  }
  return out;
}
