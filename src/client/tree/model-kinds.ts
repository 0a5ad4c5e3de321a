// The socket kinds offered by the `sockscope.families` setting, and the netids each covers.
import type { Netid } from '../../protocol/socket-record';

export const SOCKET_KINDS = ['tcp', 'udp', 'raw', 'mptcp', 'unix', 'packet', 'netlink', 'vsock'] as const;
export type SocketKind = (typeof SOCKET_KINDS)[number];

const KIND_OF: Record<Netid, SocketKind> = {
  tcp: 'tcp', udp: 'udp', raw: 'raw', mptcp: 'mptcp',
  u_str: 'unix', u_dgr: 'unix', u_seq: 'unix',
  p_raw: 'packet', p_dgr: 'packet',
  nl: 'netlink',
  v_str: 'vsock', v_dgr: 'vsock',
};

export function kindOf(netid: Netid): SocketKind {
  return KIND_OF[netid];
}

/** Keeps the known kinds of a user setting; an empty or invalid setting means every kind. */
export function parseKinds(value: unknown): ReadonlySet<SocketKind> | undefined {
  if (!Array.isArray(value)) return undefined;
  const kinds = value.filter((v): v is SocketKind => (SOCKET_KINDS as readonly string[]).includes(v));
  return kinds.length ? new Set(kinds) : undefined;
}
