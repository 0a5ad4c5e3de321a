// The recorder's side of the writer: batches go to a worker thread that owns the database, so a
// refresh never waits for the disk. While one batch is being written the next one collects here;
// if the disk is slower than the recording, the waiting batch is capped and what it drops is counted
// (and said once), never queued without bound.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { batchSize, emptyBatch, mergeBatch, takeBatch, type Batch } from './batch';
import { HistoryWriter, type WriterOptions } from './writer';

export type WorkerRequest = { type: 'batch'; seq: number; batch: Batch } | { type: 'close' };
export type WorkerReply =
  | { type: 'ready'; nextId: number }
  | { type: 'written'; seq: number }
  | { type: 'error'; message: string; seq?: number; fatal?: boolean }
  | { type: 'closed' };

/** Most changes a waiting batch holds before new ones are dropped. */
const MAX_WAITING = 500_000;
/** Rows sent to the thread in one message. */
const MAX_POSTED = 5_000;

export interface BatchSink {
  readonly nextId: number;
  /** Hands over a batch (the sink owns it from here). */
  push(b: Batch): void;
  /** Writes what is waiting, then closes the database. */
  close(): Promise<void>;
}

export interface ThreadWriterEvents {
  /** A write failed (disk full, read-only file ...): said once per distinct message. */
  onError?: (message: string) => void;
}

/** The worker's bundle: beside this bundle in dist/, or (running from src/, in tests) the built one. */
function workerFile(): string {
  const bundled = join(__dirname, 'history-writer.js');
  if (existsSync(bundled)) return bundled;
  const built = join(__dirname, '..', '..', '..', 'dist', 'history-writer.js');
  if (existsSync(built)) return built;
  throw new Error('dist/history-writer.js is missing: run the build');
}

export class ThreadWriter implements BatchSink {
  private worker!: Worker;
  private inFlight: number | null = null;
  private waiting: Batch = emptyBatch();
  private seq = 0;
  private closing: (() => void) | null = null;
  private lastError: string | undefined;
  dropped = 0;
  nextId = 1;

  private constructor(private readonly events: ThreadWriterEvents) {}

  /** Starts the thread and opens the file; rejects with the reason the file cannot be recorded to. */
  static start(path: string, options: WriterOptions = {}, events: ThreadWriterEvents = {}): Promise<ThreadWriter> {
    const w = new ThreadWriter(events);
    return new Promise((resolve, reject) => {
      w.worker = new Worker(workerFile(), { workerData: { path, options } });
      w.worker.unref();
      w.worker.on('error', (e) => { reject(e); w.fail(e.message); });
      w.worker.on('message', (m: WorkerReply) => {
        if (m.type === 'ready') { w.nextId = m.nextId; resolve(w); return; }
        if (m.type === 'error' && m.fatal) { reject(new Error(m.message)); void w.worker.terminate(); return; }
        w.onReply(m);
      });
    });
  }

  private fail(message: string): void {
    if (message === this.lastError) return;
    this.lastError = message;
    this.events.onError?.(message);
  }

  private onReply(m: WorkerReply): void {
    if (m.type === 'written' || m.type === 'error') {
      if (m.type === 'error') this.fail(m.message);
      else this.lastError = undefined;
      this.inFlight = null;
      this.post();
    } else if (m.type === 'closed') {
      this.closing?.();
    }
  }

  private post(): void {
    if (this.inFlight !== null) return;
    if (batchSize(this.waiting) === 0 && this.waiting.stoppedAt === undefined) {
      if (this.closing) this.worker.postMessage({ type: 'close' } satisfies WorkerRequest);
      return;
    }
    // A few thousand rows at a time: a refresh that opens 100,000 sockets would otherwise be copied to
    // the thread whole, and the thread's heap keep that size (+70 MB) for the rest of the recording.
    const batch = batchSize(this.waiting) > MAX_POSTED ? takeBatch(this.waiting, MAX_POSTED) : this.waiting;
    if (batch === this.waiting) this.waiting = emptyBatch();
    this.inFlight = ++this.seq;
    this.worker.postMessage({ type: 'batch', seq: this.inFlight, batch } satisfies WorkerRequest);
  }

  push(b: Batch): void {
    if (this.inFlight !== null && batchSize(this.waiting) + batchSize(b) > MAX_WAITING) {
      this.dropped += batchSize(b);
      this.fail(`the disk is slower than the recording: ${this.dropped} changes dropped`);
      return;
    }
    mergeBatch(this.waiting, b);
    this.post();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (): void => { if (!done) { done = true; resolve(); } };
      this.closing = finish;
      this.worker.once('exit', finish);
      this.post();
    });
  }
}

/** The same sink on the calling thread (tests, and a reader that records nothing). */
export class InlineWriter implements BatchSink {
  private readonly writer: HistoryWriter;
  constructor(path: string, options: WriterOptions = {}) { this.writer = new HistoryWriter(path, options); }
  get nextId(): number { return this.writer.nextId; }
  push(b: Batch): void { this.writer.write(b); }
  close(): Promise<void> { this.writer.close(); return Promise.resolve(); }
}
