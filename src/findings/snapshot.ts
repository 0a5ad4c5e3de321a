// What the rules look at: one moment of a network namespace. Collected by src/host/findings on the
// node side; here only its shape. Every source that can fail to be read is a Source, so a rule
// that needs it can say why it could not be evaluated instead of guessing.
import type { Counter, ProcessRef, SocketRecord } from '../protocol/socket-record';
import type { Ruleset } from './firewall/model';
import type { SocketRows } from './socket-rows';

/** A source that was read, or the reason it could not be. */
export type Source<T> = { value: T } | { error: string };

export function valueOf<T>(s: Source<T> | undefined): T | undefined {
  return s && 'value' in s ? s.value : undefined;
}

export function errorOf(s: Source<unknown> | undefined): string | undefined {
  return s && 'error' in s ? s.error : undefined;
}

/** The part of a SocketRecord the rules read (a SocketRecord is one). */
export type FindingSocket = Pick<SocketRecord,
  'netid' | 'state' | 'family' | 'recvQ' | 'sendQ' | 'localAddress' | 'localPort' | 'peerAddress' | 'peerPort' | 'cookie' | 'timer'> & {
  processes?: readonly ProcessRef[];
  /** struct tcp_info by the kernel's names without `tcpi_`. */
  tcpInfo?: Readonly<Record<string, Counter>>;
  /** IPV6_V6ONLY of an inet6 socket, where known (undefined: assume it takes IPv4 too, as the default bindv6only=0). */
  v6only?: boolean;
};

/** One process that holds sockets of the snapshot. */
export interface ProcessFacts {
  pid: number;
  name: string;
  /** Open descriptors (entries of /proc/PID/fd). */
  fds: Source<number>;
  /** The soft RLIMIT_NOFILE from /proc/PID/limits; null when unlimited. */
  fdLimit: Source<number | null>;
}

/** How the socket dump went (the engine's DumpNotes). */
export interface DiagFacts {
  /** Plain-language lines about what the dump lacks. */
  notes: readonly string[];
  /** Kinds read from /proc/net instead of sock_diag. */
  procfs: readonly string[];
  /** Kinds not shown at all. */
  skipped: readonly string[];
  /** The dump failed altogether (sockets is then empty). */
  error?: string;
}

export interface FirewallFacts {
  /** Every ruleset that was read (nftables, iptables, ip6tables). */
  rulesets: readonly Ruleset[];
  /** Sources that could not be read or understood: one line each, naming the source and why. */
  problems: readonly string[];
}

export interface Snapshot {
  /** Milliseconds since the epoch. */
  takenAt: number;
  /** The namespace, for titles ("in netns X"); undefined: the host's. */
  netns?: string;
  sockets: readonly FindingSocket[];
  /**
   * The sockets as rows, when the caller holds them in columns (the helper's view store): then
   * `sockets` is empty and the rules read these instead.
   */
  rows?: SocketRows;
  /**
   * Kernel counters by `Group.Name`: /proc/net/netstat and /proc/net/snmp (`TcpExt.ListenOverflows`,
   * `Tcp.RetransSegs`), and /proc/net/sockstat{,6} (`sockstat.TCP.orphan`, `sockstat.TCP.tw`).
   */
  counters: Source<Readonly<Record<string, number>>>;
  /** Sysctls by dotted name (`net.ipv4.tcp_max_orphans`), each its own Source. */
  sysctls: Readonly<Record<string, Source<string>>>;
  processes: readonly ProcessFacts[];
  /** Processes whose descriptors could not be read at all (their sockets have no owner). */
  invisibleProcesses: number;
  firewall: FirewallFacts;
  diag: DiagFacts;
}

/** The sysctls the rules read. */
export const SYSCTLS = [
  'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_max_orphans', 'net.ipv4.tcp_max_tw_buckets',
  'net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_syncookies', 'net.core.rmem_max',
] as const;
export type SysctlName = (typeof SYSCTLS)[number];
