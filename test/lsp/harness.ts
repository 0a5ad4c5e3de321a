// Test harness for the ssq language server: builds dist/server.js, spawns `node dist/server.js --stdio`
// and drives it with a real LSP client (vscode-languageserver-protocol over stdio). The test acts as
// the editor: it answers the server's `sockscope/liveValues` requests from a fake provider.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  CodeActionRequest, CompletionRequest, DocumentFormattingRequest, DocumentRangeFormattingRequest, DocumentSymbolRequest,
  FoldingRangeRequest, HoverRequest, InitializeRequest, InitializedNotification, CodeLensRequest, SemanticTokensRequest,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, PublishDiagnosticsNotification,
  ShutdownRequest, ExitNotification, LogMessageNotification,
  type CodeAction, type CompletionItem, type CompletionList, type Diagnostic, type DocumentSymbol, type FoldingRange, type Hover,
  type InitializeResult, type ProtocolConnection, type Range, type TextEdit, type CodeLens, type SemanticTokens, type Position,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LIVE_VALUES, type LiveValue, type LiveValueKind } from '../../src/protocol/live-values';
import { onRequest } from '../../src/protocol/message-type';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The server under test; SOCKSCOPE_LSP_SERVER points at another build (e.g. a debug bundle). */
export const SERVER_JS = process.env.SOCKSCOPE_LSP_SERVER ?? path.join(ROOT, 'dist', 'server.js');

/** Newest modification time of the files the server bundle is built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function serverIsFresh(): boolean {
  if (!existsSync(SERVER_JS)) return false;
  const built = statSync(SERVER_JS).mtimeMs;
  return ['src/language-server', 'src/ssq', 'src/protocol'].every((d) => newestSource(path.join(ROOT, d)) < built);
}

/**
 * Builds the bundles (`node esbuild.js`) unless dist/server.js is newer than its sources; if another
 * part of the tree does not build yet, just the server.
 */
export function buildServer(): void {
  if (process.env.SOCKSCOPE_LSP_SERVER || serverIsFresh()) return;
  const all = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, encoding: 'utf8' });
  if (all.status === 0) return;
  const only = spawnSync(process.execPath, ['-e', `require('esbuild').buildSync({ bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    sourcemap: true, external: ['vscode', 'koffi'], logLevel: 'warning', entryPoints: { server: 'src/language-server/main.ts' }, outdir: 'dist' })`], { cwd: ROOT, encoding: 'utf8' });
  if (only.status !== 0) throw new Error(`building dist/server.js failed:\n${only.stderr}`);
}

export type LiveProvider = (kind: LiveValueKind) => LiveValue[] | Promise<LiveValue[]> | 'never';

export interface ClientOptions {
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  /** Answer sockscope/liveValues (declared in initializationOptions). Omit: the client does not support it. */
  live?: LiveProvider;
}

export interface OpenDoc {
  uri: string;
  doc: TextDocument;
}

export class LspClient {
  readonly conn: ProtocolConnection;
  private readonly proc: ChildProcess;
  private readonly diags = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
  private readonly waiters: { uri: string; version: number; resolve: (d: Diagnostic[]) => void }[] = [];
  readonly docs = new Map<string, TextDocument>();
  liveRequests: LiveValueKind[] = [];
  /** window/logMessage texts from the server. */
  logs: string[] = [];
  stderr = '';
  exited: number | null = null;
  initResult?: InitializeResult;

