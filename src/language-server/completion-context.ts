// Where the cursor is in a query, for completion: which kind of word may come next. Works on the
// text before the cursor only (the query may be half typed and not parse yet); the words are the
// parser's tokens of that text (shell quotes removed, glued operators and parentheses split).
import { isDirectiveLine, parseQuery } from '../ssq';

export type ValueKeyword = 'src' | 'dst' | 'sport' | 'dport' | 'dev' | 'fwmark' | 'cgroup';
export type OptionArgKind = 'netns' | 'query' | 'family' | 'file';

export type CompletionSite =
  | { kind: 'none' }
  /** Start of a query or after options/state words: options (if still allowed), state words, predicates. */
  | { kind: 'start'; optionsAllowed: boolean }
  | { kind: 'state' }
  | { kind: 'optionArg'; arg: OptionArgKind }
  /** Right after a predicate keyword: its operators, or directly a value. */
  | { kind: 'afterKeyword'; keyword: ValueKeyword }
  /** After `keyword OP`: a value. */
  | { kind: 'value'; keyword: ValueKeyword }
  /** After `and`/`or`/`not`/`(`: a term. */
  | { kind: 'term' }
  /** After a complete term: logical operators or another term (implicit and). */
  | { kind: 'afterTerm' };

export interface CompletionPosition {
  site: CompletionSite;
  /** The partial word before the cursor (replaced by the completion). */
  prefix: string;
}

/** A `[name]` header line, as the ssq document parser recognizes it. */
const HEADER = /^\s*\[[^\][:]*\]\s*$/;
const VALUE_KEYWORDS = new Set<string>(['src', 'dst', 'sport', 'dport', 'dev', 'fwmark', 'cgroup']);
const LOGICAL = new Set(['and', 'or', 'not', '&&', '||', '&', '|', '!', '(']);
const COMPARISON = new Set(['=', '==', 'eq', '!=', 'ne', 'neq', '>', 'gt', '<', 'lt', '>=', 'ge', 'geq', '<=', 'le', 'leq']);
const STATE_KEYWORDS = new Set(['state', 'exclude', 'excl']);
const LONG_WITH_ARG: Record<string, OptionArgKind> = { '--net': 'netns', '--query': 'query', '--socket': 'query', '--family': 'family', '--filter': 'file' };
const SHORT_WITH_ARG: Record<string, OptionArgKind> = { N: 'netns', A: 'query', f: 'family', F: 'file', D: 'file' };

/** The option argument a flag word expects next, if any. */
function optionArgOf(word: string): OptionArgKind | undefined {
  if (word.startsWith('--')) return word.includes('=') ? undefined : LONG_WITH_ARG[word];
  const m = /^-[A-Za-z0-9]*$/.exec(word);
  if (!m) return undefined;
  // ss (getopt) takes the rest of a combined flag as the argument: `-Nfoo`; only a trailing letter waits for the next word.
  for (let i = 1; i < word.length; i++) {
    const arg = SHORT_WITH_ARG[word[i]];
    if (arg) return i === word.length - 1 ? arg : undefined;
  }
  return undefined;
}

const isOption = (w: string): boolean => /^--?[A-Za-z0-9]/.test(w);

/** The body text of the query before `offset`: back to its `[name]` header, comment lines dropped. */
export function queryTextBefore(text: string, offset: number): { text: string; inHeaderOrComment: boolean } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const current = text.slice(lineStart, offset);
  const fullLineEnd = text.indexOf('\n', offset);
  const fullLine = text.slice(lineStart, fullLineEnd < 0 ? text.length : fullLineEnd);
  if (/^\s*#/.test(current) || HEADER.test(fullLine) || /^\s*\[[^\]]*$/.test(current)) return { text: '', inHeaderOrComment: true };
  const lines = [current];
  let end = lineStart - 1;
  for (let n = 0; end >= 0 && n < 5000; n++) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    if (HEADER.test(line)) break;
    // Comments and threshold directives (`@warn ...`) are not part of the ss query.
    if (!/^\s*#/.test(line) && !isDirectiveLine(line)) lines.push(line);
    end = start - 1;
  }
  return { text: lines.reverse().join(' '), inHeaderOrComment: false };
}

export function completionPosition(text: string, offset: number): CompletionPosition {
  const before = queryTextBefore(text, offset);
  if (before.inHeaderOrComment) return { site: { kind: 'none' }, prefix: '' };
  const prefixMatch = /[^\s()=<>!&|'"]*$/.exec(before.text);
  const prefix = prefixMatch ? prefixMatch[0] : '';
  const words = lexWords(before.text.slice(0, before.text.length - prefix.length));
  let phase = 'options' as 'options' | 'states' | 'expr';
  let pendingArg: OptionArgKind | undefined;
  let pendingState = false;
  let i = 0;
  let exprWords: string[] = [];
  for (; i < words.length; i++) {
    const w = words[i];
    if (pendingArg) { pendingArg = undefined; continue; }
    if (pendingState) { pendingState = false; continue; }
    if (phase === 'options' && isOption(w)) { pendingArg = optionArgOf(w); continue; }
    if (phase !== 'expr' && STATE_KEYWORDS.has(w)) { phase = 'states'; pendingState = true; continue; }
    phase = 'expr';
    exprWords = words.slice(i);
    break;
  }
  if (pendingArg) return { site: { kind: 'optionArg', arg: pendingArg }, prefix };
  if (pendingState) return { site: { kind: 'state' }, prefix };
  if (phase !== 'expr') return { site: { kind: 'start', optionsAllowed: phase === 'options' }, prefix };
  const prev = exprWords[exprWords.length - 1];
  const prev2 = exprWords[exprWords.length - 2];
  if (VALUE_KEYWORDS.has(prev)) return { site: { kind: 'afterKeyword', keyword: prev as ValueKeyword }, prefix };
  if (COMPARISON.has(prev) && prev2 !== undefined && VALUE_KEYWORDS.has(prev2)) return { site: { kind: 'value', keyword: prev2 as ValueKeyword }, prefix };
  if (LOGICAL.has(prev)) return { site: { kind: 'term' }, prefix };
  return { site: { kind: 'afterTerm' }, prefix };
}

/** The words of a text as the ssq parser tokenizes it: its tokens plus option arguments, without a leading `ss`. */
function lexWords(text: string): string[] {
  const q = parseQuery(text);
  const items = q.tokens.filter((t) => t.kind !== 'ss').map((t) => ({ start: t.range.start, text: t.text }));
  for (const o of q.optionWords) {
    if (o.arg && o.arg.range.start >= o.range.start + o.text.length) items.push({ start: o.arg.range.start, text: o.arg.text });
  }
  return items.sort((a, b) => a.start - b.start).map((t) => t.text);
}
