// ss's own flags: which tables and families to dump, display flags. Mirrors getopt_long as ss
// uses it (short clusters, attached or separate arguments, unambiguous long prefixes, `--`).
import type { Token } from './ast';
import type { Diagnostic } from './diagnostics';
import type { OptionWord, QueryOptions, SsqFamily, SsqKind } from './query';
import { offsetIn, type Word } from './shell';
import { SS_ALL, SS_CONN, SS_LISTENING, TCP_STATE } from './states';

export interface OptSpec {
  /** Canonical name used in OptionWord.flags. */
  name: string;
  short?: string;
  long: string[];
  arg?: boolean;
  /** Accepted by Sockscope but not by ss 6.1 (reported as an extension): ss's way to write it, or '' when ss has none. */
  extension?: string;
  /**
   * What the option does in the `sockscope` command, for an option a query (a `.ssq` file, the Sockets
   * view) has no use for: said where a query carries it, instead of "no effect".
   */
  commandLine?: string;
}

export const OPTION_SPECS: readonly OptSpec[] = [
  { name: 'tcp', short: 't', long: ['tcp'] },
  { name: 'udp', short: 'u', long: ['udp'] },
  { name: 'raw', short: 'w', long: ['raw'] },
  { name: 'unix', short: 'x', long: ['unix'] },
  { name: 'packet', short: '0', long: ['packet'] },
  { name: 'mptcp', short: 'M', long: ['mptcp'] },
  { name: 'dccp', short: 'd', long: ['dccp'] },
  { name: 'sctp', short: 'S', long: ['sctp'] },
  { name: 'vsock', long: ['vsock'] },
  { name: 'tipc', long: ['tipc'] },
  { name: 'xdp', long: ['xdp'] },
  { name: 'netlink', long: ['netlink'], extension: '-f netlink' },
  { name: 'query', short: 'A', long: ['query', 'socket'], arg: true },
  { name: 'family', short: 'f', long: ['family'], arg: true },
  { name: 'ipv4', short: '4', long: ['ipv4'] },
  { name: 'ipv6', short: '6', long: ['ipv6'] },
  { name: 'all', short: 'a', long: ['all'] },
  { name: 'listening', short: 'l', long: ['listening'] },
  { name: 'numeric', short: 'n', long: ['numeric'] },
  { name: 'resolve', short: 'r', long: ['resolve'] },
  { name: 'processes', short: 'p', long: ['processes'] },
  { name: 'info', short: 'i', long: ['info'] },
  { name: 'memory', short: 'm', long: ['memory'] },
  { name: 'extended', short: 'e', long: ['extended'] },
  { name: 'options', short: 'o', long: ['options'] },
  { name: 'summary', short: 's', long: ['summary'] },
  { name: 'no-header', short: 'H', long: ['no-header'] },
  { name: 'oneline', short: 'O', long: ['oneline'] },
  { name: 'threads', short: 'T', long: ['threads'] },
  { name: 'bpf', short: 'b', long: ['bpf'] },
  { name: 'events', short: 'E', long: ['events'], commandLine: '`sockscope -E` prints sockets as they are destroyed, as `ss -E`' },
  { name: 'kill', short: 'K', long: ['kill'], commandLine: '`sockscope -K` closes the matching sockets, as `ss -K`' },
  { name: 'context', short: 'Z', long: ['context'] },
  { name: 'contexts', short: 'z', long: ['contexts'] },
  { name: 'cgroup', long: ['cgroup'] },
  { name: 'tos', long: ['tos'], commandLine: 'with `-D`, the dump carries each socket\'s ToS and traffic class, as `ss --tos -D`; the text does not print them' },
  { name: 'inet-sockopt', long: ['inet-sockopt'] },
  { name: 'tipcinfo', long: ['tipcinfo'] },
  { name: 'net', short: 'N', long: ['net'], arg: true },
  { name: 'pid', long: ['pid'], arg: true, extension: '' },
  { name: 'children', long: ['children'], extension: '' },
  { name: 'filter', short: 'F', long: ['filter'], arg: true },
  { name: 'diag', short: 'D', long: ['diag'], arg: true, commandLine: '`sockscope -D FILE` writes the raw TCP sock_diag dump of the matching sockets to FILE (`-`: stdout), as `ss -D`; `TCPDIAG_FILE=FILE sockscope -t …` reads one back' },
  { name: 'version', short: 'V', long: ['version'], commandLine: '`sockscope -V` prints the version' },
  { name: 'help', short: 'h', long: ['help'], commandLine: '`sockscope -h` prints the usage' },
];

