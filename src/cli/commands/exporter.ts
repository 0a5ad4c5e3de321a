// `sockscope exporter --listen ADDR:PORT [--queries FILE.ssq]... [-N NETNS]`: a Prometheus exporter.
// Collects on scrape (no background loop): each /metrics or /healthz request asks for one
// snapshot, and requests that arrive while a dump runs share it (single flight), so any number of
// concurrent scrapes costs one dump at a time. Series are bounded by the queries and listeners:
// no label ever names a connection or a peer (README: "Prometheus exporter").
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SockDiag } from '../../netlink/index';
import { measureKey, measureUnit, stateRank, type HealthUnit, type HealthState } from '../../ssq/index';
import { loadHealthFile } from '../../host/health-file';
import { NameResolver } from '../../host/name-resolver';
import { evaluateQuerySet, type HealthQuery, type QuerySetSnapshot } from '../../host/query-set';
import { FindingsSession, countFindings, type FindingSocket, type FirewallFacts } from '../../findings/index';
import { collectSnapshot } from '../../host/findings/collect';
import { readFirewall } from '../../host/findings/firewall';
import { toFindingSocket } from '../../host/findings/finding-socket';
import { ProcessMapJob } from '../../host/process-map';
import { describeError, printError } from '../errors';
import { Output } from '../output';

export const DEFAULT_LISTEN = '127.0.0.1:9567';

export const EXPORTER_USAGE = `Usage: sockscope exporter [--listen ADDR:PORT] [--queries FILE.ssq]... [-N NETNS] [--findings]
A Prometheus exporter: /metrics (collected on each scrape; concurrent scrapes share one dump)
and /healthz (200 while no query is in error, 503 with the failing queries otherwise).
  --listen ADDR:PORT   where to listen (default ${DEFAULT_LISTEN}; [::1]:PORT for IPv6)
  --queries FILE.ssq   named queries with thresholds to export (repeatable); reloaded when a file
                       changes or on SIGHUP (one that does not parse keeps the last good queries)
  -N NETNS             the network namespace (a name under /run/netns, or a path)
  --findings           also run the findings rules (sockscope doctor) on each scrape, for the
                       sockscope_findings series; this reads every process's descriptors (the
                       process map) and the firewall, which costs far more than the dump
`;

/** Bucket bounds of the per-query rtt histogram, in seconds (100 us .. 2.5 s). */
export const RTT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface ExporterArgs { listen: string; files: string[]; netns: string | null; findings: boolean }

function parseArgs(argv: readonly string[]): ExporterArgs {
  const a: ExporterArgs = { listen: DEFAULT_LISTEN, files: [], netns: null, findings: false };
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i];
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const name = eq > 0 ? w.slice(0, eq) : w;
    const value = (): string => {
      const v = eq > 0 ? w.slice(eq + 1) : argv[++i];
      if (!v) throw new ExporterError(`${name} needs a value (see sockscope exporter --help)`);
      return v;
    };
    if (name === '--listen') a.listen = value();
    else if (name === '--queries') a.files.push(value());
    else if (name === '-N' || name === '--net') a.netns = value();
    else if (name === '--findings') a.findings = true;
    else throw new ExporterError(`unknown argument ${w} (see sockscope exporter --help)`);
  }
  return a;
}

class ExporterError extends Error {}

/** `127.0.0.1:9567`, `[::1]:9567`, `:9567` (every address). */
export function parseListen(text: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ExporterError(`--listen takes ADDR:PORT (127.0.0.1:9567, [::1]:9567), not "${text}"`);
  const host = m[1] ?? m[2];
  return { host: host === '' ? undefined : host, port };
}

/** Prometheus wants base units: seconds and bytes. */
function toBaseUnit(unit: HealthUnit, v: number): number {
  return unit === 'us' ? v / 1e6 : unit === 'ms' ? v / 1e3 : v;
}

