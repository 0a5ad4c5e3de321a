// The classified words of a parsed query, taken from the parser's AST (option words, state words,
// expression nodes). Used by semantic tokens and hover. Ranges are in the query's joined text.
import type { Expr, HostSpec, ParsedQuery, PortValue, Range } from '../ssq';
import { STATE_WORDS } from '../ssq';

export type QueryTokenKind =
  | 'option' | 'optionArg' | 'stateKeyword' | 'state' | 'stateGroup' | 'badState'
  | 'keyword' | 'logical' | 'comparison' | 'host' | 'port' | 'value';

export interface QueryToken {
  kind: QueryTokenKind;
  text: string;
  range: Range;
  /** For ports: the parsed value. */
  port?: PortValue;
  /** For hosts: the parsed host. */
  host?: HostSpec;
  /** For values: the keyword they belong to. */
  keyword?: 'dev' | 'fwmark' | 'cgroup';
}

const GROUPS = new Set(['all', 'connected', 'synchronized', 'bucket', 'big']);

export function queryTokens(q: ParsedQuery): QueryToken[] {
  const out: QueryToken[] = [];
  for (const w of q.optionWords) {
    // The argument is a word of its own (`-N ns`) or the tail of the option word (`-Nns`, `--net=ns`).
    const separate = !w.arg || w.arg.range.start >= w.range.start + w.text.length;
    const end = separate ? Math.min(w.range.end, w.range.start + w.text.length) : w.arg!.range.start;
    out.push({ kind: 'option', text: w.text, range: { start: w.range.start, end } });
    if (w.arg) out.push({ kind: 'optionArg', text: w.arg.text, range: w.arg.range });
  }
  for (const s of q.stateWords) {
    out.push({ kind: 'stateKeyword', text: s.keyword.text, range: s.keyword.range });
    if (s.value) {
      const lower = s.value.text.toLowerCase();
      const known = Object.prototype.hasOwnProperty.call(STATE_WORDS, lower);
      out.push({ kind: !known ? 'badState' : GROUPS.has(lower) ? 'stateGroup' : 'state', text: s.value.text, range: s.value.range });
    }
  }
  if (q.expr) walk(q.expr, out);
  out.sort((a, b) => a.range.start - b.range.start);
  return out;
}

function walk(e: Expr, out: QueryToken[]): void {
  switch (e.type) {
    case 'and':
    case 'or':
      walk(e.left, out);
      if (e.op) out.push({ kind: 'logical', text: e.op.text, range: e.op.range });
      walk(e.right, out);
      return;
    case 'not':
      out.push({ kind: 'logical', text: e.op.text, range: e.op.range });
      walk(e.operand, out);
      return;
    case 'host':
      out.push({ kind: 'keyword', text: e.keyword.text, range: e.keyword.range });
      if (e.op) out.push({ kind: 'comparison', text: e.op.text, range: e.op.range });
      out.push({ kind: 'host', text: e.host.text, range: e.host.range, host: e.host });
      if (e.host.kind === 'inet' && e.host.port && e.host.port.range.end > e.host.port.range.start) {
        out.push({ kind: 'port', text: e.host.port.text, range: e.host.port.range, port: e.host.port });
      }
      return;
    case 'port':
      out.push({ kind: 'keyword', text: e.keyword.text, range: e.keyword.range });
      if (e.op) out.push({ kind: 'comparison', text: e.op.text, range: e.op.range });
      out.push({ kind: 'port', text: e.port.text, range: e.port.range, port: e.port });
      return;
    case 'dev':
    case 'fwmark':
    case 'cgroup':
      out.push({ kind: 'keyword', text: e.keyword.text, range: e.keyword.range });
      if (e.op) out.push({ kind: 'comparison', text: e.op.text, range: e.op.range });
      out.push({ kind: 'value', text: e.value.text, range: e.value.range, keyword: e.type });
      return;
    case 'autobound':
      out.push({ kind: 'keyword', text: 'autobound', range: e.range });
      return;
    case 'error':
      return;
  }
}