const BY_SHORT = new Map<string, OptSpec>(OPTION_SPECS.filter((o) => o.short).map((o) => [o.short as string, o]));
const ALL_LONG: [string, OptSpec][] = OPTION_SPECS.flatMap((o) => o.long.map((l): [string, OptSpec] => [l, o]));

/** Kind -> its address families. */
export const KIND_FAMILIES: Readonly<Record<SsqKind, readonly SsqFamily[]>> = {
  tcp: ['inet', 'inet6'], mptcp: ['inet', 'inet6'], udp: ['inet', 'inet6'], raw: ['inet', 'inet6'],
  dccp: ['inet', 'inet6'], sctp: ['inet', 'inet6'],
  u_str: ['unix'], u_dgr: ['unix'], u_seq: ['unix'], p_raw: ['packet'], p_dgr: ['packet'], nl: ['netlink'],
  v_str: ['vsock'], v_dgr: ['vsock'], tipc: [], xdp: [],
};

/** The tables ss dumps with no kind or family flag (ss 6.1's filter_default_dbs). */
export const DEFAULT_KINDS: readonly SsqKind[] = ['tcp', 'mptcp', 'udp', 'raw', 'dccp', 'sctp', 'u_str', 'u_dgr', 'u_seq', 'p_raw', 'p_dgr', 'nl', 'v_str', 'v_dgr'];

const FAMILY_KINDS: Readonly<Record<SsqFamily, readonly SsqKind[]>> = {
  inet: ['tcp', 'mptcp', 'udp', 'raw', 'dccp', 'sctp'],
  inet6: ['tcp', 'mptcp', 'udp', 'raw', 'dccp', 'sctp'],
  unix: ['u_str', 'u_dgr', 'u_seq'],
  packet: ['p_raw', 'p_dgr'],
  netlink: ['nl'],
  vsock: ['v_str', 'v_dgr'],
};

/** `-A` words (ss's filter_db_parse) -> kinds. */
export const QUERY_WORDS: Readonly<Record<string, readonly SsqKind[]>> = {
  all: DEFAULT_KINDS,
  inet: ['tcp', 'mptcp', 'udp', 'raw', 'dccp', 'sctp'],
  tcp: ['tcp'], udp: ['udp'], raw: ['raw'], mptcp: ['mptcp'], dccp: ['dccp'], sctp: ['sctp'], tipc: ['tipc'], xdp: ['xdp'],
  unix: ['u_str', 'u_dgr', 'u_seq'],
  unix_stream: ['u_str'], u_str: ['u_str'], unix_dgram: ['u_dgr'], u_dgr: ['u_dgr'], unix_seqpacket: ['u_seq'], u_seq: ['u_seq'],
  packet: ['p_raw', 'p_dgr'], packet_raw: ['p_raw'], p_raw: ['p_raw'], packet_dgram: ['p_dgr'], p_dgr: ['p_dgr'],
  netlink: ['nl'],
  vsock: ['v_str', 'v_dgr'], vsock_stream: ['v_str'], v_str: ['v_str'], vsock_dgram: ['v_dgr'], v_dgr: ['v_dgr'],
};

/** `-f` words -> family. */
export const FAMILY_WORDS: Readonly<Record<string, SsqFamily>> = {
  inet: 'inet', inet6: 'inet6', link: 'packet', unix: 'unix', netlink: 'netlink', vsock: 'vsock',
};

/** Mutable state while reading flags; finished by `finishOptions`. */
export interface OptionState {
  kinds: Set<SsqKind>;
  families: Set<SsqFamily>;
  /** ss's do_default: no kind/family flag yet. */
  useDefault: boolean;
  /** The family later host words default to (ss's preferred_family). */
  preferredFamily: SsqFamily | null;
  /** -a / -l state filter (0 = none). */
  stateFilter: number;
  /** Union of the default states of the tables and families named by flags (ss's f->states). */
  flagStates: number;
  /** An -A was seen (ss's saw_query). */
  sawQuery: boolean;
  opts: QueryOptions;
}

export function newOptionState(): OptionState {
  return {
    kinds: new Set(),
    families: new Set(),
    useDefault: true,
    preferredFamily: null,
    stateFilter: 0,
    flagStates: 0,
    sawQuery: false,
    opts: {
      kinds: [], families: [], states: 0, explicitKinds: false, all: false, listening: false, numeric: false, resolve: false,
      processes: false, info: false, memory: false, extended: false, timers: false, summary: false, noHeader: false, netns: null, filterFile: null,
      pids: null, children: false, cgroup: false,
    },
  };
}

function tok(w: Word, from: number, to = w.text.length): Token {
  const start = offsetIn(w, from);
  const end = to > from ? offsetIn(w, to - 1) + 1 : start;
  return { text: w.text.slice(from, to), range: { start, end } };
}

