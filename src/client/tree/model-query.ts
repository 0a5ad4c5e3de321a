// The view's filter text: validation as the user types (first error and its column) and the
// translation of a full ss query (options, states, expression) into the helper's SocketQuery.
// Pure (no vscode).
import { parseQuery, type ParsedQuery } from '../../ssq';
import type { SocketQuery } from '../../protocol/helper-protocol';
import { NETIDS, type Family, type Netid } from '../../protocol/socket-record';

export interface FilterCheck {
  ok: boolean;
  /** "column 7: expected a port after `dport =`" */
  message?: string;
  column?: number;
}

function parse(text: string): ParsedQuery | Error {
  try {
    return parseQuery(text);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** Checks filter text with the shared parser; the message names the 1-based column. */
export function checkFilter(text: string): FilterCheck {
  if (!text.trim()) return { ok: true };
  const parsed = parse(text);
  if (parsed instanceof Error) return { ok: true };
  const err = parsed.diagnostics.find((d) => d.severity === 'error');
  if (!err) return { ok: true };
  const column = err.range.start + 1;
  return { ok: false, column, message: `column ${column}: ${err.message}` };
}

/** The filter input's validation message ('' when the text is valid). */
export function filterValidationMessage(text: string): string {
  const c = checkFilter(text);
  return c.ok ? '' : `✗ ${c.message}`;
}

/**
 * The helper query for a view filter. Options (-t, -4, -l, -a, ...) become netids, families and
 * states; state words and the expression travel as filter text. Without any state word, -a or -l
 * the view shows every state (listeners included).
 */
export function toSocketQuery(text: string): SocketQuery {
  const trimmed = text.trim();
  if (!trimmed) return {};
  const parsed = parse(trimmed);
  if (parsed instanceof Error) return { filter: trimmed };
  const cut: Array<[number, number]> = [];
  for (const w of parsed.optionWords) cut.push([w.range.start, Math.max(w.range.end, w.arg?.range.end ?? 0)]);
  let filter = '';
  let at = 0;
  for (const [s, e] of cut.sort((a, b) => a[0] - b[0])) {
    filter += parsed.text.slice(at, s);
    at = Math.max(at, e);
  }
  filter += parsed.text.slice(at);
  filter = filter.replace(/^\s*ss(\s|$)/, ' ').replace(/\s+/g, ' ').trim();
  const q: SocketQuery = {};
  if (filter) q.filter = filter;
  const o = parsed.options;
  if (o.explicitKinds) {
    q.netids = o.kinds.filter((k): k is Netid => (NETIDS as readonly string[]).includes(k));
    q.families = o.families.filter((f): f is Family => f !== undefined);
  }
  if (!parsed.stateWords.length && o.listening && !o.all) q.states = ['LISTEN', 'UNCONN'];
  return q;
}
