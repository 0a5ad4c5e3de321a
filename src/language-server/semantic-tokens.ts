// Semantic tokens from the parser: what a TextMate grammar cannot know (a state name the parser
// rejects, a word that is an option argument, which words are hosts, ports or values, query names).
import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver/node';
import { queryRangeToDocument, type Analysis } from './analysis';
import { queryTokens, type QueryTokenKind } from './query-tokens';

const TYPES = ['namespace', 'parameter', 'keyword', 'operator', 'enumMember', 'enum', 'number', 'string', 'comment', 'variable'] as const;
const MODIFIERS = ['declaration', 'deprecated', 'defaultLibrary'] as const;

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

const typeIndex = (t: (typeof TYPES)[number]): number => TYPES.indexOf(t);

const KIND_TYPE: Record<QueryTokenKind, [(typeof TYPES)[number], number]> = {
  option: ['parameter', 0],
  optionArg: ['string', 0],
  stateKeyword: ['keyword', 0],
  state: ['enumMember', 0],
  stateGroup: ['enum', 0],
  badState: ['enumMember', 1 << 1],
  keyword: ['keyword', 0],
  logical: ['operator', 0],
  comparison: ['operator', 0],
  host: ['string', 0],
  port: ['number', 0],
  value: ['variable', 0],
};

interface Item {
  start: number;
  end: number;
  type: number;
  mods: number;
}

export function semanticTokens(a: Analysis): SemanticTokens {
  const items: Item[] = [];
  for (const c of a.doc.comments) items.push({ start: c.range.start, end: c.range.end, type: typeIndex('comment'), mods: 0 });
  for (const q of a.doc.queries) {
    if (q.nameRange) items.push({ start: q.nameRange.start, end: q.nameRange.end, type: typeIndex('namespace'), mods: 1 });
    for (const t of queryTokens(q.parsed)) {
      const r = queryRangeToDocument(q, t.range);
      const [type, mods] = KIND_TYPE[t.kind];
      items.push({ start: r.start, end: r.end, type: typeIndex(type), mods });
    }
  }
  items.sort((x, y) => x.start - y.start || x.end - y.end);
  const builder = new SemanticTokensBuilder();
  let lastEnd = -1;
  for (const it of items) {
    if (it.start < lastEnd || it.end <= it.start) continue; // overlapping (a port inside a host): keep the first
    // Tokens may not span lines: split at line breaks.
    let s = it.start;
    while (s < it.end) {
      const lc = a.lines.at(s);
      const lineEnd = lc.line + 1 < a.lines.lineCount ? a.lines.lineStart(lc.line + 1) - 1 : a.lines.text.length;
      const e = Math.min(it.end, lineEnd);
      if (e > s) builder.push(lc.line, lc.column, e - s, it.type, it.mods);
      s = e + 1;
    }
    lastEnd = it.end;
  }
  return builder.build();
}