const CLOSE_ONLY = 1 << TCP_STATE.CLOSE;
const ESTAB_ONLY = 1 << TCP_STATE.ESTABLISHED;
/** Default states per table and per family (ss's default_dbs / default_afs). */
const KIND_STATES: Readonly<Record<SsqKind, number>> = {
  tcp: SS_CONN, mptcp: SS_CONN, dccp: SS_CONN, sctp: SS_CONN, udp: ESTAB_ONLY, raw: ESTAB_ONLY,
  u_str: SS_CONN, u_seq: SS_CONN, u_dgr: CLOSE_ONLY, p_raw: CLOSE_ONLY, p_dgr: CLOSE_ONLY, nl: CLOSE_ONLY,
  v_str: SS_CONN, v_dgr: SS_CONN, tipc: SS_CONN, xdp: CLOSE_ONLY,
};
const FAMILY_STATES: Readonly<Record<SsqFamily, number>> = {
  inet: SS_CONN, inet6: SS_CONN, unix: SS_CONN, vsock: SS_CONN, packet: CLOSE_ONLY, netlink: CLOSE_ONLY,
};

function setFamily(st: OptionState, f: SsqFamily): void {
  st.flagStates |= FAMILY_STATES[f];
  st.families.add(f);
  st.useDefault = false;
  st.preferredFamily = f;
}

function apply(st: OptionState, spec: OptSpec, arg: Token | undefined, diags: Diagnostic[], where: { start: number; end: number }): void {
  const o = st.opts;
  const kind = (k: SsqKind): void => {
    st.flagStates |= KIND_STATES[k];
    st.kinds.add(k);
    st.useDefault = false;
  };
  switch (spec.name) {
    case 'tcp': kind('tcp'); break;
    case 'udp': kind('udp'); break;
    case 'raw': kind('raw'); break;
    case 'mptcp': kind('mptcp'); break;
    case 'dccp': kind('dccp'); break;
    case 'sctp': kind('sctp'); break;
    case 'tipc': kind('tipc'); break;
    case 'xdp': kind('xdp'); break;
    case 'unix': setFamily(st, 'unix'); break;
    case 'packet': setFamily(st, 'packet'); break;
    case 'vsock': setFamily(st, 'vsock'); break;
    case 'netlink': setFamily(st, 'netlink'); break;
    case 'ipv4': setFamily(st, 'inet'); break;
    case 'ipv6': setFamily(st, 'inet6'); break;
    case 'all': o.all = true; st.stateFilter = SS_ALL; break;
    case 'listening': o.listening = true; st.stateFilter = SS_LISTENING; break;
    case 'numeric': o.numeric = true; break;
    case 'resolve': o.resolve = true; break;
    case 'processes': o.processes = true; break;
    case 'info': o.info = true; break;
    case 'memory': o.memory = true; break;
    case 'extended': o.extended = true; break;
    case 'options': o.timers = true; break;
    case 'summary': o.summary = true; break;
    case 'no-header': o.noHeader = true; break;
    case 'net': if (arg) o.netns = arg.text; break;
    case 'filter': if (arg) o.filterFile = arg.text; break;
    case 'pid': if (arg) readPids(o, arg, diags); break;
    case 'children': o.children = true; break;
    case 'cgroup': o.cgroup = true; break;
    case 'family': {
      if (!arg) break;
      const f = Object.prototype.hasOwnProperty.call(FAMILY_WORDS, arg.text) ? FAMILY_WORDS[arg.text] : undefined;
      if (f) setFamily(st, f);
      else if (arg.text === 'tipc' || arg.text === 'xdp') kind(arg.text);
      else diags.push({ range: arg.range, severity: 'error', code: 'bad-option-arg', message: `unknown family \`${arg.text}\` (expected one of inet, inet6, link, unix, netlink, vsock)` });
      break;
    }
    case 'query': {
      if (!arg) break;
      if (!st.sawQuery) {
        // ss: the first -A drops the tables named before it and, unless -a/-l came first, wants
        // the connected states whatever the tables (`-A unix_dgram` shows ESTAB, not UNCONN)
        st.sawQuery = true;
        st.kinds.clear();
        if (!st.stateFilter) st.stateFilter = SS_CONN;
        st.useDefault = false;
      }
      let off = arg.range.start;
      for (const part of arg.text.split(',')) {
        const neg = part.startsWith('!');
        const name = neg ? part.slice(1) : part;
        const kinds = Object.prototype.hasOwnProperty.call(QUERY_WORDS, name) ? QUERY_WORDS[name] : undefined;
        if (!kinds) {
          const lower = name.toLowerCase();
          const guess = Object.prototype.hasOwnProperty.call(QUERY_WORDS, lower) ? lower : undefined;
          const r = { start: off, end: off + part.length };
          diags.push({
            range: r, severity: 'error', code: 'bad-option-arg',
            message: `unknown socket table \`${name}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}`,
            fixes: guess ? [{ title: `Change to \`${guess}\``, edits: [{ range: { start: r.start + (neg ? 1 : 0), end: r.end }, newText: guess }] }] : undefined,
          });
        } else if (neg) {
          // ss's filter_db_set(..., false): removes from what is selected so far (nothing by default)
          for (const k of kinds) st.kinds.delete(k);
          st.useDefault = false;
        } else {
          for (const k of kinds) kind(k);
        }
        off += part.length + 1;
      }
      break;
    }
    default:
      diags.push({
        range: where, severity: 'info', code: 'unsupported',
        message: spec.commandLine ? `option --${spec.name} acts only on the command line (a query run in VS Code ignores it): ${spec.commandLine}` : `option --${spec.name} has no effect in Sockscope`,
      });
  }
}

