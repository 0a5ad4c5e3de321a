// The portable `ss ...` command line of a parsed query, shell-quoted, for "Run in terminal (ss)":
// the ssq formatter's canonical form, with the expression as one quoted argument.
import { format, formatExpr, type ParsedQuery } from '../ssq';

export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `ss OPTIONS STATES 'EXPR'`, or null when the formatter cannot print the query. */
export function ssCommandOf(q: ParsedQuery): string | null {
  let whole: string;
  let expr: string;
  try {
    whole = format(q);
    expr = q.expr ? formatExpr(q.expr, q.text) : '';
  } catch {
    return null;
  }
  const head = expr && whole.endsWith(expr) ? whole.slice(0, whole.length - expr.length).trim() : whole.trim();
  const words = ['ss', ...head.split(/\s+/).filter(Boolean).map(shellQuote)];
  if (expr) words.push(shellQuote(expr));
  return words.join(' ');
}
