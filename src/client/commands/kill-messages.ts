// Kill socket failures in words a user can act on. Pure (no vscode).

export function killErrorText(error: string): string {
  if (/EOPNOTSUPP|ENOTSUP|NotSupported|not supported/i.test(error)) {
    return 'this kernel cannot destroy sockets (SOCK_DESTROY unsupported: it needs CONFIG_INET_DIAG_DESTROY).';
  }
  if (/EPERM|EACCES|Permission/i.test(error)) return 'permission denied: killing sockets needs CAP_NET_ADMIN (run the helper as root).';
  if (/ENOENT/.test(error)) return 'the socket is already gone.';
  return error;
}
