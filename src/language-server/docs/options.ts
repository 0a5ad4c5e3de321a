// Hover and completion documentation for the ss options a query may start with (ss(8), OPTIONS).
import { OPTION_SPECS } from '../../ssq';

/** Documentation of one option; its spellings come from the parser's table, so the two cannot drift. */
interface OptionText {
  /** The option's name in OPTION_SPECS (src/ssq). */
  name: string;
  /** Name of the argument when the option takes one. */
  arg?: string;
  doc: string;
}

export interface OptionDoc extends OptionText {
  short?: string;
  /** The first long spelling (what completion offers). */
  long: string;
  /** Every long spelling the parser accepts (e.g. --query and --socket). */
  longs: string[];
}

const OPTION_TEXTS: readonly OptionText[] = [
  { name: 'tcp', doc: 'TCP sockets.' },
  { name: 'udp', doc: 'UDP sockets.' },
  { name: 'raw', doc: 'RAW sockets.' },
  { name: 'unix', doc: 'Unix domain sockets (alias for `-f unix`).' },
  { name: 'packet', doc: 'PACKET sockets (alias for `-f link`).' },
  { name: 'mptcp', doc: 'MPTCP sockets.' },
  { name: 'vsock', doc: 'vsock sockets (alias for `-f vsock`).' },
  { name: 'ipv4', doc: 'Only IPv4 sockets (alias for `-f inet`).' },
  { name: 'ipv6', doc: 'Only IPv6 sockets (alias for `-f inet6`).' },
  { name: 'family', arg: 'FAMILY', doc: 'Sockets of FAMILY: unix, inet, inet6, link, netlink, vsock.' },
  { name: 'query', arg: 'QUERY', doc: 'Socket tables to dump, comma-separated: all, inet, tcp, udp, raw, unix, packet, netlink, unix_dgram, unix_stream, unix_seqpacket, packet_raw, packet_dgram, vsock_stream, vsock_dgram, mptcp; `!` excludes one.' },
  { name: 'all', doc: 'Listening and non-listening sockets (all states).' },
  { name: 'listening', doc: 'Only listening sockets (listening and closed states).' },
  { name: 'numeric', doc: 'Do not resolve service names.' },
  { name: 'resolve', doc: 'Resolve numeric addresses and ports to names.' },
  { name: 'processes', doc: 'Show the processes using each socket.' },
  { name: 'info', doc: 'Show internal TCP information (tcp_info: rtt, cwnd, retransmits, ...).' },
  { name: 'memory', doc: 'Show socket memory usage (skmem).' },
  { name: 'extended', doc: 'Show uid, inode and socket cookie.' },
  { name: 'options', doc: 'Show timer information.' },
  { name: 'no-header', doc: 'Suppress the header line.' },
  { name: 'oneline', doc: 'Print each socket on one line.' },
  { name: 'net', arg: 'NETNS', doc: 'Switch to the named network namespace (see `ip netns list`).' },
  { name: 'filter', arg: 'FILE', doc: 'Read the filter from FILE (lines starting with `#` are skipped).' },
  { name: 'pid', arg: 'PID[,PID…]', doc: 'Only the sockets these processes hold (a Sockscope extension; ss has no equivalent).' },
  { name: 'children', doc: 'With `--pid`: also the sockets of every process they started, their whole process trees (a Sockscope extension).' },
  { name: 'tos', doc: 'ToS and traffic class. ss prints them; Sockscope adds them to a `-D` dump (`sockscope --tos -D FILE`) and to `--json` (`tos`, `tclass`), and its text does not print them.' },
  { name: 'cgroup', doc: 'Show the cgroup v2 path of each socket (`cgroup:PATH`, also with `-e`). With `-N` it prints, as ss does, `cgroup:unreachable:ID` for a cgroup2 mount under /sys (ss then remounts /sys and no longer sees it).' },
  { name: 'diag', arg: 'FILE', doc: 'On the command line: write the raw TCP sock_diag dump of the matching sockets to FILE (`-`: stdout), as `ss -D` does. `TCPDIAG_FILE=FILE sockscope -t …` (or `ss`) reads such a capture instead of the kernel. A query run in VS Code ignores it.' },
  { name: 'kill', doc: 'On the command line: close the matching sockets (`SOCK_DESTROY`, as `ss -K`; needs `CAP_NET_ADMIN`). A query run in VS Code closes nothing.' },
  { name: 'events', doc: 'On the command line: print sockets as they are destroyed until interrupted (as `ss -E`). A query run in VS Code ignores it.' },
];

function withSpellings(t: OptionText): OptionDoc {
  const spec = OPTION_SPECS.find((o) => o.name === t.name);
  if (!spec) throw new Error(`option docs: no option named ${t.name} in OPTION_SPECS`);
  const longs = spec.long.map((l) => `--${l}`);
  return { ...t, ...(spec.short ? { short: `-${spec.short}` } : {}), long: longs[0], longs };
}

export const OPTION_DOCS: readonly OptionDoc[] = OPTION_TEXTS.map(withSpellings);

/** Finds an option by a short flag ("-t"), a letter inside a combined flag, or a long name. */
export function findOptionDoc(flag: string): OptionDoc | undefined {
  const name = flag.split('=')[0];
  return OPTION_DOCS.find((o) => o.short === name || o.longs.includes(name));
}

/** The options a combined short flag like "-tna" stands for. */
export function expandShortFlags(flag: string): OptionDoc[] {
  if (!/^-[A-Za-z0-9]+$/.test(flag)) return [];
  const out: OptionDoc[] = [];
  for (const ch of flag.slice(1)) {
    const d = OPTION_DOCS.find((o) => o.short === `-${ch}`);
    if (d) out.push(d);
  }
  return out;
}

export function optionMarkdown(o: OptionDoc): string {
  const names = [o.short, o.long].filter(Boolean).map((n) => `\`${n}${o.arg ? ` ${o.arg}` : ''}\``).join(', ');
  return `**option ${names}**\n\n${o.doc}`;
}
