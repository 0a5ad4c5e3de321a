// The `sockscope` command: ss's arguments (parsed by the ssq language core), a sock_diag dump
// through the netlink engine, kernel bytecode plus a userspace recheck for filters, and ss-shaped
// text or streamed JSON on stdout.
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import {
  NetlinkError, SS_DUMP_ORDER, SockDiag, errnoName, kindOfNetid, parseMessage, readDiagFile, subscribeDestroyEvents,
  type DatagramReader, type DumpExt, type DumpRequest, type SockKind, type Socket,
} from '../netlink/index';
import {
  LineMap, compileBytecode, compileMatcher, parseArgv, parseQuery,
  type Diagnostic, type Expr, type ParsedQuery, type QueryOptions, type SsqSocket,
} from '../ssq/index';
import { ProcessMapJob } from '../host/process-map';
import { PidError, socketsOfPids } from '../host/pid-sockets';
import { NameResolver, ssqResolverOf } from '../host/name-resolver';
import { splitCliFlags, USAGE } from './args';
import { CliError, debug, printNote } from './errors';
import { JsonArrayWriter } from './json';
import { Output } from './output';
import { toSsqSocket } from '../host/ssq-socket';
import { summaryText } from './summary';
import { TextRenderer, type TextOptions } from './text';
import { loadInetRows } from './inet-rows';

import { SOCKSCOPE_VERSION } from '../protocol/version';

export const VERSION = SOCKSCOPE_VERSION;

const INET_KINDS = new Set<SockKind>(['tcp', 'udp', 'raw', 'mptcp']);

/** The first error diagnostic, if any. */
function firstError(diags: readonly Diagnostic[]): Diagnostic | undefined {
  return diags.find((d) => d.severity === 'error');
}

function isOptionDiagnostic(d: Diagnostic): boolean {
  return d.code === 'unknown-option' || d.code === 'bad-option-arg';
}

export function parseCommandLine(rest: string[], names: NameResolver): ParsedQuery {
  const parsed = parseArgv(rest, { resolver: ssqResolverOf(names) });
  const err = firstError(parsed.diagnostics);
  if (err) {
    if (isOptionDiagnostic(err)) throw new CliError(err.message);
    const col = new LineMap(parsed.text).at(err.range.start).column + 1;
    throw new CliError(`filter error at column ${col}: ${err.message}`);
  }
  return parsed;
}

function readFilterFile(file: string, names: NameResolver): Expr | null {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read filter file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const parsed = parseQuery(text, { resolver: ssqResolverOf(names), expressionOnly: true });
  const err = firstError(parsed.diagnostics);
  if (err) {
    const at = new LineMap(text).at(err.range.start);
    throw new CliError(`filter error at line ${at.line + 1}, column ${at.column + 1} of ${file}: ${err.message}`);
  }
  return parsed.expr;
}

/** /run/netns/NAME for a name, the path itself for a path; checked to exist. */
export function netnsPathOf(netns: string): string {
  const path = netns.includes('/') ? netns : `/run/netns/${netns}`;
  if (!existsSync(path)) throw new CliError(`network namespace "${netns}" not found (no ${path})`);
  return path;
}

function kindsToDump(o: QueryOptions): { kinds: SockKind[]; netids: Set<string> } {
  const netids = new Set<string>(o.kinds);
  const wanted = new Set<SockKind>();
  for (const k of o.kinds) {
    const kind = kindOfNetid(k);
    if (kind) wanted.add(kind);
  }
  const fam = new Set<string>(o.families);
  const kinds = SS_DUMP_ORDER.filter((k) => {
    if (!wanted.has(k)) return false;
    if (INET_KINDS.has(k)) return fam.has('inet') || fam.has('inet6');
    if (k === 'unix') return fam.has('unix');
    if (k === 'packet') return fam.has('packet');
    return fam.has('netlink');
  });
  return { kinds, netids };
}

/** ss hides Netid when only one of its tables is dumped, State when only one state is wanted. */
function singleBit(mask: number): boolean {
  return mask !== 0 && (mask & (mask - 1)) === 0;
}

