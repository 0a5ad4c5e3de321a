// Netlink and sock_diag constants (include/uapi/linux/{netlink,sock_diag,inet_diag,unix_diag,packet_diag,netlink_diag}.h).

export const NETLINK_SOCK_DIAG = 4;
export const SOCK_RAW = 3;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_RCVTIMEO = 20; // SO_RCVTIMEO_OLD: struct timeval
export const SO_RCVBUF = 8;
export const SOL_NETLINK = 270;
export const NETLINK_EXT_ACK = 11;
export const NETLINK_GET_STRICT_CHK = 12;
export const MSG_DONTWAIT = 0x40;
export const MSG_TRUNC = 0x20;
export const MSG_WAITFORONE = 0x10000;
export const CLONE_NEWNET = 0x40000000;

export const NLMSG_HDRLEN = 16;
export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLM_F_REQUEST = 0x01;
export const NLM_F_MULTI = 0x02;
export const NLM_F_ACK = 0x04;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_ROOT = 0x100;
export const NLM_F_MATCH = 0x200;
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
export const NLM_F_CAPPED = 0x100; // in NLMSG_ERROR replies: the request was not echoed whole

export const SOCK_DIAG_BY_FAMILY = 20;
export const SOCK_DESTROY = 21;
/** The original inet_diag request for TCP (struct inet_diag_req): its dumps cover IPv4 and IPv6 at once. */
export const TCPDIAG_GETSOCK = 18;

export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_RAW = 255;
export const IPPROTO_MPTCP = 262;

/** inet_diag request attributes. */
export const INET_DIAG_REQ_BYTECODE = 1;
export const INET_DIAG_REQ_PROTOCOL = 3;

/** inet_diag reply attributes. */
export const INET_DIAG_MEMINFO = 1;
export const INET_DIAG_INFO = 2;
export const INET_DIAG_VEGASINFO = 3;
export const INET_DIAG_CONG = 4;
export const INET_DIAG_TOS = 5;
export const INET_DIAG_TCLASS = 6;
export const INET_DIAG_SKMEMINFO = 7;
export const INET_DIAG_SHUTDOWN = 8;
export const INET_DIAG_DCTCPINFO = 9;
export const INET_DIAG_PROTOCOL = 10;
export const INET_DIAG_SKV6ONLY = 11;
export const INET_DIAG_MARK = 15;
export const INET_DIAG_BBRINFO = 16;
export const INET_DIAG_CLASS_ID = 17;
export const INET_DIAG_CGROUP_ID = 21;

export const INET_DIAG_MSG_LEN = 72;
export const INET_DIAG_REQ_V2_LEN = 56;
export const INET_DIAG_REQ_LEN = 60;

export const UDIAG_SHOW_NAME = 0x01;
export const UDIAG_SHOW_VFS = 0x02;
export const UDIAG_SHOW_PEER = 0x04;
export const UDIAG_SHOW_ICONS = 0x08;
export const UDIAG_SHOW_RQLEN = 0x10;
export const UDIAG_SHOW_MEMINFO = 0x20;
export const UDIAG_SHOW_UID = 0x40;
export const UNIX_DIAG_NAME = 0;
export const UNIX_DIAG_VFS = 1;
export const UNIX_DIAG_PEER = 2;
export const UNIX_DIAG_ICONS = 3;
export const UNIX_DIAG_RQLEN = 4;
export const UNIX_DIAG_MEMINFO = 5;
export const UNIX_DIAG_SHUTDOWN = 6;
export const UNIX_DIAG_UID = 7;
export const UNIX_DIAG_MSG_LEN = 16;

export const PACKET_SHOW_INFO = 0x01;
export const PACKET_SHOW_MCLIST = 0x02;
export const PACKET_SHOW_RING_CFG = 0x04;
export const PACKET_SHOW_FANOUT = 0x08;
export const PACKET_SHOW_MEMINFO = 0x10;
export const PACKET_DIAG_INFO = 0;
export const PACKET_DIAG_RX_RING = 2;
export const PACKET_DIAG_TX_RING = 3;
export const PACKET_DIAG_FANOUT = 4;
export const PACKET_DIAG_UID = 5;
export const PACKET_DIAG_MEMINFO = 6;
export const PACKET_DIAG_MSG_LEN = 16;

export const NDIAG_PROTO_ALL = 255;
export const NDIAG_SHOW_MEMINFO = 0x01;
export const NDIAG_SHOW_GROUPS = 0x02;
export const NDIAG_SHOW_FLAGS = 0x08;
export const NETLINK_DIAG_MEMINFO = 0;
export const NETLINK_DIAG_GROUPS = 1;
export const NETLINK_DIAG_FLAGS = 4;
export const NETLINK_DIAG_MSG_LEN = 28;

/** sock_diag multicast groups (SKNLGRP_*). */
export const SKNLGRP_INET_TCP_DESTROY = 1;
export const SKNLGRP_INET_UDP_DESTROY = 2;
export const SKNLGRP_INET6_TCP_DESTROY = 3;
export const SKNLGRP_INET6_UDP_DESTROY = 4;

export const nlmsgAlign = (n: number): number => (n + 3) & ~3;
