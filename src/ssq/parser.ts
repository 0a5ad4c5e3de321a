import type { ParsedQuery, ParseOptions } from './query';
/** Parses `[OPTIONS] {state|exclude WORD}* [EXPR]`. Never throws. */
export function parseQuery(_text: string, _opts?: ParseOptions): ParsedQuery {
  throw new Error('not implemented');
}
/** Parses argv words as a shell passes them (they are joined with single spaces, as ss does). */
export function parseArgv(words: string[], opts?: ParseOptions): ParsedQuery {
  return parseQuery(words.join(' '), opts);
}
