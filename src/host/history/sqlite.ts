// One small interface over the two SQLite engines the history can run on: `node:sqlite` (Node >= 22.5:
// code-server's Node 24, recent VS Code Electron) and node-sqlite3-wasm (SQLite compiled to
// WebAssembly, for Node 20). Both write the same SQLite 3 file format, so a file recorded by one opens in
// the other and in the `sqlite3` command-line tool. No native module is built per runtime.
//
// The WebAssembly build's file layer has no shared memory and locks with a `FILE.lock` directory instead
// of POSIX locks. So there the database runs WAL in exclusive locking mode (SQLite then keeps the WAL
// index in its own heap) and `idle()` closes the file between batches, letting other Sockscope processes
// in; a lock directory left by a killed process is removed when the pid that made it is gone. While open,
// it also holds a byte-range lock that SQLite's own locking sees (engine-lock.ts), so it and node:sqlite
// take turns on a live file instead of reading under each other's writes.
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, rmSync, statfsSync, writeFileSync, fchmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { EngineBusyError, lockForWasm, type EngineLock } from './engine-lock';

export type SqlValue = number | bigint | string | Uint8Array | null;
export type SqlRow = Record<string, SqlValue>;

export interface SqlStore {
  /** Which engine opened the file. */
  readonly engine: 'node:sqlite' | 'wasm';
  readonly path: string;
  exec(sql: string): void;
  /** Runs one statement (prepared once per SQL text). */
  run(sql: string, params?: readonly SqlValue[]): void;
  all<T = SqlRow>(sql: string, params?: readonly SqlValue[]): T[];
  get<T = SqlRow>(sql: string, params?: readonly SqlValue[]): T | undefined;
  /** Rows one at a time (no array of every row). */
  iterate<T = SqlRow>(sql: string, params?: readonly SqlValue[]): IterableIterator<T>;
  /** Runs fn in one transaction (rolled back if it throws). */
  transaction<T>(fn: () => T): T;
  /** Between batches: lets other processes open the file (wasm: closes it; reopened on next use). */
  idle(): void;
  /** A reader between queries: lets writers in at once (wasm: closes it, reopened on next use; node:sqlite: nothing to do). */
  release(): void;
  close(): void;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** Force an engine (tests run both); default: node:sqlite where the runtime has it. */
  engine?: 'node:sqlite' | 'wasm';
  /** Called once on every fresh connection, before use (pragmas, schema). */
  onOpen?: (db: SqlStore) => void;
  /**
   * A command that reads a little and exits (`sockscope log`): the WebAssembly SQLite is compiled by
   * V8's baseline compiler only. Its optimizing tier costs about 0.3 s of CPU at every start on Node 20,
   * more than such a command spends in SQLite. Process-wide, and only before the module is first loaded.
   */
  shortLived?: boolean;
}

let wasmLoaded = false;

/** An error the user can act on: which file, and why. */
export class HistoryError extends Error {
  constructor(message: string, readonly code?: string) { super(message); }
}

interface NodeSqlite {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean; open?: boolean }) => NodeDb;
}
interface NodeStatement { run(...p: SqlValue[]): unknown; all(...p: SqlValue[]): unknown[]; get(...p: SqlValue[]): unknown; iterate(...p: SqlValue[]): IterableIterator<unknown>; }
interface NodeDb { exec(sql: string): void; prepare(sql: string): NodeStatement; close(): void; }

let nodeSqlite: NodeSqlite | null | undefined;
/** node:sqlite if this runtime has it (without printing its experimental warning twice). */
function loadNodeSqlite(): NodeSqlite | null {
  if (nodeSqlite !== undefined) return nodeSqlite;
  const get = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  try {
    nodeSqlite = (get ? get('node:sqlite') : require('node:sqlite')) as NodeSqlite ?? null;
  } catch {
    nodeSqlite = null;
  }
  return nodeSqlite;
}

export function hasNodeSqlite(): boolean {
  return loadNodeSqlite() !== null;
}

/**
 * Creates the file (mode 0600, as the calling user) if it is missing, so SQLite never creates it with
 * the process umask; the -wal file SQLite makes takes the database file's mode.
 */
export function createPrivateFile(path: string): void {
  if (existsSync(path)) return;
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    throw new HistoryError(`cannot create ${path}: ${code ?? (e as Error).message}`, code);
  }
  try { fchmodSync(fd, 0o600); } finally { closeSync(fd); }
}

