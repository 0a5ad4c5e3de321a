// The socket memory counters sock_diag reports (INET_DIAG_SKMEMINFO, UNIX_DIAG_MEMINFO,
// PACKET_DIAG_MEMINFO, NETLINK_DIAG_MEMINFO: an array of u32 indexed by SK_MEMINFO_*), described once.
import type { FieldUnit } from './units';

export interface SkMemInfoField {
  /** Index in the u32 array. */
  readonly index: number;
  /** The kernel's constant. */
  readonly kernel: string;
  /** The key in JSON records (`memInfo.rmemAlloc`). */
  readonly key: SkMemInfoKey;
  /** ss's tag inside `skmem:(...)`: `r` in `r0`. */
  readonly ss: string;
  readonly since: string;
  readonly unit: FieldUnit;
  readonly label: string;
  /** ss prints it only when the kernel's array reaches it (the others it prints as 0 when missing). */
  readonly ssIfSent?: true;
}

export type SkMemInfoKey = 'rmemAlloc' | 'rcvbuf' | 'wmemAlloc' | 'sndbuf' | 'fwdAlloc' | 'wmemQueued' | 'optmem' | 'backlog' | 'drops';

const K = (index: number, kernel: string, key: SkMemInfoKey, ss: string, since: string, unit: FieldUnit, label: string, ssIfSent?: true): SkMemInfoField =>
  ({ index, kernel, key, ss, since, unit, label, ...(ssIfSent ? { ssIfSent } : {}) });

export const SK_MEMINFO_FIELDS: readonly SkMemInfoField[] = [
  K(0, 'SK_MEMINFO_RMEM_ALLOC', 'rmemAlloc', 'r', '3.6', 'bytes', 'receive memory in use'),
  K(1, 'SK_MEMINFO_RCVBUF', 'rcvbuf', 'rb', '3.6', 'bytes', 'receive buffer'),
  K(2, 'SK_MEMINFO_WMEM_ALLOC', 'wmemAlloc', 't', '3.6', 'bytes', 'send memory in use'),
  K(3, 'SK_MEMINFO_SNDBUF', 'sndbuf', 'tb', '3.6', 'bytes', 'send buffer'),
  K(4, 'SK_MEMINFO_FWD_ALLOC', 'fwdAlloc', 'f', '3.6', 'bytes', 'memory reserved ahead'),
  K(5, 'SK_MEMINFO_WMEM_QUEUED', 'wmemQueued', 'w', '3.6', 'bytes', 'send memory queued'),
  K(6, 'SK_MEMINFO_OPTMEM', 'optmem', 'o', '3.6', 'bytes', 'option memory'),
  K(7, 'SK_MEMINFO_BACKLOG', 'backlog', 'bl', '3.19', 'bytes', 'backlog queue', true),
  K(8, 'SK_MEMINFO_DROPS', 'drops', 'd', '4.14', 'packets', 'drops', true),
];
