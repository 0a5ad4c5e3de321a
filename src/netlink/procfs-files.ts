// The /proc/net files the fallback reads, and which kind/family each holds.

import type { SockKind } from './diag-socket';

export interface ProcNetFile { name: string; kind: SockKind; family: 4 | 6 | 0 }

export const PROC_NET_FILES: readonly ProcNetFile[] = [
  { name: 'tcp', kind: 'tcp', family: 4 }, { name: 'tcp6', kind: 'tcp', family: 6 },
  { name: 'udp', kind: 'udp', family: 4 }, { name: 'udp6', kind: 'udp', family: 6 },
  { name: 'raw', kind: 'raw', family: 4 }, { name: 'raw6', kind: 'raw', family: 6 },
  { name: 'unix', kind: 'unix', family: 0 }, { name: 'packet', kind: 'packet', family: 0 },
  { name: 'netlink', kind: 'netlink', family: 0 },
];

/** What /proc/net lacks compared with sock_diag, said once per dump that uses it. */
export const PROCFS_LACKS = 'no tcp_info, no memory or congestion info, no socket cookies, no kernel-side filter';
