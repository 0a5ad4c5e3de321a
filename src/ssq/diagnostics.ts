// Diagnostics produced by the parser: never exceptions.
import type { Range } from './text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

/**
 * Stable codes: 'syntax' (unexpected/missing token), 'unknown-state', 'unknown-option', 'bad-option-arg',
 * 'bad-port', 'bad-host', 'bad-mark', 'bad-dev', 'unresolved' (a service, interface or cgroup the resolver does not know),
 * 'unresolved-host' (a host name the resolver found no address for; ss may still find one through DNS),
 * 'state-after-expr', 'extension' (accepted, but ss rejects it), 'mixed-and-or', 'unmatched-paren',
 * 'empty-query', 'duplicate-name', 'unsupported', 'bad-directive' (a threshold line of spec section 5
 * that does not parse), 'directive-outside-query' (one before the first `[name]`).
 */
export type DiagnosticCode =
  | 'syntax'
  | 'unknown-state'
  | 'unknown-option'
  | 'bad-option-arg'
  | 'bad-port'
  | 'bad-host'
  | 'bad-mark'
  | 'bad-dev'
  | 'bad-cgroup'
  | 'unresolved'
  | 'unresolved-host'
  | 'state-after-expr'
  | 'extension'
  | 'mixed-and-or'
  | 'unmatched-paren'
  | 'empty-query'
  | 'duplicate-name'
  | 'unsupported'
  | 'bad-directive'
  | 'directive-outside-query';

export interface Diagnostic {
  range: Range;
  severity: Severity;
  message: string;
  code: DiagnosticCode;
  fixes?: Fix[];
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}
