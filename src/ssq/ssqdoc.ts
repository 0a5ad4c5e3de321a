import type { SsqDocument } from './document';
import type { ParseOptions } from './query';
export function parseDocument(_text: string, _opts?: ParseOptions): SsqDocument {
  throw new Error('not implemented');
}
export function formatDocument(_text: string, _opts?: ParseOptions): string {
  throw new Error('not implemented');
}
