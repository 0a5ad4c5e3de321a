// The connection log's host-side logic without vscode (unit-tested): the filter checked with the shared
// parser before the helper sees it (the error says where and why, as the language reports it), the ss
// filter that selects a row's connection in the Sockets view, and the webview's messages routed after
// validation.
import { parseQuery } from '../../ssq';
import { dispatchMessage, type MessageHandlers } from '../../protocol/message-type';
import { LOG_WEBVIEW_TO_HOST, TIMELINE_WEBVIEW_TO_HOST, type FilterError, type LogTableRow } from '../../protocol/history-webview';

/** The first error of a filter text, or null when the language accepts it. Offsets are into `text`. */
export function filterError(text: string): FilterError | null {
  if (!text.trim()) return null;
  let diags;
  try {
    diags = parseQuery(text).diagnostics;
  } catch (e) {
    return { message: e instanceof Error ? e.message : String(e), column: 1, start: 0, end: text.length };
  }
  const err = diags.find((d) => d.severity === 'error');
  if (!err) return null;
  const start = Math.max(0, Math.min(err.range.start, text.length));
  return { message: err.message, column: start + 1, start, end: Math.max(start, Math.min(err.range.end, text.length)) };
}

const host = (a: string): string => (a.includes(':') ? `[${a}]` : a);

/**
 * The Sockets view filter for a row's connection: its netid option, its local end and, when it had one,
 * its peer (`-t src 127.0.0.1:5000 dst 127.0.0.1:40312`). Undefined for kinds without addresses.
 */
export function rowFilter(r: Pick<LogTableRow, 'netid' | 'localAddress' | 'localPort' | 'peerAddress' | 'peerPort'>): string | undefined {
  const option = ({ tcp: '-t', udp: '-u', raw: '-w', mptcp: '-M' } as Record<string, string | undefined>)[r.netid];
  if (!option) return undefined;
  const words = [option];
  if (r.localAddress && r.localAddress !== '*') words.push('src', `${host(r.localAddress)}:${r.localPort || '*'}`);
  else if (r.localPort) words.push('sport', '=', `:${r.localPort}`);
  if (r.peerAddress && r.peerAddress !== '*' && !/^(0\.0\.0\.0|::)$/.test(r.peerAddress)) words.push('dst', `${host(r.peerAddress)}:${r.peerPort || '*'}`);
  return words.join(' ');
}

export type LogHandlers = MessageHandlers<typeof LOG_WEBVIEW_TO_HOST>;
export type TimelineHandlers = MessageHandlers<typeof TIMELINE_WEBVIEW_TO_HOST>;

/** Routes a message from the log webview after validation; false (and onInvalid) for anything else. */
export function dispatchLogMessage(raw: unknown, handlers: LogHandlers, onInvalid?: (raw: unknown) => void): boolean {
  return dispatchMessage(LOG_WEBVIEW_TO_HOST, handlers, raw, onInvalid);
}

export function dispatchTimelineMessage(raw: unknown, handlers: TimelineHandlers, onInvalid?: (raw: unknown) => void): boolean {
  return dispatchMessage(TIMELINE_WEBVIEW_TO_HOST, handlers, raw, onInvalid);
}
