// A row's cells in LOG_COLUMNS order: the text shown, and the tooltip (exact values), which the table asks
// for only when the pointer reaches a cell. Pure.
import { LOG_COLUMNS, type LogColumnId, type LogTableRow } from '../../protocol/history-webview';
import { bytesText, closedByText, durationText, endpointText, processText, timeText } from './format';

export interface Cell { text: string; title: string }

// One formatter for every cell (toLocaleString builds a new one per call: too slow for a scrolling table).
const GROUPED = new Intl.NumberFormat('en-US');
const num = (n: number | null): string => (n === null ? '' : GROUPED.format(n));

const CELL: Record<LogColumnId, (r: LogTableRow) => Cell> = {
  process: (r) => ({ text: processText(r), title: processText(r) }),
  netid: (r) => ({ text: r.netid, title: r.netid }),
  local: (r) => { const t = endpointText(r.localAddress, r.localPort); return { text: t, title: t }; },
  peer: (r) => { const t = endpointText(r.peerAddress, r.peerPort); return { text: t, title: t }; },
  opened: (r) => ({ text: timeText(r.openedAt), title: new Date(r.openedAt).toISOString() }),
  closed: (r) => ({ text: timeText(r.closedAt), title: r.closedAt === null ? 'still open' : new Date(r.closedAt).toISOString() }),
  duration: (r) => ({ text: durationText(r.durationMs), title: r.durationMs === null ? '' : `${num(r.durationMs)} ms` }),
  sent: (r) => ({ text: bytesText(r.bytesSent), title: r.bytesSent === null ? 'unknown' : `${num(r.bytesSent)} bytes` }),
  received: (r) => ({ text: bytesText(r.bytesReceived), title: r.bytesReceived === null ? 'unknown' : `${num(r.bytesReceived)} bytes` }),
  retrans: (r) => ({ text: num(r.retrans), title: r.retrans === null ? 'unknown' : `${num(r.retrans)} segments retransmitted` }),
  state: (r) => ({ text: r.state, title: r.state }),
  closedBy: (r) => ({
    text: closedByText(r.closedBy, r.closedAt),
    title: r.closedBy === 'kernel-event' ? 'reported closed by the kernel (sock_diag destroy event)' : r.closedBy === 'watch' ? 'seen closed by a refresh (not reported by the kernel)' : '',
  }),
};

/** The texts shown, in column order. The table keeps them with the page (no WeakMap: its ephemerons made V8's full GC pauses long). */
export function cellTexts(r: LogTableRow): string[] {
  return LOG_COLUMNS.map((c) => CELL[c.id](r).text);
}

/** The tooltip of column `c` (an index into LOG_COLUMNS), '' for none. */
export function cellTitle(r: LogTableRow, c: number): string {
  const col = LOG_COLUMNS[c];
  return col ? CELL[col.id](r).title : '';
}

export const formatCount = (n: number): string => GROUPED.format(n);
