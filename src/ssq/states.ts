// Socket states: kernel TCP state numbers, ss's state words and groups.

import { TCP_STATE } from '../fields/socket-states';

/** The kernel's state numbers (written once in src/fields/socket-states.ts). */
export { TCP_STATE };

const bit = (n: number): number => 1 << n;

/** ss 6.1's SS_ALL: states 0..11 (bound-inactive is only added when named). */
export const SS_ALL = (1 << 12) - 1;
/** ss's default: all but listening, closed, time-wait and syn-recv. */
export const SS_CONN = SS_ALL & ~(bit(TCP_STATE.LISTEN) | bit(TCP_STATE.CLOSE) | bit(TCP_STATE.TIME_WAIT) | bit(TCP_STATE.SYN_RECV));
/** What `-l` selects. */
export const SS_LISTENING = bit(TCP_STATE.LISTEN) | bit(TCP_STATE.CLOSE);

/** Every word `state`/`exclude` accept (lower case; ss compares case-insensitively), with its mask. */
export const STATE_WORDS: Readonly<Record<string, number>> = {
  all: SS_ALL,
  connected: SS_ALL & ~(bit(TCP_STATE.LISTEN) | bit(TCP_STATE.CLOSE)),
  synchronized: SS_ALL & ~(bit(TCP_STATE.LISTEN) | bit(TCP_STATE.CLOSE) | bit(TCP_STATE.SYN_SENT)),
  bucket: bit(TCP_STATE.SYN_RECV) | bit(TCP_STATE.TIME_WAIT),
  big: SS_ALL & ~(bit(TCP_STATE.SYN_RECV) | bit(TCP_STATE.TIME_WAIT)),
  established: bit(TCP_STATE.ESTABLISHED),
  'syn-sent': bit(TCP_STATE.SYN_SENT),
  'syn-recv': bit(TCP_STATE.SYN_RECV),
  'syn-rcv': bit(TCP_STATE.SYN_RECV),
  'fin-wait-1': bit(TCP_STATE.FIN_WAIT1),
  'fin-wait-2': bit(TCP_STATE.FIN_WAIT2),
  'time-wait': bit(TCP_STATE.TIME_WAIT),
  closed: bit(TCP_STATE.CLOSE),
  close: bit(TCP_STATE.CLOSE),
  unconnected: bit(TCP_STATE.CLOSE),
  'close-wait': bit(TCP_STATE.CLOSE_WAIT),
  'last-ack': bit(TCP_STATE.LAST_ACK),
  listening: bit(TCP_STATE.LISTEN),
  closing: bit(TCP_STATE.CLOSING),
  'bound-inactive': bit(TCP_STATE.BOUND_INACTIVE),
};

/** Canonical spelling of each state word (aliases map to the main name). */
export const STATE_CANONICAL: Readonly<Record<string, string>> = {
  'syn-rcv': 'syn-recv',
  close: 'closed',
  unconnected: 'closed',
};

/** Words users commonly write that ss rejects, with the word they meant. */
export const STATE_MISTAKES: Readonly<Record<string, string>> = {
  listen: 'listening',
  'new-syn-recv': 'syn-recv',
  estab: 'established',
  timewait: 'time-wait',
  'time_wait': 'time-wait',
  'close_wait': 'close-wait',
  closewait: 'close-wait',
  'syn_sent': 'syn-sent',
  'syn_recv': 'syn-recv',
  'fin_wait1': 'fin-wait-1',
  'fin_wait2': 'fin-wait-2',
  'fin-wait1': 'fin-wait-1',
  'fin-wait2': 'fin-wait-2',
  'last_ack': 'last-ack',
  unconn: 'unconnected',
  connect: 'connected',
  sync: 'synchronized',
  synchronised: 'synchronized',
};

/** Mask of one state word (case-insensitive), or undefined if ss does not know it. */
export function stateMask(word: string): number | undefined {
  const w = word.toLowerCase();
  return Object.prototype.hasOwnProperty.call(STATE_WORDS, w) ? STATE_WORDS[w] : undefined;
}

/** Kernel state numbers set in a mask, ascending. */
export function statesOf(mask: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 16; i++) if (mask & (1 << i)) out.push(i);
  return out;
}
