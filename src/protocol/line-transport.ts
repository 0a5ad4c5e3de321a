// The helper protocol's wire format: one JSON-RPC message per line (UTF-8, '\n'-terminated), on
// the helper's stdin and stdout. A reader and a writer for vscode-jsonrpc over any byte stream.
//
// The reader never holds more than `maxMessageBytes` of one line: a longer line is skipped up to
// its newline. Lines that are not JSON, not a JSON-RPC object or too long are not passed on; they
// are reported to `onMalformed` so the owner can answer with a JSON-RPC error (id null). Nothing a
// peer sends can make the reader throw.
import { AbstractMessageReader, AbstractMessageWriter } from 'vscode-jsonrpc';
import type { DataCallback, Disposable, Message, MessageReader, MessageWriter } from 'vscode-jsonrpc';
import { ErrorCodes, Limits } from './helper-protocol';

/** The part of a Node readable stream the reader uses (structural, so this file needs no node:*). */
export interface ByteSource {
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  pause?(): unknown;
  resume?(): unknown;
}

/** The part of a Node writable stream the writer uses. */
export interface ByteSink {
  write(data: string, cb: (err?: Error | null) => void): boolean;
  end(): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

export interface Malformed {
  code: number;
  message: string;
  /** The request's id when it could be read (an object with a usable id but a bad shape). */
  id: string | number | null;
}

const NEWLINE = 0x0a;

/** Splits a byte stream into lines of at most `max` bytes; longer lines are reported, not kept. */
export class LineSplitter {
  private parts: Uint8Array[] = [];
  private size = 0;
  private skipping = false;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly max: number,
    private readonly onLine: (line: Uint8Array) => void,
    private readonly onTooLong: () => void,
  ) {}

  push(chunk: Uint8Array | string): void {
    let bytes = typeof chunk === 'string' ? this.encoder.encode(chunk) : chunk;
    for (;;) {
      const nl = bytes.indexOf(NEWLINE);
      const piece = nl < 0 ? bytes : bytes.subarray(0, nl);
      if (!this.skipping) {
        if (this.size + piece.length > this.max) {
          this.skipping = true;
          this.parts = [];
          this.size = 0;
        } else if (piece.length) {
          // Copy: the stream may reuse its buffer.
          this.parts.push(nl < 0 ? piece.slice() : piece);
          this.size += piece.length;
        }
      }
      if (nl < 0) return;
      this.endLine();
      bytes = bytes.subarray(nl + 1);
    }
  }

  private endLine(): void {
    if (this.skipping) {
      this.skipping = false;
      this.onTooLong();
      return;
    }
    const parts = this.parts;
    const size = this.size;
    this.parts = [];
    this.size = 0;
    if (parts.length === 1) { this.onLine(parts[0]); return; }
    const line = new Uint8Array(size);
    let at = 0;
    for (const p of parts) { line.set(p, at); at += p.length; }
    this.onLine(line);
  }
}