/** The largest pid Linux gives (PID_MAX_LIMIT). */
const MAX_PID = 4_194_304;

/** `--pid PID[,PID…]`: adds to the pids of earlier --pid options. */
function readPids(o: QueryOptions, arg: Token, diags: Diagnostic[]): void {
  const pids = o.pids ?? [];
  let off = arg.range.start;
  for (const part of arg.text.split(',')) {
    const range = { start: off, end: off + part.length };
    off += part.length + 1;
    const n = /^[0-9]{1,7}$/.test(part) ? Number(part) : NaN;
    if (n >= 1 && n <= MAX_PID) { if (!pids.includes(n)) pids.push(n); continue; }
    diags.push({ range: part ? range : arg.range, severity: 'error', code: 'bad-option-arg', message: part ? `\`${part}\` is not a process id (expected a number from 1 to ${MAX_PID})` : 'empty process id in `--pid` (expected PID[,PID…])' });
  }
  o.pids = pids;
}

/**
 * Reads one argv word that starts with `-`. `next` supplies the following word for options that
 * take a separate argument; returns how many extra words were consumed.
 */
export function readOption(st: OptionState, w: Word, next: Word | undefined, out: OptionWord[], diags: Diagnostic[], extensions = true): number {
  const t = w.text;
  const range = { start: w.start, end: w.end };
  if (t.startsWith('--')) {
    const eq = t.indexOf('=');
    const name = eq >= 0 ? t.slice(2, eq) : t.slice(2);
    const exact = ALL_LONG.filter(([l]) => l === name);
    const cands = exact.length ? exact : ALL_LONG.filter(([l]) => l.startsWith(name));
    const specs = [...new Set(cands.map(([, s]) => s))];
    if (specs.length !== 1 || name === '') {
      const guess = nearest(name, ALL_LONG.map(([l]) => l));
      diags.push({
        range, severity: 'error', code: 'unknown-option',
        message: specs.length > 1 ? `ambiguous option \`--${name}\` (could be ${specs.map((s) => '--' + s.long[0]).join(', ')})` : `unknown option \`--${name}\`${guess ? ` (did you mean \`--${guess}\`?)` : ''}`,
        fixes: guess && specs.length === 0 ? [{ title: `Change to \`--${guess}\``, edits: [{ range: { start: w.start, end: eq >= 0 ? offsetIn(w, eq) : w.end }, newText: `--${guess}` }] }] : undefined,
      });
      out.push({ text: t, range, flags: [] });
      return 0;
    }
    const spec = specs[0];
    let arg: Token | undefined;
    let used = 0;
    if (spec.arg) {
      if (eq >= 0) arg = tok(w, eq + 1);
      else if (next) {
        arg = tok(next, 0);
        used = 1;
        range.end = next.end;
      } else {
        diags.push({ range, severity: 'error', code: 'bad-option-arg', message: `option \`--${spec.long[0]}\` needs an argument` });
      }
    } else if (eq >= 0) {
      diags.push({ range, severity: 'error', code: 'bad-option-arg', message: `option \`--${spec.long[0]}\` takes no argument` });
    }
    if (spec.extension) extensionHint(range, `--${name}`, spec.extension, diags, extensions);
    out.push({ text: t, range, flags: [spec.name], arg });
    apply(st, spec, arg, diags, range);
    return used;
  }
  const flags: string[] = [];
  let arg: Token | undefined;
  let used = 0;
  for (let i = 1; i < t.length; i++) {
    const spec = BY_SHORT.get(t[i]);
    if (!spec) {
      const r = { start: offsetIn(w, i), end: offsetIn(w, i) + 1 };
      diags.push({ range: r, severity: 'error', code: 'unknown-option', message: `unknown option \`-${t[i]}\`` });
      continue;
    }
    flags.push(spec.name);
    if (spec.arg) {
      if (i + 1 < t.length) arg = tok(w, i + 1);
      else if (next) {
        arg = tok(next, 0);
        used = 1;
        range.end = next.end;
      } else diags.push({ range, severity: 'error', code: 'bad-option-arg', message: `option \`-${t[i]}\` needs an argument` });
      apply(st, spec, arg, diags, range);
      break;
    }
    apply(st, spec, undefined, diags, { start: offsetIn(w, i), end: offsetIn(w, i) + 1 });
  }
  out.push({ text: t, range, flags, arg });
  return used;
}

