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

/**
 * The server resolves host names from /etc/hosts only (the parser is synchronous); ss also asks DNS
 * when it runs, so an unknown host name is a warning here, not an error.
 */
function isUnresolvedHost(d: SsqDiagnostic): boolean {
  return d.code === 'unresolved-host';
}

export function toLspDiagnostic(a: Analysis, d: SsqDiagnostic): Diagnostic {
  if (isUnresolvedHost(d)) {
    return { range: toRange(a, d.range), severity: DiagnosticSeverity.Warning, code: d.code, source: DIAGNOSTIC_SOURCE, message: `${d.message} from /etc/hosts (ss will ask DNS when it runs)` };
  }
  const out: Diagnostic = { range: toRange(a, d.range), severity: SEVERITY[d.severity], code: d.code, source: DIAGNOSTIC_SOURCE, message: d.message };
  if (d.code === 'duplicate-name') {
    // Point at the first query of that name.
    const name = a.lines.text.slice(d.range.start, d.range.end);
    const first = a.doc.queries.find((q) => q.name === name && q.nameRange && q.nameRange.start < d.range.start);
    if (first?.nameRange) out.relatedInformation = [{ location: { uri: a.uri, range: toRange(a, first.nameRange) }, message: `first \`[${name}]\`` }];
  }
  return out;
}

export function lspDiagnostics(a: Analysis): Diagnostic[] {
  return a.doc.diagnostics.map((d) => toLspDiagnostic(a, d));
}