/** The exporter's metrics, filled from one snapshot at a time. */
class Metrics {
  readonly registry = new Registry();
  private readonly g = {
    sockets: new Gauge({ name: 'sockscope_sockets', help: 'Sockets by netid and state (ss names)', labelNames: ['netid', 'state'], registers: [] }),
    querySockets: new Gauge({ name: 'sockscope_query_sockets', help: 'Sockets a named query matches', labelNames: ['query'], registers: [] }),
    queryState: new Gauge({ name: 'sockscope_query_state', help: 'Threshold state of a named query: 0 ok, 1 warn, 2 error', labelNames: ['query'], registers: [] }),
    queryValue: new Gauge({ name: 'sockscope_query_value', help: 'Value of a measure a query\'s thresholds name, in base units (seconds, bytes); absent over no sockets', labelNames: ['query', 'measure'], registers: [] }),
    queryThreshold: new Gauge({ name: 'sockscope_query_threshold', help: 'A threshold of a named query, in base units (seconds, bytes)', labelNames: ['query', 'level', 'measure', 'cmp'], registers: [] }),
    rtt: new Histogram({ name: 'sockscope_query_rtt_seconds', help: 'Smoothed rtt of the tcp sockets a query matches, at scrape time (a snapshot: read the buckets, not their rate)', labelNames: ['query'], buckets: RTT_BUCKETS, registers: [] }),
    acceptQueue: new Gauge({ name: 'sockscope_listener_accept_queue', help: 'Connections waiting in a tcp listener\'s accept queue (Recv-Q)', labelNames: ['listener'], registers: [] }),
    backlog: new Gauge({ name: 'sockscope_listener_backlog', help: 'A tcp listener\'s accept backlog (Send-Q)', labelNames: ['listener'], registers: [] }),
    overflows: new Counter({ name: 'sockscope_tcp_listen_overflows_total', help: 'Times a listener\'s accept queue was full (TcpExt ListenOverflows)', registers: [] }),
    drops: new Counter({ name: 'sockscope_tcp_listen_drops_total', help: 'SYNs dropped at listeners (TcpExt ListenDrops)', registers: [] }),
    findings: new Gauge({ name: 'sockscope_findings', help: 'Findings by id and severity', labelNames: ['id', 'severity'], registers: [] }),
    dumps: new Counter({ name: 'sockscope_dumps_total', help: 'Socket dumps made (concurrent scrapes share one)', registers: [] }),
    duration: new Gauge({ name: 'sockscope_dump_duration_seconds', help: 'How long the last dump and evaluation took', registers: [] }),
  };

  constructor() {
    for (const m of Object.values(this.g)) this.registry.registerMetric(m);
  }

  /** `queries`: those the snapshot was evaluated for (a reload may have replaced them since). */
  apply(queries: readonly HealthQuery[], snap: QuerySetSnapshot, findings: ReturnType<typeof countFindings> | null, seconds: number): void {
    const g = this.g;
    g.sockets.reset();
    for (const [netid, byState] of snap.sockets ?? []) for (const [state, n] of byState) g.sockets.set({ netid, state }, n);
    g.querySockets.reset(); g.queryState.reset(); g.queryValue.reset(); g.queryThreshold.reset(); g.rtt.reset();
    snap.queries.forEach((r, i) => {
      const q = queries[i];
      const query = r.name;
      g.querySockets.set({ query }, r.health.count);
      g.queryState.set({ query }, stateRank(r.health.state));
      for (const m of r.health.measures) {
        if (m.key !== 'count' && m.value !== null) g.queryValue.set({ query, measure: m.key }, toBaseUnit(m.unit, m.value));
      }
      for (const t of q.thresholds) g.queryThreshold.set({ query, level: t.level, measure: measureKey(t.measure), cmp: t.cmp }, toBaseUnit(measureUnit(t.measure), t.value));
      const child = g.rtt.labels({ query });
      for (const us of r.accumulator.valuesOf('rtt')) child.observe(us / 1e6);
    });
    g.acceptQueue.reset(); g.backlog.reset();
    for (const l of snap.listeners ?? []) {
      g.acceptQueue.set({ listener: l.local }, l.acceptQueue);
      g.backlog.set({ listener: l.local }, l.backlog);
    }
    const setCounter = (c: Counter, v: number | undefined): void => { c.reset(); if (v !== undefined) c.inc(v); };
    setCounter(g.overflows, snap.netstat?.['TcpExt.ListenOverflows']);
    setCounter(g.drops, snap.netstat?.['TcpExt.ListenDrops']);
    g.findings.reset();
    for (const f of findings ?? []) g.findings.set({ id: f.rule, severity: f.severity }, f.count);
    g.dumps.inc();
    g.duration.set(seconds);
  }
}

interface Scrape { snap: QuerySetSnapshot; text: string }

/** The kinds the findings judge (as sockscope doctor): a raw table read from /proc is no finding. */
const judged = (kind: string): boolean => kind === 'tcp' || kind === 'udp';

/** How long a firewall reading serves findings: it changes rarely and costs child processes. */
const FIREWALL_TTL_MS = 60_000;

export interface ExporterOptions {
  /** Run the findings rules on each scrape (sockscope_findings); default false: they read every process's fds. */
  findings?: boolean;
  /** The namespace dumped, for the findings' counters, sysctls and firewall. */
  netnsPath?: string;
  netns?: string;
}

/** The exporter: one open SockDiag, one snapshot in flight at most. */
export class Exporter {
  private readonly metrics: Metrics;
  private inflight: Promise<Scrape> | null = null;
  private readonly session: FindingsSession | null;
  private firewall: { at: number; facts: Promise<FirewallFacts> } | null = null;
  /** Dumps running right now (never more than one: what the benchmark and tests check). */
  running = 0;
  maxRunning = 0;

