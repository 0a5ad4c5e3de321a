// Hover and completion documentation for the ss options a query may start with (ss(8), OPTIONS).

export interface OptionDoc {
  short?: string;
  long?: string;
  /** Name of the argument when the option takes one. */
  arg?: string;
  doc: string;
}

export const OPTION_DOCS: readonly OptionDoc[] = [
  { short: '-t', long: '--tcp', doc: 'TCP sockets.' },
  { short: '-u', long: '--udp', doc: 'UDP sockets.' },
  { short: '-w', long: '--raw', doc: 'RAW sockets.' },
  { short: '-x', long: '--unix', doc: 'Unix domain sockets (alias for `-f unix`).' },
  { short: '-0', long: '--packet', doc: 'PACKET sockets (alias for `-f link`).' },
  { short: '-M', long: '--mptcp', doc: 'MPTCP sockets.' },
  { long: '--vsock', doc: 'vsock sockets (alias for `-f vsock`).' },
  { short: '-4', long: '--ipv4', doc: 'Only IPv4 sockets (alias for `-f inet`).' },
  { short: '-6', long: '--ipv6', doc: 'Only IPv6 sockets (alias for `-f inet6`).' },
  { short: '-f', long: '--family', arg: 'FAMILY', doc: 'Sockets of FAMILY: unix, inet, inet6, link, netlink, vsock.' },
  { short: '-A', long: '--query', arg: 'QUERY', doc: 'Socket tables to dump, comma-separated: all, inet, tcp, udp, raw, unix, packet, netlink, unix_dgram, unix_stream, unix_seqpacket, packet_raw, packet_dgram, vsock_stream, vsock_dgram, mptcp; `!` excludes one.' },
  { short: '-a', long: '--all', doc: 'Listening and non-listening sockets (all states).' },
  { short: '-l', long: '--listening', doc: 'Only listening sockets (listening and closed states).' },
  { short: '-n', long: '--numeric', doc: 'Do not resolve service names.' },
  { short: '-r', long: '--resolve', doc: 'Resolve numeric addresses and ports to names.' },
  { short: '-p', long: '--processes', doc: 'Show the processes using each socket.' },
  { short: '-i', long: '--info', doc: 'Show internal TCP information (tcp_info: rtt, cwnd, retransmits, ...).' },
  { short: '-m', long: '--memory', doc: 'Show socket memory usage (skmem).' },
  { short: '-e', long: '--extended', doc: 'Show uid, inode and socket cookie.' },
  { short: '-o', long: '--options', doc: 'Show timer information.' },
  { short: '-H', long: '--no-header', doc: 'Suppress the header line.' },
  { short: '-O', long: '--oneline', doc: 'Print each socket on one line.' },
  { short: '-N', long: '--net', arg: 'NETNS', doc: 'Switch to the named network namespace (see `ip netns list`).' },
  { short: '-F', long: '--filter', arg: 'FILE', doc: 'Read the filter from FILE (lines starting with `#` are skipped).' },
  { long: '--tos', doc: 'Show ToS and priority information.' },
  { long: '--cgroup', doc: 'Show the cgroup v2 path of each socket.' },
];

/** Finds an option by a short flag ("-t"), a letter inside a combined flag, or a long name. */
export function findOptionDoc(flag: string): OptionDoc | undefined {
  const name = flag.split('=')[0];
  return OPTION_DOCS.find((o) => o.short === name || o.long === name);
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
