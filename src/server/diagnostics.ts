// ssq diagnostics -> LSP diagnostics. Extension hints are tagged so editors can show them subtly.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Diagnostic as SsqDiagnostic, Severity } from '../ssq';
import { toRange, type Analysis } from './analysis';

export const DIAGNOSTIC_SOURCE = 'ssq';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const PRECEDENCE_NOTE = 'ss evaluates this left to right as `(a or b) and c`';

/** The parser's message, with the precedence spelled out for mixed and/or (the wording users know from the docs). */
function messageOf(d: SsqDiagnostic): string {
  if (d.code === 'mixed-and-or' && !d.message.includes('left to right as')) return `${PRECEDENCE_NOTE}: ${d.message}`;
  return d.message;
}

export function toLspDiagnostic(a: Analysis, d: SsqDiagnostic): Diagnostic {
  return { range: toRange(a, d.range), severity: SEVERITY[d.severity], code: d.code, source: DIAGNOSTIC_SOURCE, message: messageOf(d) };
}

export function lspDiagnostics(a: Analysis): Diagnostic[] {
  return a.doc.diagnostics.map((d) => toLspDiagnostic(a, d));
}