  constructor(private readonly opts: ClientOptions = {}) {
    this.proc = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    this.proc.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.proc.on('exit', (code) => (this.exited = code ?? -1));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diags.set(p.uri, { version: p.version, diagnostics: p.diagnostics });
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && (p.version === undefined || p.version >= w.version)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p.diagnostics);
        }
      }
    });
    this.conn.onNotification(LogMessageNotification.type, (p) => void this.logs.push(p.message));
    if (opts.live) {
      const live = opts.live;
      onRequest(this.conn, LIVE_VALUES, async (p) => {
        this.liveRequests.push(p.kind);
        const values = await live(p.kind);
        if (values === 'never') return new Promise<never>(() => undefined);
        return { values };
      });
    }
    this.conn.listen();
  }

  async initialize(): Promise<InitializeResult> {
    this.initResult = await this.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { liveValues: !!this.opts.live },
    });
    await this.conn.sendNotification(InitializedNotification.type, {});
    return this.initResult;
  }

  /** Opens a document and resolves with its first diagnostics. */
  async open(name: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = `file:///test/${name}`;
    const doc = TextDocument.create(uri, 'ssq', 1, text);
    this.docs.set(uri, doc);
    const d = this.nextDiagnostics(uri, 1);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'ssq', version: 1, text } });
    return { uri, diagnostics: await d };
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Sends incremental edits (one version per call) and resolves with the diagnostics of that version. */
  async edit(uri: string, changes: { range: Range; text: string }[]): Promise<Diagnostic[]> {
    const doc = this.docs.get(uri)!;
    const version = doc.version + 1;
    const next = TextDocument.update(doc, changes, version);
    this.docs.set(uri, next);
    const d = this.nextDiagnostics(uri, version);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return d;
  }

  /** Sends an edit without waiting for diagnostics (for bursts). */
  async editNoWait(uri: string, changes: { range: Range; text: string }[]): Promise<number> {
    const doc = this.docs.get(uri)!;
    const version = doc.version + 1;
    this.docs.set(uri, TextDocument.update(doc, changes, version));
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  nextDiagnostics(uri: string, version: number, timeoutMs = 10000): Promise<Diagnostic[]> {
    const have = this.diags.get(uri);
    if (have && have.version !== undefined && have.version >= version) return Promise.resolve(have.diagnostics);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} (stderr: ${this.stderr})`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (d) => { clearTimeout(t); resolve(d); } });
    });
  }

  text(uri: string): string {
    return this.docs.get(uri)!.getText();
  }

  /** Position of the n-th occurrence (0-based) of `needle` in the document, plus `delta` characters. */
  pos(uri: string, needle: string, delta = 0, nth = 0): Position {
    const text = this.text(uri);
    let at = -1;
    for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not in document`);
    return this.docs.get(uri)!.positionAt(at + delta);
  }

  async complete(uri: string, position: Position): Promise<CompletionItem[]> {
    const r = await this.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    if (!r) return [];
    return Array.isArray(r) ? r : (r as CompletionList).items;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const r = await this.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
    return (r ?? []).filter((x): x is CodeAction => 'title' in x && !('command' in x && typeof x.command === 'string'));
  }

  async format(uri: string): Promise<TextEdit[]> {
    return (await this.conn.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) ?? [];
  }

  async formatRange(uri: string, range: Range): Promise<TextEdit[]> {
    return (await this.conn.sendRequest(DocumentRangeFormattingRequest.type, { textDocument: { uri }, range, options: { tabSize: 2, insertSpaces: true } })) ?? [];
  }

  async symbols(uri: string): Promise<DocumentSymbol[]> {
    return ((await this.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) ?? []) as DocumentSymbol[];
  }

  async folding(uri: string): Promise<FoldingRange[]> {
    return (await this.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) ?? [];
  }

  async codeLenses(uri: string): Promise<CodeLens[]> {
    return (await this.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
  }

  async semanticTokens(uri: string): Promise<SemanticTokens | null> {
    return this.conn.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
  }

  async dispose(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification(ExitNotification.type);
    } catch {
      /* already gone */
    }
    await new Promise<void>((resolve) => {
      if (this.exited !== null) return resolve();
      const t = setTimeout(() => { this.proc.kill('SIGKILL'); resolve(); }, 2000);
      this.proc.once('exit', () => { clearTimeout(t); resolve(); });
    });
    this.conn.dispose();
  }
}

/** Applies text edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const doc = TextDocument.create('file:///x', 'ssq', 0, text);
  return TextDocument.applyEdits(doc, edits);
}

/** 1-based "line:col message" views of diagnostics, easy to assert. */
export function showDiagnostics(diags: Diagnostic[]): string[] {
  return diags.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`);
}
