// Keeps the WebAssembly SQLite and SQLite's own file locking (node:sqlite, the sqlite3 tool) off one live
// recording at the same time. The WebAssembly build locks with a `FILE.lock` directory and keeps the WAL
// index in its own heap, so by itself it neither sees nor is seen by a node:sqlite process: a Node 20
// `sockscope log` would read a WAL that a node:sqlite recorder checkpoints under it, and two writers
// would interleave.
//
// SQLite's unix locking: every connection to a WAL database holds a read lock over the 510 SHARED bytes
// of the database file for as long as it is open. So while a WebAssembly connection is open it holds,
// on its own descriptor, a write lock on one SHARED byte: no node:sqlite connection opens meanwhile
// (SQLite's busy wait applies), and none can be open already, or the byte would not be free. Each
// WebAssembly connection takes a different byte, so they do not exclude each other (their own lock
// directory orders their transactions, as before).
import { closeSync, openSync } from 'node:fs';
import { NetlinkError } from '../../netlink/errors';
import { rangeConflict, tryLockRange } from '../../netlink/range-lock';

/** SQLite's lock bytes (os.h): PENDING_BYTE, RESERVED_BYTE, then the SHARED bytes. */
const SHARED_FIRST = 0x40000000 + 2;
const SHARED_SIZE = 510;
const POLL_MS = 25;
/** How long to wait for node:sqlite connections to close (a reader's query ends; a recorder never does). */
const WAIT_MS = 2000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

export class EngineBusyError extends Error {}

/** The message when a WebAssembly connection gives up waiting for a node:sqlite connection to close. */
export function engineBusyMessage(path: string): string {
  return `${path}: the recording is open in another program that uses SQLite's own file locks (a Sockscope process on Node 22.5 or later, or the sqlite3 tool), and this process (Node ${process.versions.node}) uses the WebAssembly SQLite, which cannot share a live file with it; stop that program, or run this one on Node 22.5 or later`;
}

export interface EngineLock {
  release(): void;
}

/**
 * Takes the lock for a WebAssembly connection to `path`, waiting up to WAIT_MS while a node:sqlite
 * connection has the file open. A reader without write access
 * cannot take a write lock: it only checks that no node:sqlite connection is open. Returns null where
 * no lock is needed or possible: that reader, or no koffi on this system.
 */
export function lockForWasm(path: string, readOnly: boolean): EngineLock | null {
  let fd: number;
  let writable = true;
  try {
    fd = openSync(path, 'r+');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!readOnly || (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM')) throw e;
    fd = openSync(path, 'r');
    writable = false;
  }
  let held = false;
  try {
    const start = Date.now();
    for (;;) {
      held = writable ? takeByte(fd) : rangeConflict(fd, 'write', SHARED_FIRST, SHARED_SIZE) !== 'read';
      if (held) return writable ? { release: () => closeSync(fd) } : null;
      if (Date.now() - start >= WAIT_MS) throw new EngineBusyError(engineBusyMessage(path));
      sleep(POLL_MS);
    }
  } catch (e) {
    if (e instanceof NetlinkError && e.code === 'unsupported') return null;
    throw e;
  } finally {
    if (!held || !writable) closeSync(fd);
  }
}

/**
 * A write lock on one free SHARED byte; false when a read lock covers them (a node:sqlite connection).
 * Bytes other WebAssembly connections hold (write locks) are skipped.
 */
function takeByte(fd: number): boolean {
  const first = process.pid % SHARED_SIZE;
  for (let i = 0; i < SHARED_SIZE; i++) {
    const at = SHARED_FIRST + ((first + i) % SHARED_SIZE);
    if (tryLockRange(fd, 'write', at, 1)) return true;
    if (rangeConflict(fd, 'write', at, 1) === 'read') return false;
  }
  return false;
}
