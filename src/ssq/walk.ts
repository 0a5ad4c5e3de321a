// Iterative helpers over the AST: and/or chains are left-deep (ss groups left to right), so a long
// chain must be walked along its left spine without recursion.
import type { BinaryExpr, Expr } from './ast';

/** The left spine of e: `nodes` from the innermost binary up to e, and the leftmost non-binary operand. */
export function leftSpine(e: Expr): { leaf: Expr; nodes: BinaryExpr[] } {
  const nodes: BinaryExpr[] = [];
  let n = e;
  while (n.type === 'and' || n.type === 'or') {
    nodes.push(n);
    n = n.left;
  }
  nodes.reverse();
  return { leaf: n, nodes };
}

/** Strips a run of `not`s: the operand and how many there were. */
export function stripNots(e: Expr): { inner: Expr; count: number } {
  let count = 0;
  let n = e;
  while (n.type === 'not') {
    count++;
    n = n.operand;
  }
  return { inner: n, count };
}

/** Visits every node (pre-order) with an explicit stack. */
export function forEachNode(e: Expr, f: (n: Expr) => void): void {
  const stack: Expr[] = [e];
  while (stack.length) {
    const n = stack.pop() as Expr;
    f(n);
    if (n.type === 'and' || n.type === 'or') stack.push(n.right, n.left);
    else if (n.type === 'not') stack.push(n.operand);
  }
}
