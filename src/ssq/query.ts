// The parsed form of a whole query: options, state words, expression.
import type { Expr, Token } from './ast';
import type { Diagnostic } from './diagnostics';
import type { Range } from './text';

/** ss's socket tables, by the netid ss prints. */
export const SSQ_KINDS = ['tcp', 'mptcp', 'udp', 'raw', 'dccp', 'sctp', 'u_str', 'u_dgr', 'u_seq', 'p_raw', 'p_dgr', 'nl', 'v_str', 'v_dgr', 'tipc', 'xdp'] as const;
export type SsqKind = (typeof SSQ_KINDS)[number];

export const SSQ_FAMILIES = ['inet', 'inet6', 'unix', 'packet', 'netlink', 'vsock'] as const;
export type SsqFamily = (typeof SSQ_FAMILIES)[number];

/** What to dump and how to show it: the typed result of ss's own flags. */
export interface QueryOptions {
  /** Socket tables to dump, after ss's defaults and merging (ss order). */
  kinds: SsqKind[];
  /**
   * The tables the options chose (ss's dbs), before a host family in the expression (`src unix:`)
   * narrowed the dump: what ss's Netid column follows. Set by the parser.
   */
  tables?: SsqKind[];
  /** Address families to dump, after merging (an inet kind with -4 only dumps AF_INET). */
  families: SsqFamily[];
  /** Bit n set = kernel TCP state n is wanted (see states.ts); already has -a/-l/state words applied. */
  states: number;
  /** True when a kind flag (-t, -u, -A ...) or family flag was given; false = ss's default set. */
  explicitKinds: boolean;
  /** -a / --all. */
  all: boolean;
  /** -l / --listening. */
  listening: boolean;
  /** -n / --numeric. */
  numeric: boolean;
  /** -r / --resolve. */
  resolve: boolean;
  /** -p / --processes. */
  processes: boolean;
  /** -i / --info. */
  info: boolean;
  /** -m / --memory. */
  memory: boolean;
  /** -e / --extended. */
  extended: boolean;
  /** -o / --options (timers). */
  timers: boolean;
  /** -s / --summary. */
  summary: boolean;
  /** -H / --no-header. */
  noHeader: boolean;
  /** -N NETNS / --net=NETNS. */
  netns: string | null;
  /** -F FILE / --filter=FILE: the expression comes from this file. */
  filterFile: string | null;
  /** --pid PID[,PID…] (a Sockscope extension): only sockets these processes hold. */
  pids: number[] | null;
  /** --children: and the processes they started, their whole process trees. */
  children: boolean;
  /** --cgroup: print each socket's cgroup v2 path. */
  cgroup: boolean;
}

/** One option as written (`-tna` is one OptionWord with flags t, n, a). */
export interface OptionWord {
  text: string;
  range: Range;
  /** Canonical long names of the flags it sets (`tcp`, `numeric`, `all`, `query`, `net`, ...). */
  flags: string[];
  /** The option's argument (`-A inet`, `-N ns`, `--net=ns`), with its own range. */
  arg?: Token;
}

/** One `state X` / `exclude X` pair. */
export interface StateWord {
  keyword: Token;
  value: Token | null;
  /** Mask of the value, 0 if unknown. */
  mask: number;
  exclude: boolean;
  range: Range;
}

/** Token classes for highlighting and completion. */
export type SsqTokenKind =
  | 'ss' | 'option' | 'state-keyword' | 'state'
  | 'lparen' | 'rparen' | 'not' | 'and' | 'or' | 'keyword' | 'operator' | 'value';

export interface SsqToken {
  kind: SsqTokenKind;
  text: string;
  range: Range;
}

export interface ParsedQuery {
  /** The text that was parsed (for parseArgv: the argv joined with single spaces). */
  text: string;
  /** Every token in source order: the `ss` word, options, state words, expression tokens. */
  tokens: SsqToken[];
  options: QueryOptions;
  optionWords: OptionWord[];
  stateWords: StateWord[];
  /** The expression, null if there is none. */
  expr: Expr | null;
  /** Range of the expression text (empty range at the end if none). */
  exprRange: Range;
  diagnostics: Diagnostic[];
  /** True when an extension of spec section 3 was used (ss itself would reject the query). */
  usesExtensions: boolean;
  /** A leading `ss` word (pasted command line) was skipped. */
  hadSsPrefix: boolean;
}

/** Options for parseQuery/parseArgv. */
export interface ParseOptions {
  /** Accept the extensions of spec section 3 (default true); when false they are errors. */
  extensions?: boolean;
  /** Resolves service names, host names, interfaces and cgroups; without it names stay unresolved (no error). */
  resolver?: import('./resolver').SsqResolver;
  /** Treat the text as an expression only (no options/states), like an `ss -F` file. */
  expressionOnly?: boolean;
  /** Accept and skip a leading `ss` word (default true). */
  allowSsPrefix?: boolean;
}