export function describeOpenError(e: unknown, netns: string | null): CliError {
  if (e instanceof NetlinkError) {
    if (e.errno === 1 || e.errno === 13) {
      return new CliError(netns ? `permission denied entering network namespace "${netns}" (needs root or CAP_SYS_ADMIN)` : `permission denied opening a sock_diag socket: ${e.message}`);
    }
    if (e.errno === 2 && netns) return new CliError(`network namespace "${netns}" not found`);
    return new CliError(netns ? `cannot open network namespace "${netns}": ${e.message}` : `cannot open a sock_diag socket: ${e.message}`);
  }
  return new CliError((e as Error).message ?? String(e));
}

/**
 * Runs the CLI; returns the exit status (a promise for -E, which runs until SIGINT/SIGTERM).
 * Throws CliError for usage and system errors.
 */
export function run(argv: readonly string[]): number | Promise<number> {
  const { flags, rest, netns: earlyNetns, diag: diagFile } = splitCliFlags(argv);
  const stdout = new Output(1);
  if (flags.help) { stdout.write(USAGE); stdout.flush(); return 0; }
  if (flags.version) { stdout.write(`sockscope ${VERSION} (ss utility compatible with iproute2-6.1.0)\n`); stdout.flush(); return 0; }

  // Interface names in a filter (`dev X`) belong to the dumped namespace: know it before parsing.
  const earlyPath = earlyNetns ? netnsPathOf(earlyNetns) : undefined;
  const names = earlyPath ? new NameResolver(earlyNetns!.includes('/') ? { path: earlyPath } : { name: earlyNetns!, path: earlyPath }) : new NameResolver();
  const parsed = parseCommandLine(rest, names);
  const o = parsed.options;
  // ss -Z/-z fails unless SELinux is enabled; Sockscope shows no security contexts at all
  if (parsed.optionWords.some((w) => w.flags.includes('context') || w.flags.includes('contexts'))) {
    throw new CliError(existsSync('/sys/fs/selinux/enforce') ? '-Z/-z (security contexts) is not supported' : 'SELinux is not enabled (-Z/-z)');
  }
  const netnsPath = o.netns ? netnsPathOf(o.netns) : undefined;

  let expr = parsed.expr;
  if (o.filterFile) {
    if (expr) throw new CliError('both -F FILE and a filter expression were given');
    expr = readFilterFile(o.filterFile, names);
  }

  // The userspace check is made once the namespace's port range can be read (see openDiag).
  let matcher: ((s: SsqSocket) => boolean) | null = null;
  // TCPDIAG_FILE: ss filters the sockets of a capture with its userspace check alone.
  let fileMatcher: ((s: SsqSocket) => boolean) | null = null;
  const makeMatcher = (portRange: () => [number, number] | undefined): void => {
    if (!expr) return;
    try {
      matcher = compileMatcher(expr, { ephemeralPorts: portRange });
      fileMatcher = compileMatcher(expr, { ephemeralPorts: portRange, userspaceOnly: true });
    } catch (e) {
      throw new CliError(`filter expressions are not supported yet: ${(e as Error).message}`);
    }
  };
  let bytecode: Uint8Array | null = null;
  if (expr) {
    try {
      bytecode = compileBytecode(expr);
    } catch (e) {
      debug(`no kernel bytecode for this filter: ${(e as Error).message}`);
      bytecode = null;
    }
  }

  if (o.summary && flags.json) throw new CliError('--json cannot be combined with -s/--summary');
  if (o.summary) {
    stdout.write(summaryText(netnsPath));
    if (!o.explicitKinds && !expr) { stdout.flush(); return 0; }
  }

  if (o.children && !o.pids) throw new CliError('--children needs --pid PID[,PID…]');
  // --pid: the sockets those processes (and with --children their descendants) hold now.
  let pidInodes: Set<number> | null = null;
  if (o.pids) {
    try {
      pidInodes = socketsOfPids(o.pids, o.children).inodes;
    } catch (e) {
      if (e instanceof PidError) throw new CliError(e.message);
      throw e;
    }
  }

  const { kinds, netids } = kindsToDump(o);
  const unixSubset = !['u_str', 'u_dgr', 'u_seq'].every((n) => netids.has(n));
  const packetSubset = !['p_raw', 'p_dgr'].every((n) => netids.has(n));
  const fam = new Set<string>(o.families);
  const families: (4 | 6)[] = [];
  if (fam.has('inet')) families.push(4);
  if (fam.has('inet6')) families.push(6);

  if (diagFile !== null) {
    if (!kinds.includes('tcp')) throw new CliError('-D/--diag dumps TCP sockets: tcp is not among the selected tables');
    return writeDiagDump(diagFile, netnsPath, o, bytecode, parsed.optionWords.some((w) => w.flags.includes('tos')));
  }

  // -p: /proc is read by a worker thread while this one dumps; the text output joins it at render
  // time, JSON (which writes each socket at once) right away.
  type ProcMap = Map<number, import('../protocol/socket-record').ProcessRef[]>;
  let procs: ProcMap | undefined;
  let lazyProcs: (() => ProcMap) | undefined;
  if (o.processes) {
    const job = new ProcessMapJob();
    lazyProcs = () => {
      const pm = job.join();
      if (pm.unreadable > 0 && process.geteuid?.() !== 0) printNote(`${pm.unreadable} processes not visible without root`);
      return pm.byInode;
    };
    if (flags.json) procs = lazyProcs();
  }

  const ext: DumpExt = {
    info: o.info,
    cong: o.info,
    mem: o.memory,
    shutdown: o.extended || flags.json,
    mark: true,
    cgroup: o.extended || o.cgroup || flags.json || !!expr,
    tos: flags.json,
  };

  const interfaceName = (i: number) => names.interfaceName(i);
  const json = flags.json ? new JsonArrayWriter(stdout, { processes: procs, interfaceName }, flags.events ? 'lines' : 'array') : null;
  const textOpts: TextOptions = {
    numeric: o.numeric,
    resolveHosts: o.resolve,
    processes: o.processes,
    info: o.info,
    mem: o.memory,
    extended: o.extended,
    cgroup: o.cgroup,
    netnsSwitched: !!earlyNetns,
    // ss -e sets show_options too: timers and the negotiated TCP options, as -o shows them.
    timers: o.timers || o.extended,
    header: !o.noHeader,
    // ss hides Netid when its dbs (the tables the options chose) has one bit.
    showNetid: !((o.tables ?? o.kinds).length === 1),
    showState: !singleBit(o.states),
  };
  // The WebAssembly writer of plain inet rows (see TextRenderer.inetRowsReader), for dumps whose
  // options let it write them.
  const plainRows = !json && !flags.events && TextRenderer.writesInetRows(textOpts);
  const fast = plainRows ? loadInetRows() : null;
  if (plainRows && !fast) debug('no WebAssembly row writer (dist/inet-rows.wasm): JavaScript writes every row');
  const text = json ? null : new TextRenderer(stdout, textOpts, names, lazyProcs, fast);

  const show = (s: Socket): void => {
    if (json) json.add(s);
    else text!.add(s);
  };
  const wanted = (s: Socket): boolean => {
    if (s.kind === 'unix' && unixSubset && !netids.has(s.netid)) return false;
    if (s.kind === 'packet' && packetSubset && !netids.has(s.netid)) return false;
    if (pidInodes && !pidInodes.has(s.inode)) return false;
    return !matcher || matcher(toSsqSocket(s));
  };

  if (flags.events) {
    makeMatcher(() => {
      const d = SockDiag.open(netnsPath ? { netnsPath, procfsOnly: true } : { procfsOnly: true });
      try { return d.localPortRange(); } finally { d.close(); }
    });
    return followDestroyEvents(netnsPath, o.netns, kinds, wanted, show, () => { if (json) json.finish(); else text!.finish(); }, () => stdout.flush(), text);
  }

  let diag: SockDiag;
  let killer: SockDiag | null = null;
  try {
    diag = SockDiag.open(netnsPath ? { netnsPath } : {});
    // -K: ss closes sockets over a second netlink socket while the dump runs on the first.
    if (flags.kill) killer = SockDiag.open(netnsPath ? { netnsPath } : {});
  } catch (e) {
    throw describeOpenError(e, o.netns);
  }
  const opened = diag;
  makeMatcher(() => opened.localPortRange());

  const onSocket = (s: Socket): void => {
    if (!wanted(s)) return;
    if (killer && INET_KINDS.has(s.kind)) {
      try {
        killer.destroy(s);
      } catch (e) {
        if (e instanceof NetlinkError && (e.errno === 95 || e.errno === 2)) return; // cannot be closed, or already gone
        if (e instanceof NetlinkError && (e.errno === 1 || e.errno === 13)) throw new CliError('permission denied closing sockets (-K needs CAP_NET_ADMIN)');
        throw e;
      }
    }
    show(s);
  };

  // Plain inet rows (no filter left to check, nothing to close) go straight from the datagrams into
  // the text's cells; every other message is parsed as usual.
  const reader: DatagramReader | undefined = !matcher && !killer && !pidInodes ? text?.inetRowsReader() : undefined;

  // TCPDIAG_FILE: TCP sockets come from a capture (ss -D / sockscope -D) instead of the kernel, as in ss.
  const tcpFile = process.env.TCPDIAG_FILE;
  const replay = tcpFile && kinds.includes('tcp')
    ? (): void => replayDiagFile(tcpFile, (s) => {
      if (fileMatcher && !fileMatcher(toSsqSocket(s))) return;
      show(s);
    })
    : undefined;

  return dumpAll(diag, killer, kinds, replay ? undefined : reader, (kind) => {
    const inet = INET_KINDS.has(kind);
    // unix: the engine sends UNIX_DIAG_VFS/ICONS (what -e shows) with ext.info.
    const kindExt = kind === 'unix' && o.extended ? { ...ext, info: true } : ext;
    return { kinds: [kind], states: o.states, ext: kindExt, ...(inet ? { families } : {}), ...(inet && bytecode ? { bytecode } : {}) };
  }, onSocket, replay).then(() => {
    if (json) json.finish();
    else text!.finish();
    return 0;
  });
}