  constructor(private readonly diag: SockDiag, private queries: readonly HealthQuery[], private readonly opts: ExporterOptions = {}) {
    this.metrics = new Metrics();
    this.session = opts.findings === true ? new FindingsSession() : null;
  }

  /** Queries for the scrapes that start from now on (a reload); a scrape in flight keeps its own. */
  setQueries(queries: readonly HealthQuery[]): void {
    this.queries = queries;
  }

  get queryCount(): number {
    return this.queries.length;
  }

  /** The current snapshot and its exposition text; callers during a dump share it. */
  scrape(): Promise<Scrape> {
    this.inflight ??= this.collect().finally(() => { this.inflight = null; });
    return this.inflight;
  }

  private firewallFacts(): Promise<FirewallFacts> {
    const now = Date.now();
    if (!this.firewall || now - this.firewall.at > FIREWALL_TTL_MS) this.firewall = { at: now, facts: readFirewall(this.opts.netnsPath) };
    return this.firewall.facts;
  }

  private async collect(): Promise<Scrape> {
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      const t0 = process.hrtime.bigint();
      const queries = this.queries;
      // The findings' sockets come from the same dump: tcp and udp, copied as they pass.
      const fsockets: FindingSocket[] = [];
      const inodes: number[] = [];
      const job = this.session ? new ProcessMapJob() : null;
      const firewall = this.session ? this.firewallFacts() : null;
      const snap = await evaluateQuerySet(this.diag, queries, {
        extraFields: ['rtt'], inventory: true, tcpInfo: this.session !== null,
        ...(this.session ? { onSocket: (s) => { if (s.kind === 'tcp' || s.kind === 'udp') { fsockets.push(toFindingSocket(s)); inodes.push(s.inode); } } } : {}),
      });
      let counts: ReturnType<typeof countFindings> | null = null;
      if (this.session && job && firewall) {
        const pm = job.join();
        fsockets.forEach((s, i) => { const p = inodes[i] ? pm.byInode.get(inodes[i]) : undefined; if (p) s.processes = p; });
        const fsnap = await collectSnapshot({
          sockets: fsockets, diag: { notes: snap.notes, procfs: snap.procfs.filter(judged), skipped: snap.skipped.filter(judged) }, invisibleProcesses: pm.unreadable, firewall,
          ...(this.opts.netnsPath ? { netnsPath: this.opts.netnsPath } : {}), ...(this.opts.netns ? { netns: this.opts.netns } : {}),
        });
        counts = countFindings(this.session.run(fsnap));
      }
      this.metrics.apply(queries, snap, counts, Number(process.hrtime.bigint() - t0) / 1e9);
      return { snap, text: await this.metrics.registry.metrics() };
    } finally {
      this.running--;
    }
  }

  get contentType(): string {
    return this.metrics.registry.contentType;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    if (path !== '/metrics' && path !== '/healthz') {
      res.writeHead(path === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' })
        .end(path === '/' ? '<!doctype html><title>sockscope exporter</title><p><a href="/metrics">/metrics</a> · <a href="/healthz">/healthz</a>\n' : 'not found\n');
      return;
    }
    let scrape: Scrape;
    try {
      scrape = await this.scrape();
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`socket dump failed: ${describeError(e)}\n`);
      return;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': this.contentType }).end(scrape.text);
      return;
    }
    const body = healthzBody(scrape.snap);
    res.writeHead(body.failing ? 503 : 200, { 'content-type': 'text/plain; charset=utf-8' }).end(body.text);
  }
}

/** /healthz: one line per query; 503 when any query is in `error`, naming those first. */
export function healthzBody(snap: QuerySetSnapshot): { failing: number; text: string } {
  const line = (name: string, state: HealthState, count: number, why: string): string => `${name} ${state}: ${count} sockets${why ? ` (${why})` : ''}\n`;
  const failing = snap.queries.filter((q) => q.health.state === 'error');
  const lines = snap.queries.map((q) => line(q.name, q.health.state, q.health.count,
    q.health.holding.map((t) => `${t.level} ${measureKey(t.measure)} ${t.cmp} ${t.valueText}`).join(', ')));
  const head = failing.length ? `error: ${failing.map((q) => q.name).join(', ')}\n` : 'ok\n';
  return { failing: failing.length, text: head + lines.join('') };
}

function loadQueries(files: readonly string[], names: NameResolver): HealthQuery[] {
  const all: HealthQuery[] = [];
  const from = new Map<string, string>();
  const errors: string[] = [];
  for (const f of files) {
    const hf = loadHealthFile(f, names);
    errors.push(...hf.errors);
    for (const q of hf.queries) {
      const prev = from.get(q.name);
      // The query label must name one query.
      if (prev) errors.push(`query [${q.name}] is in both ${prev} and ${f}: names are the metrics' labels and must be unique`);
      else { from.set(q.name, f); all.push(q); }
    }
  }
  if (errors.length) throw new ExporterError(errors.join('\n'));
  return all;
}

