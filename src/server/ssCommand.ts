// The portable `ss ...` command line of a parsed query, shell-quoted, for "Run in terminal (ss)".
import { formatExpr, type ParsedQuery } from '../ssq';

export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `ss OPTIONS STATES 'EXPR'`, or null if the query uses an extension the formatter cannot express. */
export function ssCommandOf(q: ParsedQuery): string | null {
  const words: string[] = ['ss'];
  for (const w of q.optionWords) {
    if (w.arg && !(w.arg.range.start >= w.range.start && w.arg.range.end <= w.range.end)) words.push(shellQuote(w.text), shellQuote(w.arg.text));
    else words.push(shellQuote(w.text));
  }
  for (const s of q.stateWords) {
    words.push(s.exclude ? 'exclude' : 'state');
    if (s.value) words.push(shellQuote(s.value.text.toLowerCase()));
  }
  if (q.expr) {
    let expr: string;
    try {
      expr = formatExpr(q.expr);
    } catch {
      return null;
    }
    if (expr) words.push(shellQuote(expr));
  }
  return words.join(' ');
}
