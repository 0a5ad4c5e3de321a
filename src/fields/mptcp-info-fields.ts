// struct mptcp_info (include/uapi/linux/mptcp.h): what INET_DIAG_INFO carries for an MPTCP socket,
// described once (see tcp-info-fields.ts for why this table is the only place these facts are written).
import type { FieldUnit } from './units';

export interface MptcpInfoField {
  /** The kernel's name without `mptcpi_`. */
  readonly name: MptcpInfoFieldName;
  readonly offset: number;
  readonly size: 1 | 4 | 8;
  /** The first kernel whose struct holds it. */
  readonly since: string;
  readonly unit: FieldUnit;
  /** What ss 6.x prints before the value with -i; absent when it never prints it. */
  readonly ss?: string;
  /** For `flags` fields: bit -> the word ss prints when it is set. */
  readonly flags?: Readonly<Record<number, string>>;
  readonly label: string;
}

/** The fields' values as the parser yields them (u64 as bigint); those after rcv_nxt only from newer kernels. */
export interface MptcpInfo {
  subflows: number; add_addr_signal: number; add_addr_accepted: number; subflows_max: number;
  add_addr_signal_max: number; add_addr_accepted_max: number; flags: number; token: number;
  write_seq: bigint; snd_una: bigint; rcv_nxt: bigint;
  local_addr_used?: number; local_addr_max?: number; csum_enabled?: number;
  retransmits?: number; bytes_retrans?: bigint; bytes_sent?: bigint; bytes_received?: bigint; bytes_acked?: bigint;
  subflows_total?: number; endp_laminar_max?: number; endp_fullmesh_max?: number;
  last_data_sent?: number; last_data_recv?: number; last_ack_recv?: number;
}
export type MptcpInfoFieldName = keyof MptcpInfo;

const M = (name: MptcpInfoFieldName, offset: number, size: 1 | 4 | 8, since: string, unit: FieldUnit, label: string, ss?: string): MptcpInfoField =>
  ({ name, offset, size, since, unit, label, ...(ss === undefined ? {} : { ss }) });

export const MPTCP_INFO_FIELDS: readonly MptcpInfoField[] = [
  M('subflows', 0, 1, '5.9', 'count', 'subflows', 'subflows'),
  M('add_addr_signal', 1, 1, '5.9', 'count', 'addresses announced', 'add_addr_signal'),
  M('add_addr_accepted', 2, 1, '5.9', 'count', 'addresses accepted', 'add_addr_accepted'),
  M('subflows_max', 3, 1, '5.9', 'count', 'subflows allowed', 'subflows_max'),
  M('add_addr_signal_max', 4, 1, '5.9', 'count', 'announcements allowed', 'add_addr_signal_max'),
  M('add_addr_accepted_max', 5, 1, '5.9', 'count', 'accepted addresses allowed', 'add_addr_accepted_max'),
  { ...M('flags', 8, 4, '5.9', 'flags', 'flags'), flags: { 1: 'fallback', 2: 'remote_key' } },
  M('token', 12, 4, '5.9', 'seq', 'token', 'token'),
  M('write_seq', 16, 8, '5.9', 'seq', 'write sequence', 'write_seq'),
  M('snd_una', 24, 8, '5.9', 'seq', 'first unacknowledged', 'snd_una'),
  M('rcv_nxt', 32, 8, '5.9', 'seq', 'next expected', 'rcv_nxt'),
  M('local_addr_used', 40, 1, '5.12', 'count', 'local addresses used'),
  M('local_addr_max', 41, 1, '5.12', 'count', 'local addresses allowed'),
  M('csum_enabled', 42, 1, '5.14', 'enum', 'checksums'),
  M('retransmits', 44, 4, '6.1', 'count', 'retransmits'),
  M('bytes_retrans', 48, 8, '6.1', 'bytes', 'bytes retransmitted'),
  M('bytes_sent', 56, 8, '6.1', 'bytes', 'sent'),
  M('bytes_received', 64, 8, '6.1', 'bytes', 'received'),
  M('bytes_acked', 72, 8, '6.1', 'bytes', 'bytes acked'),
  M('subflows_total', 80, 1, '6.8', 'count', 'subflows in total'),
  M('endp_laminar_max', 81, 1, '6.18', 'count', 'laminar endpoints allowed'),
  M('endp_fullmesh_max', 82, 1, '6.10', 'count', 'fullmesh endpoints allowed'),
  M('last_data_sent', 84, 4, '6.10', 'ms', 'last data sent'),
  M('last_data_recv', 88, 4, '6.10', 'ms', 'last data received'),
  M('last_ack_recv', 92, 4, '6.10', 'ms', 'last ACK received'),
];

/** sizeof(struct mptcp_info) since Linux 6.10. */
export const MPTCP_INFO_SIZE = 96;
/** The struct every kernel with mptcp_diag sends (Linux 5.9): through rcv_nxt. */
export const MPTCP_INFO_MIN_SIZE = 40;
