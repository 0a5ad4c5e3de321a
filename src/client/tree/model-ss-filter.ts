// ss filters derived from one socket: "Copy as ss filter" (options, state and addresses that make
// real `ss` select exactly this socket) and the view's "Filter to this port / this peer".
// Pure (no vscode); test/system/tree-filter.test.ts checks the output against real ss.
import type { Netid, SocketRecord, StateName } from '../../protocol/socket-record';
import { isWildcardAddress } from './model-exposure';

const NETID_OPTION: Record<Netid, string> = {
  tcp: '-t', udp: '-u', raw: '-w', mptcp: '-M',
  u_str: '-A unix_stream', u_dgr: '-A unix_dgram', u_seq: '-A unix_seqpacket',
  p_raw: '-A packet_raw', p_dgr: '-A packet_dgram', nl: '-A netlink',
  v_str: '-A vsock_stream', v_dgr: '-A vsock_dgram',
};

/** ss's state words for the names it prints. */
export const STATE_WORD: Record<StateName, string> = {
  'ESTAB': 'established', 'SYN-SENT': 'syn-sent', 'SYN-RECV': 'syn-recv', 'FIN-WAIT-1': 'fin-wait-1',
  'FIN-WAIT-2': 'fin-wait-2', 'TIME-WAIT': 'time-wait', 'UNCONN': 'closed', 'CLOSE-WAIT': 'close-wait',
  'LAST-ACK': 'last-ack', 'LISTEN': 'listening', 'CLOSING': 'closing', 'NEW-SYN-RECV': 'syn-recv',
  'BOUND-INACTIVE': 'bound-inactive',
};

const INET_NETIDS = new Set<Netid>(['tcp', 'udp', 'raw', 'mptcp']);
const UNIX_NETIDS = new Set<Netid>(['u_str', 'u_dgr', 'u_seq']);

/** An address as an ss HOST: `10.0.0.1`, `[::1]`, `[::ffff:10.0.0.1]`. */
export function ssHost(address: string, family: SocketRecord['family']): string {
  return family === 'inet6' ? `[${address}]` : address;
}

function hostPort(s: SocketRecord, side: 'local' | 'peer'): string {
  const address = side === 'local' ? s.localAddress : s.peerAddress;
  const port = side === 'local' ? s.localPort : s.peerPort;
  const wildcardAddress = s.family === 'inet6' ? '::' : '0.0.0.0';
  return `${ssHost(address === null || address === '' || address === '*' ? wildcardAddress : address, s.family)}:${port === 0 ? '*' : port}`;
}

/** Wraps a word in single quotes when a shell would split or expand it. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./[\]-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

export interface SsFilterOptions {
  /** Named network namespace, added as `-N NAME`. */
  netns?: string;
}

/**
 * The ss arguments selecting exactly this socket, e.g.
 * `-t -4 state established src 127.0.0.1:5432 dst 127.0.0.1:40312`; undefined when ss has no
 * filter for it (unnamed unix sockets, packet, netlink, vsock).
 */
export function ssFilterFor(s: SocketRecord, opts: SsFilterOptions = {}): string | undefined {
  const words: string[] = [];
  if (opts.netns) words.push('-N', shellWord(opts.netns));
  words.push(NETID_OPTION[s.netid]);
  if (INET_NETIDS.has(s.netid)) {
    words.push(s.family === 'inet6' ? '-6' : '-4');
    words.push('state', STATE_WORD[s.state]);
    words.push('src', hostPort(s, 'local'));
    if (s.peerPort !== 0 || !isWildcardAddress(s.peerAddress)) words.push('dst', hostPort(s, 'peer'));
    if (s.iface) words.push('dev', shellWord(s.iface));
    return words.join(' ');
  }
  if (UNIX_NETIDS.has(s.netid)) {
    if (!s.localAddress) return undefined;
    words.push('state', STATE_WORD[s.state], 'src', shellWord(`unix:${s.localAddress}`));
    return words.join(' ');
  }
  return undefined;
}

/**
 * The port a user means by "this port": the local port of a listener or of a server-side
 * connection, the peer's port for a client connection from an ephemeral port.
 */
export function servicePort(s: SocketRecord): number {
  if (s.state === 'LISTEN' || s.state === 'UNCONN' || s.peerPort === 0) return s.localPort;
  const ephemeral = (p: number): boolean => p >= 32768;
  if (ephemeral(s.localPort) && !ephemeral(s.peerPort)) return s.peerPort;
  return s.localPort;
}

/** View filter for "Filter to this port": both directions of the service port. */
export function portFilterFor(s: SocketRecord): string | undefined {
  if (!INET_NETIDS.has(s.netid)) return undefined;
  const p = servicePort(s);
  return p ? `( sport = :${p} or dport = :${p} )` : undefined;
}

/** View filter for "Filter to this peer": the peer address, any port. */
export function peerFilterFor(s: SocketRecord): string | undefined {
  if (!INET_NETIDS.has(s.netid) || isWildcardAddress(s.peerAddress) || !s.peerAddress) return undefined;
  return `dst ${ssHost(s.peerAddress, s.family)}`;
}
