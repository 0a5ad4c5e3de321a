// The ss filter language over recorded rows: a row has its ends, kind and state (no tcp_info, no
// marks), so the expression is evaluated on those; state words and kind options of the query count too.
import { compileMatcher, type ParsedQuery, type SsqSocket } from '../../ssq/index';

/** What the evaluator reads of a recorded row. */
export interface FilterableRow {
  netid: string;
  state: number;
  localAddress: string | null;
  localPort: number;
  peerAddress: string | null;
  peerPort: number;
}

export type RowMatch = (r: FilterableRow) => boolean;

/** The evaluator's view of a stored row. */
export function rowSocket(r: FilterableRow): SsqSocket {
  const v6 = (r.localAddress ?? '').includes(':') || (r.peerAddress ?? '').includes(':');
  return { family: v6 ? 'inet6' : 'inet', netid: r.netid, state: r.state, localAddr: r.localAddress, peerAddr: r.peerAddress, localPort: r.localPort, peerPort: r.peerPort };
}

/**
 * A parsed query (without errors) as a row predicate: its expression, its state words (`state
 * established`, `-l`) and its kind options (`-t`), where given. Null when it keeps every row.
 */
export function rowMatcher(q: ParsedQuery): RowMatch | null {
  const match = q.expr ? compileMatcher(q.expr) : null;
  const states = q.stateWords.length || q.options.all || q.options.listening ? q.options.states : null;
  const kinds = q.options.explicitKinds ? new Set<string>(q.options.kinds) : null;
  if (!match && states === null && !kinds) return null;
  return (r) => (states === null || ((states >> r.state) & 1) === 1) && (!kinds || kinds.has(r.netid)) && (!match || match(rowSocket(r)));
}
