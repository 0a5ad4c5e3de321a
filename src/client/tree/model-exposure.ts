// Exposure at a glance: a LISTEN/UNCONN inet socket bound to a wildcard address accepts traffic
// on every interface. Pure logic (no vscode) so it is unit-tested directly.
import type { SocketRecord } from '../../protocol/socket-record';

const WILDCARDS = new Set(['0.0.0.0', '::', '*', '']);
const INET_NETIDS = new Set(['tcp', 'udp', 'raw', 'mptcp']);

export function isWildcardAddress(address: string | null): boolean {
  return address === null || WILDCARDS.has(address);
}

/** True for a listening (TCP LISTEN, UDP/raw UNCONN) inet socket bound to 0.0.0.0, :: or *. */
export function isExposedListener(s: SocketRecord): boolean {
  if (s.state !== 'LISTEN' && s.state !== 'UNCONN') return false;
  if (!INET_NETIDS.has(s.netid)) return false;
  if (s.family !== 'inet' && s.family !== 'inet6') return false;
  return isWildcardAddress(s.localAddress);
}
