// Byte-range locks on an open file (fcntl F_OFD_SETLK / F_OFD_GETLK): owned by the open file, not the
// process, so closing another descriptor of the same file does not drop them, and released when this
// descriptor closes (or the process dies). They conflict with the classic POSIX locks SQLite takes, in
// every process, this one included.
import { libc } from './libc';
import { ERRNO, NetlinkError } from './errors';

/** <fcntl.h> on Linux (x86_64 and arm64, the architectures koffi's prebuilt binaries serve). */
const F_OFD_GETLK = 36;
const F_OFD_SETLK = 37;
const F_RDLCK = 0;
const F_WRLCK = 1;
const F_UNLCK = 2;
const SEEK_SET = 0;
/** struct flock: short l_type, short l_whence, (pad), off_t l_start, off_t l_len, pid_t l_pid, (pad). */
const FLOCK_SIZE = 32;

export type RangeLockKind = 'read' | 'write';

function flock(type: number, start: number, length: number): Buffer {
  const b = Buffer.alloc(FLOCK_SIZE);
  b.writeInt16LE(type, 0);
  b.writeInt16LE(SEEK_SET, 2);
  b.writeBigInt64LE(BigInt(start), 8);
  b.writeBigInt64LE(BigInt(length), 16);
  return b;
}

function failed(what: string): NetlinkError {
  const errno = libc().errno();
  return new NetlinkError('syscall', what, errno);
}

/** Takes the lock without waiting: false when another open file holds a conflicting one. */
export function tryLockRange(fd: number, kind: RangeLockKind, start: number, length: number): boolean {
  const c = libc();
  if (c.fcntlLock(fd, F_OFD_SETLK, flock(kind === 'write' ? F_WRLCK : F_RDLCK, start, length)) === 0) return true;
  const errno = c.errno();
  if (errno === ERRNO.EAGAIN || errno === ERRNO.EACCES) return false;
  throw failed('fcntl(F_OFD_SETLK)');
}

/** The kind of lock another open file holds that would conflict with `kind` over the range, if any. */
export function rangeConflict(fd: number, kind: RangeLockKind, start: number, length: number): RangeLockKind | null {
  const b = flock(kind === 'write' ? F_WRLCK : F_RDLCK, start, length);
  if (libc().fcntlLock(fd, F_OFD_GETLK, b) !== 0) throw failed('fcntl(F_OFD_GETLK)');
  const type = b.readInt16LE(0);
  return type === F_UNLCK ? null : type === F_WRLCK ? 'write' : 'read';
}
