// Every threshold a rule holds numbers against, with its default. One flat table keyed
// `rule.name`, so the CLI (`--threshold close-wait.count=3`), a config file and the VS Code setting
// `sockscope.findings.thresholds` all name them the same way.

export const THRESHOLDS = {
  /** CLOSE-WAIT sockets one process holds: warning at this many ... */
  'close-wait.count': { value: 5, doc: 'CLOSE-WAIT sockets one process holds before a warning' },
  /** ... error at this many. */
  'close-wait.error': { value: 100, doc: 'CLOSE-WAIT sockets one process holds before an error' },
  'close-wait.age-seconds': { value: 60, doc: 'a CLOSE-WAIT socket older than this (where history knows) is a warning whatever the count' },
  'listen-overflow.fill': { value: 0.9, doc: 'accept queue (Recv-Q) over backlog (Send-Q) that is a warning; a full queue is an error' },
  'syn-backlog.count': { value: 128, doc: 'SYN-RECV sockets on one listener before a warning' },
  'retransmits.ratio': { value: 0.05, doc: 'retransmitted over sent segments of a connection or peer before a warning' },
  'retransmits.min-segments': { value: 100, doc: 'segments sent before a connection or peer is judged' },
  'window-limited.ratio': { value: 0.5, doc: 'share of the busy time limited by the receive window or send buffer before a warning' },
  'window-limited.min-busy-ms': { value: 1000, doc: 'busy time (ms) before a connection is judged' },
  'port-exhaustion.ratio': { value: 0.8, doc: 'connections from one address to one destination over the ephemeral port range before a warning' },
  'port-exhaustion.error': { value: 0.95, doc: 'the same ratio that is an error' },
  'port-exhaustion.time-wait-ratio': { value: 0.5, doc: 'TIME-WAIT sockets to one destination over the ephemeral port range before a warning' },
  'orphans.ratio': { value: 0.8, doc: 'orphaned sockets over net.ipv4.tcp_max_orphans before a warning (an error at 1)' },
  'time-wait-buckets.ratio': { value: 0.8, doc: 'TIME-WAIT sockets over net.ipv4.tcp_max_tw_buckets before a warning (an error at 1)' },
  'fd-limit.ratio': { value: 0.8, doc: 'open descriptors over the soft open-file limit before a warning' },
  'fd-limit.error': { value: 0.95, doc: 'the same ratio that is an error' },
} as const;

export type ThresholdName = keyof typeof THRESHOLDS;
export type Thresholds = { readonly [K in ThresholdName]: number };

export const THRESHOLD_NAMES = Object.keys(THRESHOLDS) as ThresholdName[];

export const DEFAULT_THRESHOLDS: Thresholds = Object.fromEntries(
  THRESHOLD_NAMES.map((k) => [k, THRESHOLDS[k].value]),
) as unknown as Thresholds;

export function isThresholdName(name: string): name is ThresholdName {
  return Object.prototype.hasOwnProperty.call(THRESHOLDS, name);
}

/**
 * The defaults with `overrides` applied. Unknown names and values that are not finite,
 * non-negative numbers are errors, each naming where (`source`) and why.
 */
export function resolveThresholds(overrides: Readonly<Record<string, unknown>> | undefined, source = 'thresholds'): { thresholds: Thresholds; errors: string[] } {
  const out: Record<string, number> = { ...DEFAULT_THRESHOLDS };
  const errors: string[] = [];
  for (const [name, v] of Object.entries(overrides ?? {})) {
    if (!isThresholdName(name)) { errors.push(`${source}: unknown threshold "${name}" (known: ${THRESHOLD_NAMES.join(', ')})`); continue; }
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) { errors.push(`${source}: ${name} must be a non-negative number, got ${JSON.stringify(v)}`); continue; }
    out[name] = n;
  }
  return { thresholds: out as unknown as Thresholds, errors };
}
