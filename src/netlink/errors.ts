// Typed errors of the netlink engine. Every failure the engine reports is a NetlinkError: the
// parsers turn truncated or malformed bytes into one instead of letting a RangeError escape.

/** errno values the engine names (Linux, x86-64 and arm64 alike). */
export const ERRNO = {
  EPERM: 1, ENOENT: 2, EINTR: 4, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EINVAL: 22,
  EMSGSIZE: 90, EPROTONOSUPPORT: 93, EOPNOTSUPP: 95, EAFNOSUPPORT: 97, ETIMEDOUT: 110, EBUSY: 16, ESRCH: 3, ESTALE: 116, ENOBUFS: 105, ECONNABORTED: 103, ENOSYS: 38,
} as const;

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(ERRNO).map(([k, v]) => [v, k]));

/** The symbolic name of an errno ("EPERM"), or "errno N". */
export function errnoName(errno: number): string {
  return NAMES[errno] ?? `errno ${errno}`;
}

/** What went wrong, for callers that branch on it. */
export type NetlinkErrorCode =
  | 'syscall'      // a libc call failed; errno says why
  | 'kernel'       // the kernel answered NLMSG_ERROR with errno
  | 'malformed'    // a message or attribute is cut short or has an impossible length
  | 'sequence'     // a reply carried a sequence number we did not send
  | 'inconsistent' // NLM_F_DUMP_INTR twice in a row
  | 'timeout'      // no reply within the receive timeout
  | 'unsupported'; // the operation does not exist for this kind of socket

export class NetlinkError extends Error {
  /** Positive errno (0 when the error is not an errno, e.g. malformed bytes). */
  readonly errno: number;
  readonly code: NetlinkErrorCode;

  constructor(code: NetlinkErrorCode, message: string, errno = 0) {
    super(errno ? `${message}: ${errnoName(errno)}` : message);
    this.name = 'NetlinkError';
    this.code = code;
    this.errno = errno;
  }
}