function isId(v: unknown): v is string | number {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

/** Decodes one line into a JSON-RPC message, or says why it is not one. Empty lines are ignored (undefined). */
export function parseLine(line: Uint8Array): Message | Malformed | undefined {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(line).trim();
  if (text.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { code: ErrorCodes.ParseError, message: 'Parse error: the line is not JSON', id: null };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { code: ErrorCodes.InvalidRequest, message: 'Invalid request: expected a JSON-RPC object (batches are not supported)', id: null };
  }
  const m = value as Record<string, unknown>;
  const hasId = Object.prototype.hasOwnProperty.call(m, 'id');
  const id = isId(m.id) ? m.id : null;
  if (m.jsonrpc !== '2.0') return { code: ErrorCodes.InvalidRequest, message: 'Invalid request: jsonrpc must be "2.0"', id };
  if (hasId && m.id !== null && !isId(m.id)) return { code: ErrorCodes.InvalidRequest, message: 'Invalid request: bad id', id: null };
  if (m.method !== undefined) {
    if (typeof m.method !== 'string') return { code: ErrorCodes.InvalidRequest, message: 'Invalid request: method must be a string', id };
    if (hasId && m.id === null) return { code: ErrorCodes.InvalidRequest, message: 'Invalid request: id must not be null', id: null };
    return m as unknown as Message;
  }
  // A response (the client reads these): needs an id and a result or an error.
  if (hasId && ('result' in m || 'error' in m)) return m as unknown as Message;
  return { code: ErrorCodes.InvalidRequest, message: 'Invalid request: neither a request, a notification nor a response', id };
}

export function isMalformed(v: Message | Malformed): v is Malformed {
  return typeof (v as Malformed).code === 'number' && !('jsonrpc' in v);
}

export interface LineReaderOptions {
  onMalformed?: (m: Malformed) => void;
  maxMessageBytes?: number;
  /**
   * Flow control: stop reading the source while this many requests are delivered but not yet
   * answered (the owner calls requestDone() per answer); resume at half. Default: no limit.
   */
  maxPendingRequests?: number;
}

export class LineMessageReader extends AbstractMessageReader implements MessageReader {
  private readonly onMalformed: (m: Malformed) => void;
  private readonly max: number;
  private readonly maxPending: number;
  private pending = 0;
  private paused = false;

  constructor(private readonly source: ByteSource, options: LineReaderOptions = {}) {
    super();
    this.onMalformed = options.onMalformed ?? (() => undefined);
    this.max = options.maxMessageBytes ?? Limits.maxMessageBytes;
    this.maxPending = options.maxPendingRequests ?? Infinity;
  }

  /** One delivered request was answered. */
  requestDone(): void {
    if (this.pending > 0) this.pending--;
    if (this.paused && this.pending <= this.maxPending / 2) {
      this.paused = false;
      this.source.resume?.();
    }
  }

  private delivered(m: Message): void {
    const r = m as { id?: unknown; method?: unknown };
    if (r.method === undefined || r.id === undefined) return;
    this.pending++;
    if (!this.paused && this.pending >= this.maxPending && this.source.pause) {
      this.paused = true;
      this.source.pause();
    }
  }

  listen(callback: DataCallback): Disposable {
    const splitter = new LineSplitter(
      this.max,
      (line) => {
        const parsed = parseLine(line);
        if (parsed === undefined) return;
        if (isMalformed(parsed)) { this.onMalformed(parsed); return; }
        this.delivered(parsed);
        callback(parsed);
      },
      () => this.onMalformed({ code: ErrorCodes.InvalidRequest, message: `Invalid request: message longer than ${this.max} bytes`, id: null }),
    );
    const onData = (chunk: Uint8Array | string): void => {
      try {
        splitter.push(chunk);
      } catch (e) {
        this.fireError(e);
      }
    };
    const onEnd = (): void => this.fireClose();
    const onError = (e: Error): void => this.fireError(e);
    this.source.on('data', onData);
    this.source.on('end', onEnd);
    this.source.on('close', onEnd);
    this.source.on('error', onError);
    return {
      dispose: () => {
        this.source.removeListener('data', onData);
        this.source.removeListener('end', onEnd);
        this.source.removeListener('close', onEnd);
        this.source.removeListener('error', onError);
      },
    };
  }
}

export class LineMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private closed = false;

  /** `onResponse` runs for every response written (the reader's flow control: LineMessageReader.requestDone). */
  constructor(private readonly sink: ByteSink, private readonly onResponse?: () => void) {
    super();
    sink.on('error', (e) => { this.closed = true; this.fireError(e); });
    sink.on('close', () => { this.closed = true; this.fireClose(); });
  }

  /** Resolves once the line has been handed to the OS (so a producer awaiting it cannot outrun the peer). */
  write(msg: Message): Promise<void> {
    const r = msg as { id?: unknown; method?: unknown };
    if (this.onResponse && r.method === undefined && r.id !== undefined) this.onResponse();
    return this.writeRaw(msg);
  }

  /** Writes any JSON value as one line (used for errors about malformed input, which vscode-jsonrpc cannot send). */
  writeRaw(value: unknown): Promise<void> {
    if (this.closed) return Promise.reject(new Error('stream closed'));
    const line = JSON.stringify(value) + '\n';
    return new Promise((resolve, reject) => {
      this.sink.write(line, (err) => {
        if (err) { this.fireError(err, value as Message); reject(err); } else resolve();
      });
    });
  }

  end(): void {
    this.closed = true;
    this.sink.end();
  }
}