/**
 * Dumps each kind in turn (batched: the kernel fills the next datagrams while this thread prints;
 * the engine redoes a dump without its bytecode if the kernel refuses it); closes both netlink
 * sockets.
 */
async function dumpAll(
  diag: SockDiag, killer: SockDiag | null, kinds: SockKind[], reader: DatagramReader | undefined,
  requestOf: (kind: SockKind) => DumpRequest, onSocket: (s: Socket) => void, replayTcp?: () => void,
): Promise<void> {
  try {
    for (const kind of kinds) {
      if (kind === 'tcp' && replayTcp) { replayTcp(); continue; }
      const notes = await diag.dumpBatched(requestOf(kind), onSocket, reader);
      if (notes.bytecodeRejected) debug(`kernel refused the filter bytecode (${notes.bytecodeRejected}); filtered in userspace`);
      for (const n of notes.notes) printNote(n);
    }
  } catch (e) {
    if (e instanceof NetlinkError) {
      if (e.errno === 1 || e.errno === 13) throw new CliError(`permission denied reading sockets: ${e.message}`);
      throw new CliError(`socket dump failed: ${e.message}`);
    }
    throw e;
  } finally {
    diag.close();
    killer?.close();
  }
}

/** -E: print each socket the kernel destroys (tcp/udp), until SIGINT or SIGTERM. */
function followDestroyEvents(
  netnsPath: string | undefined, netns: string | null, kinds: SockKind[],
  wanted: (s: Socket) => boolean, show: (s: Socket) => void, finish: () => void, flush: () => void,
  text: TextRenderer | null,
): Promise<number> {
  const groups: ('tcp4' | 'tcp6' | 'udp4' | 'udp6')[] = [];
  if (kinds.includes('tcp')) groups.push('tcp4', 'tcp6');
  if (kinds.includes('udp')) groups.push('udp4', 'udp6');
  if (groups.length === 0) throw new CliError('-E follows tcp and udp sockets only (add -t or -u)');
  return new Promise<number>((resolve, reject) => {
    let sub: { close(): void };
    const end = (code: number): void => {
      sub?.close();
      try { finish(); } catch (e) { reject(e); return; }
      resolve(code);
    };
    try {
      sub = subscribeDestroyEvents({ ...(netnsPath ? { netnsPath } : {}), groups, onError: (e) => { printNote(`destroy events stopped: ${e.message}`); end(1); } }, (s) => {
        if (!wanted(s)) return;
        show(s);
        text?.flushRows();
        flush();
      });
    } catch (e) {
      throw describeOpenError(e, netns);
    }
    text?.flushRows();
    flush();
    process.once('SIGINT', () => end(0));
    process.once('SIGTERM', () => end(0));
  });
}

