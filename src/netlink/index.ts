// The socket engine's public API. Everything above src/netlink imports from here only.
//
//   const diag = SockDiag.open({ netnsPath: '/run/netns/x' });   // netns optional
//   const notes = diag.dump({ kinds: ['tcp'], states: ALL_STATES, ext: { info: true } }, (s) => print(s));
//   // notes.notes: plain-language lines (module missing, /proc fallback, inconsistent dump ...)
//   const again = diag.lookup(socket);           // exact SOCK_DIAG_BY_FAMILY request, or null if gone
//   diag.destroy(socket);                        // SOCK_DESTROY; NetlinkError with errno on failure
//   diag.close();
//   const sub = subscribeDestroyEvents({}, (s) => ...); sub.close();   // like `ss -E`
//
// The Socket passed to the callback stays valid after the callback returns (it keeps a reference to
// its datagram's bytes); lazy getters (localAddress, tcpInfo, skmem, unixName ...) decode on access.
// Errors are NetlinkError { code, errno }; nothing here throws RangeError/TypeError on bad bytes.

export { SockDiag } from './sock-diag';
export { subscribeDestroyEvents } from './destroy-events';
export { NetlinkError, ERRNO, errnoName } from './errors';
export type { NetlinkErrorCode } from './errors';
export type { DumpExt, DumpRequest, DumpNotes, SocketKey, OpenOptions, SubscribeOptions, DestroyGroup } from './types';
export {
  Socket, SOCK_KINDS, STATE_NAMES, TIMER_NAMES, ALL_STATES,
  AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET,
  TCP_ESTABLISHED, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT1, TCP_FIN_WAIT2, TCP_TIME_WAIT, TCP_CLOSE,
  TCP_CLOSE_WAIT, TCP_LAST_ACK, TCP_LISTEN, TCP_CLOSING, TCP_NEW_SYN_RECV, TCP_BOUND_INACTIVE,
} from './socket';
export type {
  SockKind, Netid, TimerInfo, SkMemInfo, OldMemInfo, BbrInfo, DctcpInfo, VegasInfo, UnixVfs, PacketInfo, PacketRing, SocketSource,
} from './socket';
export { TcpInfoView, tcpInfoView, TCP_INFO_FIELDS, TCP_INFO_SIZE_6_18 } from './tcp-info';
export type { TcpInfo, TcpInfoField, TcpInfoFields, TcpInfoFieldName, PacingRate } from './tcp-info';
export { decodeMptcpInfo, MPTCP_INFO_SIZE } from './mptcp-info';
export type { MptcpInfo } from './mptcp-info';
export { formatIPv4, formatIPv6, formatAddress, parseAddress, isV4Mapped } from './address';
