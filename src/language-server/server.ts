// The ssq language server: wires documents (incremental sync), analysis and features to a connection.
import { SOCKSCOPE_VERSION } from '../protocol/version';
import {
  CodeActionKind, TextDocumentSyncKind, TextDocuments, type Connection, type InitializeResult, type ServerCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SsqInitializationOptions } from '../protocol/live-values';
import { onRequest } from '../protocol/message-type';
import { TO_SS_COMMAND } from '../protocol/ssq-commands';
import { hasErrors, LineMap, parseQuery, type SsqResolver } from '../ssq';
import { analyze, toOffset, type Analysis } from './analysis';
import { codeActions } from './code-actions';
import { completions } from './completion';
import { lspDiagnostics } from './diagnostics';
import { formatRange, formatWhole } from './formatting';
import { hover } from './hover';
import { createLiveValueSource, NO_LIVE_VALUES, type LiveValueSource } from './live-values';
import { codeLenses, documentSymbols, foldingRanges } from './outline';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './semantic-tokens';
import { ssCommandOf } from './ss-command';
import { createSystemResolver } from './system-resolver';

export const SERVER_CAPABILITIES: ServerCapabilities = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  completionProvider: { triggerCharacters: [' ', '-', ':', '=', '(', '@'], resolveProvider: false },
  hoverProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
  documentSymbolProvider: true,
  foldingRangeProvider: true,
  codeLensProvider: { resolveProvider: false },
  semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
};

export interface SsqServerOptions {
  /** Resolver for service/host/interface/cgroup names; defaults to the system's. */
  resolver?: SsqResolver;
}

export function startSsqServer(connection: Connection, opts: SsqServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const resolver = opts.resolver ?? createSystemResolver();
  const cache = new Map<string, Analysis>();
  let live: LiveValueSource = NO_LIVE_VALUES;
  const pending = new Set<string>();
  // SOCKSCOPE_SSQ_VERIFY=1: check every incremental re-analysis against a full parse (tests).
  const verify = process.env.SOCKSCOPE_SSQ_VERIFY === '1' ? { onMismatch: (m: string) => connection.console.error(m) } : undefined;

  const analysisOf = (uri: string): Analysis | undefined => {
    const td = documents.get(uri);
    if (!td) return undefined;
    const cached = cache.get(uri);
    if (cached && cached.version === td.version) return cached;
    const a = analyze(td, resolver, cached, verify);
    cache.set(uri, a);
    return a;
  };

  const validate = (uri: string): void => {
    pending.delete(uri);
    const a = analysisOf(uri);
    if (!a) return;
    void connection.sendDiagnostics({ uri, version: a.version, diagnostics: lspDiagnostics(a) });
  };

  // Coalesce bursts of edits: validate once the queued messages are handled.
  const schedule = (uri: string): void => {
    if (pending.has(uri)) return;
    pending.add(uri);
    setImmediate(() => validate(uri));
  };

  connection.onInitialize((params): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as SsqInitializationOptions;
    if (init.liveValues) live = createLiveValueSource(connection);
    return { capabilities: SERVER_CAPABILITIES, serverInfo: { name: 'sockscope-ssq', version: SOCKSCOPE_VERSION } };
  });

  documents.onDidOpen((e) => schedule(e.document.uri));
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    cache.delete(e.document.uri);
    pending.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCompletion(async (p) => {
    const td = documents.get(p.textDocument.uri);
    if (!td) return [];
    const offset = td.offsetAt(p.position);
    const items = await completions(td.getText(), offset, (len) => ({ start: td.positionAt(offset - len), end: p.position }), live);
    return { isIncomplete: false, items };
  });

  connection.onHover(async (p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? hover(a, toOffset(a, p.position), live) : null;
  });

  connection.onCodeAction((p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? codeActions(a, p) : [];
  });

  connection.onDocumentFormatting((p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? formatWhole(a, resolver) : [];
  });

  connection.onDocumentRangeFormatting((p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? formatRange(a, p.range) : [];
  });

  connection.onDocumentSymbol((p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? documentSymbols(a) : [];
  });

  connection.onFoldingRanges((p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? foldingRanges(a) : [];
  });

  connection.onCodeLens((p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? codeLenses(a) : [];
  });

  connection.languages.semanticTokens.on((p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? semanticTokens(a) : { data: [] };
  });

  onRequest(connection, TO_SS_COMMAND, (p) => {
    const text = p.text.replace(/\s*\n\s*/g, ' ').trim();
    const parsed = parseQuery(text, { resolver });
    if (hasErrors(parsed.diagnostics)) {
      const lines = new LineMap(text);
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => {
        const lc = lines.at(d.range.start);
        return `${lc.line + 1}:${lc.column + 1}: ${d.message}`;
      });
      return { ssCommand: null, errors };
    }
    return { ssCommand: ssCommandOf(parsed), errors: [] };
  });

  documents.listen(connection);
  connection.listen();
}