/** TCPDIAG_FILE: the TCP sockets of a raw capture, filtered only by the expression (as ss's tcp_show_netlink_file). */
function replayDiagFile(file: string, onSocket: (s: Socket) => void): void {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new CliError(`cannot read TCPDIAG_FILE ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const r = readDiagFile(buf, onSocket);
  if (r.end === 'truncated') printNote(`unexpected end of TCPDIAG_FILE ${file} (no NLMSG_DONE after ${r.count} sockets)`);
  if (r.end === 'error') printNote(`TCPDIAG_FILE ${file} holds a netlink error${r.errno ? ` (${errnoName(r.errno)})` : ''}`);
}

/**
 * -D FILE: the raw reply datagrams of the TCP dump, as ss -D writes them: after the kernel's filters
 * (states, bytecode), IPv4 then IPv6 (one of them with -4/-6), each dump with its NLMSG_DONE, with the
 * extensions ss asks for (-i tcp_info, -m memory, --tos). Nothing else is printed.
 */
async function writeDiagDump(file: string, netnsPath: string | undefined, o: QueryOptions, bytecode: Uint8Array | null, tos: boolean): Promise<number> {
  let fd: number;
  try {
    fd = file === '-' ? 1 : openSync(file, 'w', 0o644);
  } catch (e) {
    throw new CliError(`cannot open ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let diag: SockDiag;
  try {
    diag = SockDiag.open(netnsPath ? { netnsPath } : {});
  } catch (e) {
    if (fd !== 1) closeSync(fd);
    throw describeOpenError(e, o.netns);
  }
  const fam = new Set<string>(o.families);
  // ss's preferred_family: -4 / -f inet dumps IPv4 only, -6 IPv6 only, otherwise both in turn.
  const families: (4 | 6)[] = fam.has('inet') && fam.has('inet6') ? [4, 6] : fam.has('inet6') ? [6] : [4];
  const ext: DumpExt = { info: o.info, cong: o.info, mem: o.memory, shutdown: false, mark: false, cgroup: false, tos };
  const out = new Output(fd);
  const copy: DatagramReader = (buf, len, st) => {
    out.reserve(len);
    buf.copy(out.buf, out.pos, 0, len);
    out.pos += len;
    // Keep the dump's own state (its end, its errors) by parsing the messages, delivering nothing.
    for (let off = 0; off < len && !st.done;) off = parseMessage(buf, off, len, st, () => {});
    return 0;
  };
  try {
    for (const f of families) {
      await diag.dumpBatched({ kinds: ['tcp'], states: o.states, ext, families: [f], ...(bytecode ? { bytecode } : {}) }, () => {}, copy);
    }
  } catch (e) {
    if (e instanceof NetlinkError) throw new CliError(`socket dump failed: ${e.message}`);
    throw e;
  } finally {
    diag.close();
    out.flush();
    if (fd !== 1) closeSync(fd);
  }
  return 0;
}
