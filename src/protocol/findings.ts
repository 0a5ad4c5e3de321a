// A finding: something the rules (src/findings) saw wrong with the sockets, with its evidence.
// The shape `sockscope doctor --json` prints and the helper sends the extension; plain JSON.

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Every rule's id, in the order `sockscope doctor` and the Findings view list rules of one severity. */
export const RULE_IDS = [
  'diag-unavailable', 'listen-overflow', 'syn-backlog', 'close-wait', 'fd-limit', 'port-exhaustion',
  'orphans', 'time-wait-buckets', 'retransmits', 'window-limited', 'exposed-no-firewall', 'udp-amplification',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface Finding {
  /**
   * Stable across refreshes while the condition lasts: the rule's id, then what it is about
   * (`close-wait/pid:1234`, `listen-overflow/0.0.0.0:8080`), so a view can keep its place and a
   * resolved finding can be told from a new one.
   */
  id: string;
  /** The rule that made it. */
  rule: RuleId;
  severity: Severity;
  /** One line. */
  title: string;
  /** The numbers seen and the threshold they were held against. */
  detail: string;
  /** Cookies (lowercase hex) of the sockets it concerns. */
  sockets: string[];
  /** Pids of the processes it concerns. */
  processes: number[];
  /** What to do, with the command or setting. */
  hint: string;
}

/** The numbers `ss -s` prints, from /proc/net/sockstat{,6} and /proc/net/snmp. */
export interface SocketSummary {
  total: number;
  tcp: { total: number; estab: number; closed: number; orphaned: number; timewait: number };
  /** Per transport: [IPv4, IPv6]. */
  transports: { raw: [number, number]; udp: [number, number]; tcp: [number, number]; inet: [number, number]; frag: [number, number] };
}
