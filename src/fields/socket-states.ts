// Socket states, written once: the kernel's numbers (include/net/tcp_states.h) and ss's word for each
// in its State column. unix, packet and netlink sockets reuse the numbers as ss does (TCP_CLOSE is
// UNCONN). Bit n of a state mask is state n.

/** Kernel TCP state numbers. */
export const TCP_STATE = {
  UNKNOWN: 0,
  ESTABLISHED: 1,
  SYN_SENT: 2,
  SYN_RECV: 3,
  FIN_WAIT1: 4,
  FIN_WAIT2: 5,
  TIME_WAIT: 6,
  CLOSE: 7,
  CLOSE_WAIT: 8,
  LAST_ACK: 9,
  LISTEN: 10,
  CLOSING: 11,
  NEW_SYN_RECV: 12,
  BOUND_INACTIVE: 13,
} as const;

/** ss's State column words, by kernel number - 1 (ESTAB is 1, BOUND-INACTIVE 13). */
export const STATE_NAMES = [
  'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN',
  'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING', 'NEW-SYN-RECV', 'BOUND-INACTIVE',
] as const;
export type StateName = (typeof STATE_NAMES)[number];

const NUMBER_OF = new Map<string, number>(STATE_NAMES.map((name, i) => [name, i + 1]));

/** The kernel number of an ss state word; 0 (UNKNOWN) for anything else. */
export function stateNumber(name: string): number {
  return NUMBER_OF.get(name) ?? TCP_STATE.UNKNOWN;
}

/** ss's word for a kernel state number ('UNKNOWN' outside the table, as ss prints). */
export function stateName(state: number): StateName | 'UNKNOWN' {
  return STATE_NAMES[state - 1] ?? 'UNKNOWN';
}
