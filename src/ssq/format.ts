import type { Expr } from './ast';
import type { ParsedQuery } from './query';
/** Canonical portable ss form of a query (options, states, expression). */
export function format(_query: ParsedQuery | string): string {
  throw new Error('not implemented');
}
export function formatExpr(_expr: Expr): string {
  throw new Error('not implemented');
}
