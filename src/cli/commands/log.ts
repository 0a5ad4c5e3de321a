// `sockscope log [--db FILE] [--since DURATION] [--until TIME] [FILTER] [--json]`: the connection log of
// a recording (what bcc's tcplife prints, from sockscope record or the VS Code recorder). FILTER is the
// ss filter language, evaluated over the stored rows; --json prints JSON Lines.
import { compileMatcher } from '../../ssq/index';
import { NameResolver } from '../../host/name-resolver';
import { logRowJson } from '../../host/history/log-json';
import { Recording } from '../../host/history/queries';
import { NETIDS } from '../../host/history/schema';
import { CliError } from '../errors';
import { Output, writeAll } from '../output';
import { parseCommandLine } from '../run';
import { parseTime, takeOptions } from '../duration';
import { defaultHistoryPath } from '../history-path';

const USAGE = `Usage: sockscope log [--db FILE] [--since DURATION] [--until TIME] [ FILTER ] [--json]
  Closed connections of a recording (default ${defaultHistoryPath()}), oldest first.
  --since   only those closed in the last DURATION (e.g. 1h), or since a time (ISO 8601)
  --until   only those closed before TIME (ISO 8601, or a duration ago)
  --json    JSON Lines: netid, localAddress, localPort, peerAddress, peerPort, pid, command, openedAt,
            closedAt, durationMs, bytesSent, bytesReceived, retrans, closedBy
`;

export { LOG_KEYS, logRowJson as logJson } from '../../host/history/log-json';

/** The evaluator's view of a stored row (shared with the helper's history requests). */
export { rowSocket } from '../../host/history/row-filter';
import { rowSocket } from '../../host/history/row-filter';

function pad(s: string, n: number): string {
  return s.length >= n ? s + ' ' : s + ' '.repeat(n - s.length);
}

function hostPort(a: string | null, p: number): string {
  return `${a === null ? '*' : a.includes(':') ? `[${a}]` : a}:${p}`;
}

export function log(argv: readonly string[]): number {
  if (argv.includes('-h') || argv.includes('--help')) { process.stdout.write(USAGE); return 0; }
  const { values, flags, rest } = takeOptions(argv, ['--db', '--since', '--until'], ['--json']);
  const path = values.get('--db') ?? defaultHistoryPath();
  const now = Date.now();
  const from = values.has('--since') ? parseTime(values.get('--since')!, '--since', now) : 0;
  const to = values.has('--until') ? parseTime(values.get('--until')!, '--until', now) : Number.MAX_SAFE_INTEGER;
  const parsed = rest.length ? parseCommandLine(rest, new NameResolver()) : null;
  const match = parsed?.expr ? compileMatcher(parsed.expr) : null;
  const netids = parsed?.options.explicitKinds ? new Set<string>(parsed.options.kinds) : null;

  let rec: Recording;
  try {
    rec = new Recording(path, { shortLived: true });
  } catch (e) {
    throw new CliError((e as Error).message, 1);
  }
  const out = new Output(1);
  const json = flags.has('--json');
  try {
    if (!json) out.write('Netid PID     Command          Local Address:Port                 Peer Address:Port                  Sent     Received Retrans Duration(ms) Closed                   By\n');
    if (json && !match) {
      // No expression to evaluate: the lines come as bytes straight from the log pages, each chunk
      // (about a MiB) written as it is (a full pipe blocks the write: that is the backpressure).
      const codes = netids ? NETIDS.flatMap((n, i) => (netids.has(n) ? [i] : [])) : undefined;
      for (const chunk of rec.logJsonBytes(from, to, codes)) writeAll(1, chunk);
      return 0;
    }
    for (const r of rec.log(from, to)) {
      if (netids && !netids.has(r.netid)) continue;
      if (match && !match(rowSocket(r))) continue;
      if (json) { out.write(logRowJson(r)); out.write('\n'); continue; }
      out.write(pad(r.netid, 5) + pad(r.pid === null ? '-' : String(r.pid), 7) + pad(r.command ?? '-', 16) + pad(hostPort(r.localAddress, r.localPort), 34) + pad(hostPort(r.peerAddress, r.peerPort), 34)
        + pad(String(r.bytesSent ?? '-'), 8) + pad(String(r.bytesReceived ?? '-'), 8) + pad(String(r.retrans ?? '-'), 7) + pad(String(r.durationMs), 12) + pad(new Date(r.closedAt).toISOString(), 24) + (r.closedBy ?? '-') + '\n');
    }
  } finally {
    out.flush();
    rec.close();
  }
  return 0;
}
