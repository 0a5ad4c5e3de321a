// `sockscope check FILE.ssq [--query NAME]... [-N NETNS] [--json]`: a monitoring plugin (Nagios,
// Icinga, Sensu conventions). Evaluates the file's named queries over one dump and prints one
// line per query, `NAME STATE: VALUE (warn > 800, error > 1000) | NAME=VALUE;800;1000`; exits
// 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (a file that does not parse, a missing namespace).
import { existsSync } from 'node:fs';
import { SockDiag } from '../../netlink/index';
import { CHECK_EXIT, CHECK_STATUS, reportQuery, stateRank, worstState, measureKey, type HealthState } from '../../ssq/index';
import { loadHealthFile } from '../../host/health-file';
import { NameResolver } from '../../host/name-resolver';
import { evaluateQuerySet, type HealthQuery } from '../../host/query-set';
import { describeError } from '../errors';
import { Output } from '../output';

export const CHECK_USAGE = `Usage: sockscope check FILE.ssq [--query NAME]... [-N NETNS] [--json]
Evaluates the thresholds (@warn, @error) of the file's named queries over one socket dump.
Prints one line per query, NAME STATE: VALUE (thresholds) | perfdata, and exits
0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (the file does not parse, the namespace does not exist).
  --query NAME   only this query (repeatable; default: every named query)
  -N NETNS       the network namespace (a name under /run/netns, or a path)
  --json         an array with one object per query instead of lines
`;

interface CheckArgs { file: string; queries: string[]; netns: string | null; json: boolean }

function parseArgs(argv: readonly string[]): CheckArgs | string {
  const a: CheckArgs = { file: '', queries: [], netns: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i];
    const value = (name: string): string | undefined => {
      const eq = w.indexOf('=');
      if (eq > 0) return w.slice(eq + 1);
      if (i + 1 >= argv.length) return undefined;
      return argv[++i] ?? name;
    };
    if (w === '--json') a.json = true;
    else if (w === '--query' || w.startsWith('--query=')) {
      const v = value(w);
      if (!v) return '--query needs a query name';
      a.queries.push(v);
    } else if (w === '-N' || w === '--net' || w.startsWith('--net=')) {
      const v = value(w);
      if (!v) return '-N needs a namespace name';
      a.netns = v;
    } else if (w.startsWith('-') && w !== '-') return `unknown option ${w} (see sockscope check --help)`;
    else if (a.file) return `one file only (got ${a.file} and ${w})`;
    else a.file = w;
  }
  if (!a.file) return 'which .ssq file? (sockscope check FILE.ssq)';
  return a;
}

/** Prints an UNKNOWN result (plugin style: on stdout, which the monitoring system reads) and returns 3. */
function unknown(out: Output, json: boolean, message: string): number {
  out.write(json ? JSON.stringify({ status: 'UNKNOWN', exitCode: CHECK_EXIT.unknown, error: message }) + '\n' : `SOCKSCOPE UNKNOWN: ${message}\n`);
  out.flush();
  return CHECK_EXIT.unknown;
}

export async function runCheck(argv: readonly string[]): Promise<number> {
  const out = new Output(1);
  if (argv.includes('--help') || argv.includes('-h')) { out.write(CHECK_USAGE); out.flush(); return 0; }
  const args = parseArgs(argv);
  if (typeof args === 'string') return unknown(out, argv.includes('--json'), args);
  const netnsPath = args.netns === null ? undefined : args.netns.includes('/') ? args.netns : `/run/netns/${args.netns}`;
  if (netnsPath && !existsSync(netnsPath)) return unknown(out, args.json, `network namespace "${args.netns}" not found (no ${netnsPath})`);
  const names = netnsPath ? new NameResolver(args.netns!.includes('/') ? { path: netnsPath } : { name: args.netns!, path: netnsPath }) : new NameResolver();
  const file = loadHealthFile(args.file, names);
  if (file.errors.length) return unknown(out, args.json, file.errors.join('; '));
  let queries: HealthQuery[] = file.queries;
  if (args.queries.length) {
    const missing = args.queries.filter((n) => !file.queries.some((q) => q.name === n));
    if (missing.length) return unknown(out, args.json, `no query ${missing.map((n) => `[${n}]`).join(', ')} in ${args.file} (it has ${file.queries.map((q) => `[${q.name}]`).join(', ')})`);
    queries = file.queries.filter((q) => args.queries.includes(q.name));
  }

  let diag: SockDiag;
  try {
    diag = SockDiag.open(netnsPath ? { netnsPath } : {});
  } catch (e) {
    return unknown(out, args.json, netnsPath ? `cannot open network namespace "${args.netns}": ${describeError(e)}` : `cannot open a sock_diag socket: ${describeError(e)}`);
  }
  let results;
  try {
    results = (await evaluateQuerySet(diag, queries)).queries;
  } catch (e) {
    return unknown(out, args.json, `socket dump failed: ${describeError(e)}`);
  } finally {
    diag.close();
  }

  const worst: HealthState = worstState(results.map((r) => r.health.state));
  if (args.json) {
    const objects = results.map((r, i) => {
      const q = queries[i];
      const h = r.health;
      return {
        name: r.name, state: h.state, status: CHECK_STATUS[h.state], exitCode: stateRank(h.state),
        count: h.count,
        measures: h.measures.map((m) => ({ measure: m.key, value: m.value, unit: m.unit, text: m.text })),
        thresholds: q.thresholds.map((t) => ({ level: t.level, measure: measureKey(t.measure), cmp: t.cmp, value: t.value, text: t.valueText, holds: h.holding.includes(t) })),
        ...(h.note ? { note: h.note } : {}),
      };
    });
    out.write(JSON.stringify(objects, null, 2) + '\n');
  } else {
    for (const [i, r] of results.entries()) {
      const rep = reportQuery(r.name, queries[i].thresholds, r.health);
      out.write(`${rep.summary} | ${rep.perfdata}\n`);
    }
  }
  out.flush();
  return stateRank(worst);
}
