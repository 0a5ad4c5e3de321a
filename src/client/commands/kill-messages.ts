// Kill socket: when to offer root first, and failures in words a user can act on. Pure (no vscode).
import type { Capabilities } from '../../protocol/helper-protocol';

/** The button that runs "Show All Processes (root)" (the command's title, so the two read the same). */
export const SHOW_ALL_PROCESSES_ACTION = 'Show All Processes (root)';

/** The running helper cannot destroy sockets (no CAP_NET_ADMIN): offer root before asking to confirm. */
export function killNeedsRoot(caps: Capabilities | undefined): boolean {
  return caps !== undefined && !caps.canKill;
}

export function isPermissionError(error: string): boolean {
  return /EPERM|EACCES|Permission|PermissionDenied/i.test(error);
}

export function killErrorText(error: string): string {
  if (/EOPNOTSUPP|ENOTSUP|NotSupported|not supported/i.test(error)) {
    return 'this kernel cannot destroy sockets (SOCK_DESTROY unsupported: it needs CONFIG_INET_DIAG_DESTROY).';
  }
  if (isPermissionError(error)) return 'permission denied: killing sockets needs CAP_NET_ADMIN (run the helper as root).';
  if (/ENOENT/.test(error)) return 'the socket is already gone.';
  return error;
}