function extensionHint(range: { start: number; end: number }, text: string, portable: string, diags: Diagnostic[], extensions: boolean): void {
  if (!portable) {
    diags.push({ range, severity: extensions ? 'hint' : 'error', code: 'extension', message: `\`${text}\` is a Sockscope extension; ss has no equivalent` });
    return;
  }
  diags.push({
    range, severity: extensions ? 'hint' : 'error', code: 'extension', message: `\`${text}\` is a Sockscope extension; ss writes \`${portable}\``,
    fixes: [{ title: `Change to \`${portable}\``, edits: [{ range, newText: portable }] }],
  });
}

/** ss's main(): defaults, -a/-l, state words, then filter_merge_defaults. */
export function finishOptions(st: OptionState, stateWords: number | null): void {
  if (st.useDefault) for (const k of DEFAULT_KINDS) st.kinds.add(k);
  st.opts.explicitKinds = !st.useDefault;
  st.opts.states = stateWords !== null ? stateWords : st.stateFilter || (st.useDefault ? SS_CONN : st.flagStates);
  // filter_merge_defaults: kinds bring their families, families bring their kinds.
  for (const k of [...st.kinds]) {
    const fams = KIND_FAMILIES[k];
    if (fams.length && !fams.some((f) => st.families.has(f))) for (const f of fams) st.families.add(f);
  }
  for (const f of [...st.families]) {
    if (!FAMILY_KINDS[f].some((k) => st.kinds.has(k))) for (const k of FAMILY_KINDS[f]) st.kinds.add(k);
  }
}

/** Final lists; `hostFamily` is the family a host prefix in the expression narrowed the dump to. */
export function resolveLists(st: OptionState, hostFamily: SsqFamily | null, preferred: SsqFamily | null = st.preferredFamily): void {
  const families = new Set<SsqFamily>(hostFamily ? [hostFamily] : st.families);
  // ss's inet_show_netlink dumps AF_INET only when the last family chosen (-4, -f inet, an inet:
  // host) is inet, AF_INET6 only when it is inet6, and both otherwise ('-4 -6' is v6 only,
  // '-4 -x' dumps v4 and v6; checked with strace on ss 6.1)
  if (families.has('inet') || families.has('inet6')) {
    families.delete('inet');
    families.delete('inet6');
    if (preferred !== 'inet6') families.add('inet');
    if (preferred !== 'inet') families.add('inet6');
  }
  st.opts.families = (['inet', 'inet6', 'unix', 'packet', 'netlink', 'vsock'] as const).filter((f) => families.has(f));
  st.opts.tables = DEFAULT_KINDS.concat(['tipc', 'xdp']).filter((k) => st.kinds.has(k));
  // ss's packet_show/netlink_show return at once unless the state filter has UNCONN (closed):
  // their sockets are never in any other state (checked with strace on ss 6.1)
  const closed = (st.opts.states & CLOSE_ONLY) !== 0;
  st.opts.kinds = DEFAULT_KINDS.concat(['tipc', 'xdp']).filter(
    (k) => st.kinds.has(k) && (KIND_FAMILIES[k].length === 0 || KIND_FAMILIES[k].some((f) => families.has(f))) && (closed || !UNCONN_ONLY.has(k)),
  );
}

const UNCONN_ONLY: ReadonlySet<SsqKind> = new Set<SsqKind>(['p_raw', 'p_dgr', 'nl']);

/** The closest word by edit distance (<= 2), for "did you mean" suggestions. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) >= bestD) continue;
    const d = editDistance(word.toLowerCase(), c.toLowerCase(), bestD);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  if (a.length > 64 || b.length > 64) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= cap) return cap;
    prev = cur;
  }
  return prev[b.length];
}
