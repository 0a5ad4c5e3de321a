// `-K` / `--kill`, as `ss -K`: every matching tcp/udp/raw/mptcp socket is closed with SOCK_DESTROY
// and shown if that worked. Sockets the kernel cannot destroy (EOPNOTSUPP) or that are already gone
// (ENOENT) are skipped silently; any other refusal (EPERM without CAP_NET_ADMIN) stops with ss's
// message.
import { NetlinkError, type SockDiag, type Socket } from '../../netlink/index';
import { CliError } from './errors';

const ENOENT = 2;
const EOPNOTSUPP = 95;
const STRERROR: Record<number, string> = {
  1: 'Operation not permitted', 13: 'Permission denied', 22: 'Invalid argument', 16: 'Device or resource busy',
};

/** Kinds SOCK_DESTROY exists for. */
export const KILLABLE = new Set(['tcp', 'udp', 'raw', 'mptcp']);

/** Destroys each socket; returns the ones that were destroyed, in order. */
export function killSockets(diag: SockDiag, sockets: readonly Socket[]): Socket[] {
  const killed: Socket[] = [];
  for (const s of sockets) {
    try {
      diag.destroy(s);
      killed.push(s);
    } catch (e) {
      if (e instanceof NetlinkError && (e.errno === ENOENT || e.errno === EOPNOTSUPP || e.code === 'unsupported')) continue;
      if (e instanceof NetlinkError && e.errno) throw new CliError(`SOCK_DESTROY answers: ${STRERROR[e.errno] ?? e.message}`);
      throw e;
    }
  }
  return killed;
}
