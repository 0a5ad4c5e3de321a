// Canonical, portable ss form: what ss itself accepts (spaces around every operator and
// parenthesis, `not src X` for `src != X`), without shell quoting. AND and OR chains are printed
// left to right; a sub-chain of the other kind gets parentheses, so the output never mixes them bare.
import type { Expr, PortCmp } from './ast';
import { OPTION_SPECS } from './options';
import { leftSpine, stripNots } from './walk';
import { parseQuery } from './parser';
import type { ParsedQuery, ParseOptions } from './query';
import { STATE_CANONICAL, stateMask } from './states';

const CMP: Readonly<Record<PortCmp, string>> = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** A word that reads back as itself through parseQuery's shell splitting (single quotes when needed). */
export function shellWord(s: string): string {
  if (s !== '' && !/[\s'"\\]/.test(s) && !s.startsWith('#')) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** An expression value: ss-level backslashes for blanks and backslashes, then shell quoting. */
function valueWord(s: string): string {
  return shellWord(s.replace(/[\\\s]/g, '\\$&'));
}

function portText(t: string): string {
  const bare = t.startsWith(':') ? t.slice(1) : t;
  return bare === '*' || bare === '' ? '*' : `:${bare}`;
}

/** Prints an expression; `source` is used for error nodes (their text is kept as written). */
export function formatExpr(e: Expr, source = ''): string {
  const bin = (x: Expr): boolean => x.type === 'and' || x.type === 'or';
  switch (e.type) {
    case 'and':
    case 'or': {
      const { leaf, nodes } = leftSpine(e);
      const parts = [formatExpr(leaf, source)];
      let opens = 0;
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i];
        // a run of the other operator before this one is grouped: `( a or b ) and c`
        if (i > 0 && nodes[i - 1].type !== n.type) {
          opens++;
          parts.push(' )');
        }
        const r = formatExpr(n.right, source);
        parts.push(` ${n.type} ${bin(n.right) ? `( ${r} )` : r}`);
      }
      return '( '.repeat(opens) + parts.join('');
    }
    case 'not': {
      const { inner, count } = stripNots(e);
      const o = formatExpr(inner, source);
      return 'not '.repeat(count) + (bin(inner) ? `( ${o} )` : o);
    }
    case 'host':
      return `${e.dir} ${valueWord(e.host.text)}`;
    case 'port':
      return `${e.dir} ${CMP[e.cmp]} ${portText(e.port.text)}`;
    case 'dev':
      return `dev ${e.negated ? '!=' : '='} ${valueWord(e.value.text)}`;
    case 'fwmark':
      return `fwmark ${e.negated ? '!=' : '='} ${valueWord(e.value.text)}`;
    case 'cgroup':
      return `cgroup ${e.negated ? '!=' : '='} ${valueWord(e.value.text)}`;
    case 'autobound':
      return 'autobound';
    case 'error':
      return source.slice(e.range.start, e.range.end);
  }
}

const SHORT = new Map(OPTION_SPECS.filter((o) => o.short).map((o) => [o.name, o.short as string]));
const LONG = new Map(OPTION_SPECS.map((o) => [o.name, o.long[0]]));
const TAKES_ARG = new Set(OPTION_SPECS.filter((o) => o.arg).map((o) => o.name));

function formatOptions(q: ParsedQuery): string[] {
  const out: string[] = [];
  let cluster = '';
  const flush = (): void => {
    if (cluster) out.push('-' + cluster);
    cluster = '';
  };
  for (const w of q.optionWords) {
    if (!w.flags.length) {
      flush();
      out.push(shellWord(w.text));
      continue;
    }
    for (const f of w.flags) {
      if (TAKES_ARG.has(f)) {
        flush();
        const s = SHORT.get(f);
        const arg = shellWord(w.arg ? w.arg.text : '');
        out.push(s ? `-${s} ${arg}` : `--${LONG.get(f)}=${arg}`);
      } else if (f === 'netlink') {
        // ss 6.1 has no --netlink; -f netlink is the same (a family: UNCONN sockets by default),
        // -A netlink is not (an -A wants the connected states)
        flush();
        out.push('-f netlink');
      } else if (SHORT.has(f)) {
        const s = SHORT.get(f) as string;
        if (!cluster.includes(s)) cluster += s;
      } else {
        flush();
        out.push(`--${LONG.get(f)}`);
      }
    }
  }
  flush();
  return out;
}

/**
 * Canonical portable form of a query: options, state words, expression, joined by spaces.
 * A string is parsed first (with `opts`).
 */
export function format(query: ParsedQuery | string, opts?: ParseOptions): string {
  const q = typeof query === 'string' ? parseQuery(query, opts) : query;
  const parts = formatOptions(q);
  for (const s of q.stateWords) {
    const kw = s.exclude ? 'exclude' : 'state';
    if (!s.value) {
      parts.push(s.keyword.text);
      continue;
    }
    const lower = s.value.text.toLowerCase();
    const word = stateMask(lower) !== undefined ? (STATE_CANONICAL[lower] ?? lower) : s.value.text;
    parts.push(`${kw} ${shellWord(word)}`);
  }
  if (q.expr) parts.push(formatExpr(q.expr, q.text));
  return parts.join(' ');
}