/** Editors save by writing a new file and renaming it over the old: wait for the burst to end. */
export const RELOAD_DEBOUNCE_MS = 250;

/**
 * Reloads the query files when one changes (a watch on each file's folder, which sees a rename over
 * the file too) or on SIGHUP. A reload that does not parse keeps the last good queries and says where
 * and why on stderr. Returns the function that stops watching.
 */
function watchQueries(files: readonly string[], load: () => HealthQuery[], exporter: Exporter): () => void {
  let timer: NodeJS.Timeout | null = null;
  const reload = (why: string): void => {
    try {
      const queries = load();
      exporter.setQueries(queries);
      process.stderr.write(`sockscope exporter: reloaded ${queries.length} queries (${why})\n`);
    } catch (e) {
      if (!(e instanceof ExporterError)) throw e;
      for (const l of e.message.split('\n')) printError(`exporter: reload failed, keeping the last ${exporter.queryCount} queries: ${l}`);
    }
  };
  const soon = (why: string): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => { timer = null; reload(why); }, RELOAD_DEBOUNCE_MS);
  };
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    const full = resolvePath(f);
    const names = byDir.get(dirname(full)) ?? new Set<string>();
    names.add(basename(full));
    byDir.set(dirname(full), names);
  }
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const w = watch(dir, (_event, name) => { if (name === null || names.has(String(name))) soon(name ? `${String(name)} changed` : 'a query file changed'); });
      w.on('error', (e) => printError(`exporter: cannot watch ${dir} for query file changes: ${describeError(e)} (SIGHUP still reloads)`));
      watchers.push(w);
    } catch (e) {
      printError(`exporter: cannot watch ${dir} for query file changes: ${describeError(e)} (SIGHUP still reloads)`);
    }
  }
  const hup = (): void => soon('SIGHUP');
  process.on('SIGHUP', hup);
  return () => {
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
    process.off('SIGHUP', hup);
  };
}

export function runExporter(argv: readonly string[]): number | Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    const out = new Output(1);
    out.write(EXPORTER_USAGE);
    out.flush();
    return 0;
  }
  let args: ExporterArgs;
  let listen: { host: string | undefined; port: number };
  let queries: HealthQuery[];
  let diag: SockDiag;
  let names: NameResolver;
  const netnsPath = (ns: string): string => (ns.includes('/') ? ns : `/run/netns/${ns}`);
  try {
    args = parseArgs(argv);
    listen = parseListen(args.listen);
    const path = args.netns === null ? undefined : netnsPath(args.netns);
    if (path && !existsSync(path)) throw new ExporterError(`network namespace "${args.netns}" not found (no ${path})`);
    names = path ? new NameResolver(args.netns!.includes('/') ? { path } : { name: args.netns!, path }) : new NameResolver();
    queries = loadQueries(args.files, names);
    try {
      diag = SockDiag.open(path ? { netnsPath: path } : {});
    } catch (e) {
      throw new ExporterError(path ? `cannot open network namespace "${args.netns}": ${describeError(e)}` : `cannot open a sock_diag socket: ${describeError(e)}`);
    }
  } catch (e) {
    if (!(e instanceof ExporterError)) throw e;
    for (const l of e.message.split('\n')) printError(`exporter: ${l}`);
    return 2;
  }

  const path = args.netns === null ? undefined : netnsPath(args.netns);
  const exporter = new Exporter(diag, queries, { findings: args.findings, ...(path ? { netnsPath: path, netns: args.netns! } : {}) });
  const server = createServer((req, res) => {
    exporter.handle(req, res).catch((e: unknown) => { if (!res.headersSent) res.writeHead(500).end(`${describeError(e)}\n`); });
  });
  const unwatch = args.files.length ? watchQueries(args.files, () => loadQueries(args.files, names), exporter) : () => undefined;
  return new Promise<number>((resolve) => {
    const stop = (code: number): void => {
      unwatch();
      server.close();
      server.closeAllConnections();
      diag.close();
      resolve(code);
    };
    server.on('error', (e) => { printError(`exporter: cannot listen on ${args.listen}: ${describeError(e)}`); stop(2); });
    server.listen(listen.port, listen.host, () => {
      const a = server.address();
      const where = a && typeof a === 'object' ? `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : args.listen;
      process.stderr.write(`sockscope exporter: listening on http://${where}/metrics (${queries.length} queries${args.netns ? `, namespace ${args.netns}` : ''})\n`);
    });
    process.once('SIGINT', () => stop(0));
    process.once('SIGTERM', () => stop(0));
  });
}
