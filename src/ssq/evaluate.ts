import type { Expr } from './ast';
import type { EvalContext, SsqSocket } from './socket';
/** Compiles an expression to a closure; null expr matches everything. */
export function compileMatcher(_expr: Expr | null, _ctx?: EvalContext): (sock: SsqSocket) => boolean {
  throw new Error('not implemented');
}
export function matches(expr: Expr | null, sock: SsqSocket, ctx?: EvalContext): boolean {
  return compileMatcher(expr, ctx)(sock);
}