export function openStore(path: string, options: OpenOptions = {}): SqlStore {
  const engine = options.engine ?? (hasNodeSqlite() ? 'node:sqlite' : 'wasm');
  if (!options.readOnly) createPrivateFile(path);
  else if (!existsSync(path)) throw new HistoryError(`no recording at ${path}`, 'ENOENT');
  const store = engine === 'node:sqlite' ? new NodeStore(path, options) : new WasmStore(path, options);
  return store;
}

/** The WebAssembly engine reports a failed write as an I/O error: the file system says whether it is full. */
function diskFull(path: string): boolean {
  try {
    const s = statfsSync(dirname(path));
    return s.bavail * s.bsize < 64 * 1024;
  } catch {
    return false;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Turns an engine's error into one line naming the file. */
export function describeSqlError(path: string, e: unknown): HistoryError {
  if (e instanceof HistoryError) return e;
  if (e instanceof EngineBusyError) return new HistoryError(e.message, 'EBUSY');
  const m = e instanceof Error ? e.message : String(e);
  if (/SQLITE_FULL|database or disk is full|ENOSPC/i.test(m) || (/disk I\/O error/i.test(m) && diskFull(path))) return new HistoryError(`${path}: the disk is full; history is not being written`, 'ENOSPC');
  if (/readonly|read-only|EROFS|EACCES|EPERM/i.test(m) || (/disk I\/O error|unable to open|could not open/i.test(m) && !writable(path))) return new HistoryError(`${path}: cannot write the recording (read-only file or folder): ${m}`, 'EROFS');
  if (/not a database|malformed|corrupt/i.test(m)) return new HistoryError(`${path}: not a Sockscope recording or damaged (${m})`, 'ECORRUPT');
  if (/locked|busy/i.test(m)) return new HistoryError(`${path}: the recording is busy (another process holds it): ${m}`, 'EBUSY');
  return new HistoryError(`${path}: ${m}`);
}

class NodeStore implements SqlStore {
  readonly engine = 'node:sqlite' as const;
  private db: NodeDb | null = null;
  private readonly stmts = new Map<string, NodeStatement>();

  constructor(readonly path: string, private readonly options: OpenOptions) {
    this.conn();
  }

  private conn(): NodeDb {
    if (this.db) return this.db;
    const mod = loadNodeSqlite();
    if (!mod) throw new HistoryError('node:sqlite is not available in this runtime');
    try {
      this.db = new mod.DatabaseSync(this.path, { readOnly: this.options.readOnly === true });
      // A reader may wait for a WebAssembly writer's release (engine-lock.ts, RELEASE_EVERY_MS).
      this.db.exec(`PRAGMA busy_timeout = ${this.options.readOnly ? 10_000 : 2000}`);
      this.options.onOpen?.(this);
      return this.db;
    } catch (e) {
      this.close();
      throw describeSqlError(this.path, e);
    }
  }

  private stmt(sql: string): NodeStatement {
    let s = this.stmts.get(sql);
    if (!s) { s = this.conn().prepare(sql); this.stmts.set(sql, s); }
    return s;
  }

  exec(sql: string): void { this.conn().exec(sql); }
  run(sql: string, params: readonly SqlValue[] = []): void { this.stmt(sql).run(...params); }
  all<T>(sql: string, params: readonly SqlValue[] = []): T[] { return this.stmt(sql).all(...params) as T[]; }
  get<T>(sql: string, params: readonly SqlValue[] = []): T | undefined { return (this.stmt(sql).get(...params) ?? undefined) as T | undefined; }
  iterate<T>(sql: string, params: readonly SqlValue[] = []): IterableIterator<T> { return this.stmt(sql).iterate(...params) as IterableIterator<T>; }
  transaction<T>(fn: () => T): T {
    const db = this.conn();
    db.exec('BEGIN IMMEDIATE');
    try {
      const r = fn();
      db.exec('COMMIT');
      return r;
    } catch (e) {
      try { db.exec('ROLLBACK'); } catch { /* already rolled back by SQLite */ }
      throw e;
    }
  }
  idle(): void { /* WAL with shared memory: node:sqlite readers already get in */ }
  /** Closes the file until the next query: an open connection holds SQLite's SHARED lock, which keeps a WebAssembly writer out. */
  release(): void { this.close(); }
  close(): void {
    this.stmts.clear();
    const db = this.db;
    this.db = null;
    db?.close();
  }
}

interface WasmStatement { run(v?: SqlValue[]): unknown; all(v?: SqlValue[]): unknown[]; get(v?: SqlValue[]): unknown; iterate(v?: SqlValue[]): IterableIterator<unknown>; finalize(): void; }
interface WasmDb { exec(sql: string): void; prepare(sql: string): WasmStatement; close(): void; }

/**
 * The WebAssembly engine's writer lets readers in (closes the file) at most this often: each close
 * checkpoints the WAL into the database with an fsync, too slow to do per batch.
 */
const RELEASE_EVERY_MS = 3000;

class WasmStore implements SqlStore {
  readonly engine = 'wasm' as const;
  private db: WasmDb | null = null;
  private openedAt = 0;
  private readonly stmts = new Map<string, WasmStatement>();
  private readonly lockDir: string;
  private readonly ownerFile: string;
  private engineLock: EngineLock | null = null;

  constructor(readonly path: string, private readonly options: OpenOptions) {
    this.lockDir = `${path}.lock`;
    this.ownerFile = `${path}.lock-owner`;
    this.conn();
  }

  /** A lock directory whose owner is gone (killed) is removed; one held by a live process is kept. */
  private clearStaleLock(): void {
    if (!existsSync(this.lockDir)) return;
    let pid = 0;
    try { pid = Number(readFileSync(this.ownerFile, 'utf8')); } catch { /* no owner recorded */ }
    if (pid > 0 && pid !== process.pid) {
      try { process.kill(pid, 0); return; } catch (e) { if ((e as NodeJS.ErrnoException).code === 'EPERM') return; }
    }
    if (pid === 0) return; // someone else's lock without an owner file: let SQLite's busy handling wait
    try { rmSync(this.lockDir, { recursive: true, force: true }); } catch { /* lost a race: fine */ }
  }

  private conn(): WasmDb {
    if (this.db) return this.db;
    this.clearStaleLock();
    if (this.options.shortLived && !wasmLoaded) (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--liftoff-only');
    wasmLoaded = true;
    const { Database } = require('node-sqlite3-wasm') as { Database: new (p: string, o?: { readOnly?: boolean; fileMustExist?: boolean }) => WasmDb };
    const busyMs = this.options.readOnly ? 10_000 : 2000;
    try {
      this.engineLock = lockForWasm(this.path, this.options.readOnly === true);
      const db = new Database(this.path, { readOnly: this.options.readOnly === true, fileMustExist: this.options.readOnly === true });
      this.db = db;
      this.openedAt = Date.now();
      // A reader may wait for a writer's release (RELEASE_EVERY_MS, plus its checkpoint).
      db.exec(`PRAGMA busy_timeout = ${busyMs}`);
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      if (!this.options.readOnly) {
        try { writeFileSync(this.ownerFile, String(process.pid), { mode: 0o600 }); } catch { /* read-only folder: the open below says so */ }
      }
      this.options.onOpen?.(this);
      return db;
    } catch (e) {
      this.close();
      throw describeSqlError(this.path, e);
    }
  }

  private stmt(sql: string): WasmStatement {
    let s = this.stmts.get(sql);
    if (!s) { s = this.conn().prepare(sql); this.stmts.set(sql, s); }
    return s;
  }

  exec(sql: string): void { this.conn().exec(sql); }
  run(sql: string, params: readonly SqlValue[] = []): void { this.stmt(sql).run(params as SqlValue[]); }
  all<T>(sql: string, params: readonly SqlValue[] = []): T[] { return this.stmt(sql).all(params as SqlValue[]) as T[]; }
  get<T>(sql: string, params: readonly SqlValue[] = []): T | undefined { return (this.stmt(sql).get(params as SqlValue[]) ?? undefined) as T | undefined; }
  iterate<T>(sql: string, params: readonly SqlValue[] = []): IterableIterator<T> { return this.stmt(sql).iterate(params as SqlValue[]) as IterableIterator<T>; }
  transaction<T>(fn: () => T): T {
    const db = this.conn();
    db.exec('BEGIN IMMEDIATE');
    try {
      const r = fn();
      db.exec('COMMIT');
      return r;
    } catch (e) {
      try { db.exec('ROLLBACK'); } catch { /* already rolled back */ }
      throw e;
    }
  }
  idle(): void { if (Date.now() - this.openedAt >= RELEASE_EVERY_MS) this.close(); }
  release(): void { this.close(); }
  close(): void {
    for (const s of this.stmts.values()) { try { s.finalize(); } catch { /* closing anyway */ } }
    this.stmts.clear();
    if (this.db) {
      const db = this.db;
      this.db = null;
      try { db.close(); } catch { /* the lock directory is cleared below if it is ours */ }
      if (!this.options.readOnly) { try { rmSync(this.ownerFile, { force: true }); } catch { /* gone */ } }
    }
    const lock = this.engineLock;
    this.engineLock = null;
    lock?.release();
  }
}
