// The CLI's own flags, which the ss query language does not have: --json, -V/--version,
// -h/--help, -K/--kill, -E/--events. They are taken out of argv here; everything else (ss's
// options, state words, the expression) goes to the ssq parser unchanged.

export interface CliFlags {
  json: boolean;
  version: boolean;
  help: boolean;
  kill: boolean;
  events: boolean;
}

/** Short options of ss that take an argument (the rest of the cluster, or the next word). */
const SHORT_WITH_ARG = new Set(['N', 'A', 'F']);
const LONG_WITH_ARG = new Set(['--net', '--query', '--filter', '--family', '--pid']);
const OWN_SHORT: Record<string, keyof CliFlags> = { V: 'version', h: 'help', K: 'kill', E: 'events' };
const OWN_LONG: Record<string, keyof CliFlags> = { '--json': 'json', '--version': 'version', '--help': 'help', '--kill': 'kill', '--events': 'events' };

export interface SplitArgs {
  flags: CliFlags;
  /** argv without the CLI's own flags, for parseArgv. */
  rest: string[];
  /** The -N/--net value if one was given (the parser needs the namespace's interfaces early). */
  netns: string | null;
  /** -D/--diag FILE: write the raw TCP sock_diag dump there (`-`: stdout), as ss -D. */
  diag: string | null;
}

export function splitCliFlags(argv: readonly string[]): SplitArgs {
  const flags: CliFlags = { json: false, version: false, help: false, kill: false, events: false };
  const rest: string[] = [];
  let netns: string | null = null;
  let diag: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i];
    if (w === '--') { rest.push(...argv.slice(i)); break; }
    const own = OWN_LONG[w];
    if (own) { flags[own] = true; continue; }
    if (w === '--diag' && i + 1 < argv.length) { diag = argv[++i]; continue; }
    if (w.startsWith('--diag=')) { diag = w.slice(7); continue; }
    if (w.startsWith('--')) {
      rest.push(w);
      if (w.startsWith('--net=')) netns = w.slice(6);
      if (LONG_WITH_ARG.has(w) && i + 1 < argv.length) {
        if (w === '--net') netns = argv[i + 1];
        rest.push(argv[++i]);
      }
      continue;
    }
    if (/^-[A-Za-z0-9]+$/.test(w)) {
      let kept = '';
      let takesNext = false;
      for (let j = 1; j < w.length; j++) {
        const c = w[j];
        if (c === 'D') {
          // -D FILE / -DFILE: taken here (the rest of the cluster is its argument).
          if (j < w.length - 1) diag = w.slice(j + 1);
          else if (i + 1 < argv.length) diag = argv[++i];
          else rest.push('-D'); // the parser reports the missing argument
          break;
        }
        if (SHORT_WITH_ARG.has(c)) {
          kept += w.slice(j);
          takesNext = j === w.length - 1;
          if (c === 'N') netns = takesNext ? (argv[i + 1] ?? null) : w.slice(j + 1);
          break;
        }
        const f = OWN_SHORT[c];
        if (f) flags[f] = true;
        else kept += c;
      }
      if (kept) rest.push('-' + kept);
      if (takesNext && i + 1 < argv.length) rest.push(argv[++i]);
      continue;
    }
    rest.push(w);
  }
  return { flags, rest, netns, diag };
}

export const USAGE = `Usage: sockscope [ OPTIONS ] [ STATE-FILTER ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
       --json          print a JSON array, one object per socket
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -i, --info          show internal TCP information
   -s, --summary       show socket usage summary
   -N, --net NETNS     switch to the specified network namespace name
       --pid PID[,PID...]
                       only sockets held by these processes (Sockscope extension)
       --children      with --pid: and by every process they started
   -H, --no-header     suppress header line
   -K, --kill          forcibly close sockets, display what was closed
   -E, --events        continually display sockets as they are destroyed

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -u, --udp           display only UDP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --netlink       display only NETLINK sockets
   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|netlink}[,QUERY]
   -D, --diag=FILE     dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
`;
