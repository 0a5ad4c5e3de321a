import type { Expr } from './ast';
/** INET_DIAG_REQ_BYTECODE for an expression, little-endian; null when it cannot be expressed. */
export function compileBytecode(_expr: Expr | null): Uint8Array | null {
  throw new Error('not implemented');
}
