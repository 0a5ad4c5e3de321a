// CSV of the connection log (RFC 4180): one header line, one line per row, CRLF line ends, a field quoted
// when it holds a comma, a quote, CR or LF (quotes doubled). Times are ISO 8601 and numbers raw, so a
// spreadsheet or `sqlite3 .import` reads back what the recording holds. Pure (no vscode): the panel streams
// pages through `csvLines` into the file, never the whole table in memory.
// A text cell a spreadsheet would read as a formula (OWASP "CSV injection": it begins with =, +, -, @, tab or
// CR; a process can be named `=HYPERLINK(...)`) gets a leading `'`, which spreadsheets show as text. Numbers
// are written as numbers: the log's numbers (ports, bytes, pids, durations) are never negative.
import type { LogTableRow } from '../../protocol/history-webview';

export const CSV_COLUMNS = [
  'pid', 'command', 'netid', 'localAddress', 'localPort', 'peerAddress', 'peerPort', 'openedAt', 'closedAt',
  'durationMs', 'bytesSent', 'bytesReceived', 'retrans', 'state', 'closedBy',
] as const satisfies ReadonlyArray<keyof LogTableRow>;

/** What makes a spreadsheet read a text cell as a formula (or, for tab and CR, hide one after them). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: as is, or quoted with inner quotes doubled when it needs quoting; text that would be a
 *  formula is prefixed with `'`. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number') s = Number.isFinite(value) ? String(value) : '';
  else s = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(r: LogTableRow): string {
  const values: Record<(typeof CSV_COLUMNS)[number], string | number | null> = {
    pid: r.pid, command: r.command, netid: r.netid, localAddress: r.localAddress, localPort: r.localPort,
    peerAddress: r.peerAddress, peerPort: r.peerPort, openedAt: iso(r.openedAt), closedAt: iso(r.closedAt),
    durationMs: r.durationMs, bytesSent: r.bytesSent, bytesReceived: r.bytesReceived, retrans: r.retrans,
    state: r.state, closedBy: r.closedBy,
  };
  return `${CSV_COLUMNS.map((c) => csvField(values[c])).join(',')}\r\n`;
}

/** The lines of a page of rows, as one chunk to write. */
export function csvLines(rows: readonly LogTableRow[]): string {
  let out = '';
  for (const r of rows) out += csvLine(r);
  return out;
}
