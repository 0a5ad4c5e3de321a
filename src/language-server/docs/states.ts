// Hover and completion documentation for state names and state groups (ss(8), STATE-FILTER).
import { stateMask } from '../../ssq';

export interface StateDoc {
  name: string;
  aliases: string[];
  /** What ss prints in its State column. */
  column: string;
  doc: string;
}

export interface StateGroupDoc {
  name: string;
  members: string[];
  doc: string;
}

export const STATE_DOCS: readonly StateDoc[] = [
  { name: 'established', aliases: [], column: 'ESTAB', doc: 'The connection is open; data flows both ways.' },
  { name: 'syn-sent', aliases: [], column: 'SYN-SENT', doc: 'An active open sent a SYN and waits for the SYN-ACK.' },
  { name: 'syn-recv', aliases: ['syn-rcv'], column: 'SYN-RECV', doc: 'A SYN arrived and a SYN-ACK was sent; waiting for the final ACK (kept as a request minisocket).' },
  { name: 'fin-wait-1', aliases: [], column: 'FIN-WAIT-1', doc: 'This side closed and sent a FIN; waiting for its ACK or the peer\'s FIN.' },
  { name: 'fin-wait-2', aliases: [], column: 'FIN-WAIT-2', doc: 'This side\'s FIN was acknowledged; waiting for the peer to close.' },
  { name: 'time-wait', aliases: [], column: 'TIME-WAIT', doc: 'Both sides closed; the socket lingers (as a timewait minisocket) so late segments are not taken for a new connection.' },
  { name: 'closed', aliases: ['close', 'unconnected'], column: 'UNCONN', doc: 'No connection: unconnected UDP/raw sockets, bound-but-idle sockets.' },
  { name: 'close-wait', aliases: [], column: 'CLOSE-WAIT', doc: 'The peer closed; this side has not closed yet (a socket stuck here often means the application forgot to close it).' },
  { name: 'last-ack', aliases: [], column: 'LAST-ACK', doc: 'The peer closed first, then this side closed; waiting for the ACK of this side\'s FIN.' },
  { name: 'listening', aliases: [], column: 'LISTEN', doc: 'A listening socket accepting connections (TCP) — `-l` shows these. Note: `listen` is not a state name in ss.' },
  { name: 'closing', aliases: [], column: 'CLOSING', doc: 'Both sides closed at the same time; waiting for the ACK of this side\'s FIN.' },
  { name: 'bound-inactive', aliases: [], column: 'BOUND-INACTIVE', doc: 'Bound to an address but neither listening nor connected (ss 6.x and later).' },
];

const GROUP_TEXT: Record<string, string> = {
  all: 'Every state.',
  connected: 'All states except `listening` and `closed`.',
  synchronized: 'The connected states except `syn-sent`.',
  bucket: 'States kept as minisockets: `syn-recv` and `time-wait`.',
  big: 'The opposite of `bucket`: every state but `syn-recv` and `time-wait`.',
};

/** Groups, with their members computed from the parser's state masks (one source of truth). */
export const STATE_GROUP_DOCS: readonly StateGroupDoc[] = Object.entries(GROUP_TEXT).map(([name, doc]) => {
  const mask = stateMask(name) ?? 0;
  return { name, doc, members: STATE_DOCS.filter((s) => ((stateMask(s.name) ?? 0) & mask) !== 0).map((s) => s.name) };
});

/** Finds a state or group by any of its (case-insensitive) spellings. */
export function findStateDoc(word: string): StateDoc | StateGroupDoc | undefined {
  const w = word.toLowerCase();
  return STATE_DOCS.find((s) => s.name === w || s.aliases.includes(w)) ?? STATE_GROUP_DOCS.find((g) => g.name === w);
}

export function isGroupDoc(d: StateDoc | StateGroupDoc): d is StateGroupDoc {
  return 'members' in d;
}

export function stateMarkdown(d: StateDoc | StateGroupDoc): string {
  if (isGroupDoc(d)) {
    return `**state group \`${d.name}\`**\n\n${d.doc}\n\nContains: ${d.members.map((m) => `\`${m}\``).join(', ')}`;
  }
  const aka = d.aliases.length ? ` (also ${d.aliases.map((a) => `\`${a}\``).join(', ')})` : '';
  return `**state \`${d.name}\`**${aka} — shown as \`${d.column}\`\n\n${d.doc}`;
}
