// The socket engine's public API. Everything above src/netlink imports from here only.
//
//   const diag = SockDiag.open({ netnsPath: '/run/netns/x' });   // netnsPath optional; procfsOnly, timeoutMs
//   const notes = diag.dump({ kinds: ['tcp'], states: ALL_STATES, ext: { info: true } }, (s) => print(s));
//   // notes.notes: plain-language lines (module missing -> /proc fallback, inconsistent dump ...)
//   // notes.procfs / notes.skipped: kinds read from /proc/net / not available at all
//   // notes.bytecodeRejected: the kernel refused req.bytecode; the dump ran unfiltered
//   await diag.dumpBatched(req, (s) => print(s));  // the same, transient, with the kernel filling the
//                                                 // next datagrams on a pool thread while these parse
//   const again = diag.lookup(socket, { info: true });  // exact SOCK_DIAG_BY_FAMILY request; null if gone
//   diag.destroy(socket);                        // SOCK_DESTROY; NetlinkError with errno on failure
//   diag.close();
//   const sub = subscribeDestroyEvents({ netnsPath, groups: ['tcp4'] }, (s) => ...); sub.close();  // `ss -E`
//
// SockDiag.open never changes the calling thread's namespace: a short-lived worker thread enters
// the namespace, creates the sock_diag socket and opens /proc/thread-self/net/* there, and hands the
// fds back. If netlink is refused (or procfsOnly) dumps are served from /proc/net and say so.
//
// Dumps stream: onSocket is called once per socket while datagrams are parsed; nothing is
// accumulated. A Socket stays valid after the callback (it references its datagram's bytes).
// Cheap fields are plain properties (netid, family, state, recvQ, sendQ, localPort, peerPort,
// ifindex, inode, uid, cookieLo/Hi, timerKind/Expires/Retrans, mark, tos, tclass, classId, v6only,
// shutdown, peerInode, sockType, protocol, packet, netlinkFlags, source). Costly ones are lazy
// getters: localAddress/peerAddress (canonical text), localAddressBytes, cookie (bigint), stateName,
// timer, tcpInfo (TcpInfo view: one getter per tcp_info field, undefined beyond the kernel's struct),
// mptcpInfo, congestion, skmem, meminfo, bbr, dctcp, vegas, cgroupId, unixName, unixVfs, unixIcons,
// netlinkGroups. For zero-copy readers, `buf` + `attrs` (offsets, -1 when absent) + srcOff/dstOff
// locate the raw bytes; src/fields (TCP_INFO_FIELDS, MPTCP_INFO_FIELDS, SK_MEMINFO_FIELDS) gives the offsets.
//
// States are kernel numbers (TCP_ESTABLISHED = 1 ... TCP_BOUND_INACTIVE = 13; ss's UNCONN is
// TCP_CLOSE); DumpRequest.states is a mask of 1 << state. Errors are NetlinkError { code, errno };
// malformed bytes never surface as RangeError/TypeError.

export { SockDiag } from './sock-diag';
export { PORT_RANGE_SYSCTL, parsePortRange } from './netns';
export { subscribeDestroyEvents, DESTROY_POLL_MS } from './destroy-events';
export { NetlinkError, ERRNO, errnoName } from './errors';
export type { NetlinkErrorCode } from './errors';
export type { DumpExt, DumpRequest, DumpNotes, SocketKey, OpenOptions, SubscribeOptions, DestroyGroup, DatagramReader } from './types';
export { parseMessage } from './parse';
export { readDiagFile } from './diag-file';
export type { DiagFileResult } from './diag-file';
export type { DumpState } from './parse';
export {
  Socket, SOCK_KINDS, KIND_OF_NETID, kindOfNetid, SS_DUMP_ORDER, TIMER_NAMES, ALL_STATES,
  AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET,
  TCP_ESTABLISHED, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT1, TCP_FIN_WAIT2, TCP_TIME_WAIT, TCP_CLOSE,
  TCP_CLOSE_WAIT, TCP_LAST_ACK, TCP_LISTEN, TCP_CLOSING, TCP_NEW_SYN_RECV, TCP_BOUND_INACTIVE,
} from './diag-socket';
export type {
  SockKind, Netid, TimerInfo, SkMemInfo, OldMemInfo, BbrInfo, DctcpInfo, VegasInfo, UnixVfs, PacketInfo, PacketRing,
  SocketSource, AttrRefs,
} from './diag-socket';
export { TcpInfoView, tcpInfoView, fullTcpInfo } from './tcp-info';
export type { TcpInfo } from './tcp-info';
export { decodeMptcpInfo } from './mptcp-info';
export { formatIPv4, formatIPv6, formatAddress, parseAddress, isV4Mapped } from './address';
export { tryLockRange, rangeConflict } from './range-lock';
export type { RangeLockKind } from './range-lock';
