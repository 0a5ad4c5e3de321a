// Quick fixes: every fix the parser attached to a diagnostic becomes a code action.
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver/node';
import { toLspDiagnostic } from './diagnostics';
import { toOffset, toRange, type Analysis } from './analysis';

export function codeActions(a: Analysis, params: CodeActionParams): CodeAction[] {
  if (params.context.only && !params.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
  const start = toOffset(a, params.range.start);
  const end = toOffset(a, params.range.end);
  const out: CodeAction[] = [];
  for (const d of a.doc.diagnostics) {
    if (!d.fixes?.length || d.range.end < start || d.range.start > end) continue;
    const diagnostic = toLspDiagnostic(a, d);
    d.fixes.forEach((fix, i) => {
      const edits: TextEdit[] = fix.edits.map((e) => ({ range: toRange(a, e.range), newText: e.newText }));
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: i === 0 && d.fixes?.length === 1,
        edit: { changes: { [a.uri]: edits } },
      });
    });
  }
  return out;
}
