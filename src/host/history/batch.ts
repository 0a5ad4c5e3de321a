// What the recorder hands the writer: one batch of changes, plain data (it crosses to the writer's
// thread by structured clone). Tuples rather than objects where there are many per batch.

export interface SocketOpened {
  id: number;
  /** Index in schema NETIDS. */
  netid: number;
  netns: string | null;
  localAddress: string | null;
  localPort: number;
  peerAddress: string | null;
  peerPort: number;
  pid: number | null;
  command: string | null;
  state: number;
  openedAt: number;
  /** First refresh that listed it; null for a socket only the kernel's destroy event reported. */
  seenFrom: number | null;
}

export interface SocketClosed {
  id: number;
  at: number;
  /** CLOSED_BY_CODE. */
  by: number;
  state: number;
  bytesSent: number | null;
  bytesReceived: number | null;
  retrans: number | null;
}

export interface Batch {
  opened: SocketOpened[];
  /** [socket id, at, new state] */
  states: [number, number, number][];
  /** [socket id, pid, command]: the owner, found after the socket was first written. */
  owners: [number, number, string][];
  closed: SocketClosed[];
  /** [socket id, first refresh that listed it] for a socket first reported closed by the kernel. */
  seen: [number, number][];
  /** [socket id, last refresh that listed it]: it left the dumps. */
  gone: [number, number][];
  /** [at, sockets listed, 1 when `counts` holds every (pid, state) of this refresh else 0] */
  ticks: [number, number, number][];
  /** [at, pid (0: no known process), state, count]; between full ticks only the pairs that changed. */
  counts: [number, number, number, number][];
  /** [socket id, at, tcp_info JSON] */
  samples: [number, number, string][];
  /** Set by a stopping recorder: sockets still listed were seen until this time. */
  stoppedAt?: number;
}

export function emptyBatch(): Batch {
  return { opened: [], states: [], owners: [], closed: [], seen: [], gone: [], ticks: [], counts: [], samples: [] };
}

export function batchSize(b: Batch): number {
  return b.opened.length + b.states.length + b.owners.length + b.closed.length + b.seen.length + b.gone.length + b.ticks.length + b.counts.length + b.samples.length;
}

const KINDS = ['opened', 'owners', 'states', 'seen', 'closed', 'gone', 'ticks', 'counts', 'samples'] as const;

/**
 * Moves at most `max` rows out of `b` into a batch of their own, in the order the writer applies them
 * (a socket's open before its changes), `stoppedAt` with the last rows.
 */
export function takeBatch(b: Batch, max: number): Batch {
  const out = emptyBatch();
  let left = max;
  for (const k of KINDS) {
    if (left === 0) break;
    const from = b[k] as unknown[];
    if (from.length === 0) continue;
    const n = Math.min(left, from.length);
    (out[k] as unknown[]) = from.length === n ? from : from.slice(0, n);
    (b[k] as unknown[]) = from.length === n ? [] : from.slice(n);
    left -= n;
  }
  if (batchSize(b) === 0 && b.stoppedAt !== undefined) { out.stoppedAt = b.stoppedAt; delete b.stoppedAt; }
  return out;
}

/** Appends `from` to `into` (a batch waiting while another is written). */
export function mergeBatch(into: Batch, from: Batch): void {
  for (const k of ['opened', 'states', 'owners', 'closed', 'seen', 'gone', 'ticks', 'counts', 'samples'] as const) {
    const a = into[k] as unknown[];
    for (const x of from[k] as unknown[]) a.push(x);
  }
  if (from.stoppedAt !== undefined) into.stoppedAt = from.stoppedAt;
}
