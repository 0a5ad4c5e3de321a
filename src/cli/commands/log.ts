// `sockscope log [--db FILE] [--since DURATION] [--until TIME] [FILTER] [--json]`: the connection log of
// a recording (what bcc's tcplife prints, from sockscope record or the VS Code recorder). FILTER is the
// ss filter language, evaluated over the stored rows; --json prints JSON Lines.
import { compileMatcher } from '../../ssq/index';
import { NameResolver } from '../../host/name-resolver';
import { LogJsonWriter } from '../../host/history/log-json';
import { LOG_TEXT_HEADER, LogTextWriter } from '../../host/history/log-text';
import type { PackedRow } from '../../host/history/log-pack';
import { Recording } from '../../host/history/queries';
import { NETIDS } from '../../host/history/schema';
import { CliError } from '../errors';
import { writeAll } from '../output';
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
  const json = flags.has('--json');
  const codes = netids ? new Set(NETIDS.flatMap((n, i) => (netids.has(n) ? [i] : []))) : null;
  // The filter reads a row with its texts; everything else works on the packed row.
  const keep = codes || match ? (r: PackedRow): boolean => (!codes || codes.has(r.netid)) && (!match || match(rowSocket(rec.logRowOf(r)))) : undefined;
  const writer = json ? new LogJsonWriter(rec.texts) : new LogTextWriter(rec.texts);
  try {
    if (!json) writeAll(1, Buffer.from(LOG_TEXT_HEADER));
    // Chunks of about a MiB written as they are (each before the next is made, so their buffers are
    // reused): a full pipe blocks the write (the backpressure).
    for (const chunk of rec.logBytes(from, to, writer, keep, true)) writeAll(1, chunk);
  } finally {
    rec.close();
  }
  return 0;
}
