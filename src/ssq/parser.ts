// The query parser: options, state words and the expression, with ranges and diagnostics. It
// never throws; after an error it skips one token and goes on.
import type { BinaryExpr, Expr, HostFamilyPrefix, PortCmp, Token } from './ast';
import type { Diagnostic, Fix } from './diagnostics';
import type { OptionWord, ParsedQuery, ParseOptions, SsqFamily, SsqToken, SsqTokenKind, StateWord } from './query';
import type { Range } from './text';
import { parseCInteger } from './address';
import { type HostContext, PREFIX_FAMILY, parseHost, parsePort } from './host';
import { KEYWORDS, type Tok, tokenize } from './lexer';
import { finishOptions, nearest, newOptionState, type OptionState, readOption, resolveLists } from './options';
import { argvWords, shellSplit, type Word } from './shell';
import { forEachNode } from './walk';
import { SS_ALL, STATE_MISTAKES, STATE_WORDS, stateMask } from './states';

/** Parses `[ss] [OPTIONS] {state|exclude WORD}* [EXPR]` (shell quoting allowed). Never throws. */
export function parseQuery(text: string, opts: ParseOptions = {}): ParsedQuery {
  const diags: Diagnostic[] = [];
  try {
    const words = shellSplit(text, diags);
    return parseWords(text, words, diags, opts);
  } catch (e) {
    return crashed(text, diags, e);
  }
}

/** Parses argv words as a shell passes them; ranges are offsets in `argv.join(' ')`. Never throws. */
export function parseArgv(argv: readonly string[], opts: ParseOptions = {}): ParsedQuery {
  const text = argv.join(' ');
  const diags: Diagnostic[] = [];
  try {
    return parseWords(text, argvWords(argv), diags, { allowSsPrefix: false, ...opts });
  } catch (e) {
    return crashed(text, diags, e);
  }
}

/** Last-resort guard: an internal bug becomes a diagnostic, never an exception. */
function crashed(text: string, diags: Diagnostic[], e: unknown): ParsedQuery {
  const st = newOptionState();
  finishOptions(st, null);
  resolveLists(st, null);
  diags.push({ range: { start: 0, end: text.length }, severity: 'error', code: 'syntax', message: `internal parser error: ${e instanceof Error ? e.message : String(e)}` });
  return { text, tokens: [], options: st.opts, optionWords: [], stateWords: [], expr: null, exprRange: { start: text.length, end: text.length }, diagnostics: diags, usesExtensions: false, hadSsPrefix: false };
}

const STATE_KEYWORDS = new Set(['state', 'exclude', 'excl']);

function wordToken(w: Word): Token {
  return { text: w.text, range: { start: w.start, end: w.end } };
}

function stateDiag(value: Token): Diagnostic {
  const lower = value.text.toLowerCase();
  const guess = STATE_MISTAKES[lower] ?? nearest(lower, Object.keys(STATE_WORDS));
  return {
    range: value.range,
    severity: 'error',
    code: 'unknown-state',
    message: `unknown state \`${value.text}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}`,
    fixes: guess ? [{ title: `Change to \`${guess}\``, edits: [{ range: value.range, newText: guess }] }] : undefined,
  };
}

function parseWords(text: string, words: Word[], diags: Diagnostic[], opts: ParseOptions): ParsedQuery {
  const ext = opts.extensions !== false;
  const resolver = opts.resolver;
  let i = 0;
  let hadSsPrefix = false;
  if (opts.allowSsPrefix !== false && !opts.expressionOnly) {
    if (words[0]?.text === 'sudo' && words.length > 1 && /(^|\/)ss$/.test(words[1].text)) i = 2;
    else if (words.length && /(^|\/)ss$/.test(words[0].text)) i = 1;
    hadSsPrefix = i > 0;
  }
  const st: OptionState = newOptionState();
  const optionWords: OptionWord[] = [];
  const positional: Word[] = [];
  let dashdash = !!opts.expressionOnly;
  for (; i < words.length; i++) {
    const w = words[i];
    if (!dashdash && w.text === '--') {
      dashdash = true;
      continue;
    }
    if (!dashdash && w.text.length > 1 && w.text[0] === '-') {
      i += readOption(st, w, words[i + 1], optionWords, diags, ext);
      continue;
    }
    positional.push(w);
  }

  // state / exclude words
  const stateWords: StateWord[] = [];
  let states: number | null = null;
  let p = 0;
  const applyState = (exclude: boolean, mask: number): void => {
    if (exclude) states = (states ?? SS_ALL) & ~mask;
    else states = (states ?? 0) | mask;
  };
  if (!opts.expressionOnly) {
    while (p < positional.length && STATE_KEYWORDS.has(positional[p].text)) {
      const kw = wordToken(positional[p]);
      const vw = positional[p + 1];
      const exclude = kw.text !== 'state';
      if (!vw) {
        diags.push({ range: kw.range, severity: 'error', code: 'syntax', message: `expected a state name after \`${kw.text}\`` });
        stateWords.push({ keyword: kw, value: null, mask: 0, exclude, range: kw.range });
        p++;
        break;
      }
      const value = wordToken(vw);
      const mask = stateMask(value.text);
      if (mask === undefined) diags.push(stateDiag(value));
      else applyState(exclude, mask);
      stateWords.push({ keyword: kw, value, mask: mask ?? 0, exclude, range: { start: kw.range.start, end: value.range.end } });
      p += 2;
    }
  }
  finishOptions(st, states);

  const exprWords = positional.slice(p);
  const toks = tokenize(exprWords, ext, diags);
  const hostCtx: HostContext = { resolver, kinds: st.kinds, diags };
  const parser = new ExprParser(toks, diags, ext, hostCtx, st.preferredFamily);
  const expr = parser.parseTop();
  for (const late of parser.lateStates) {
    stateWords.push(late);
    if (late.mask) applyState(late.exclude, late.mask);
  }
  if (parser.lateStates.length) finishOptions(st, states);
  resolveLists(st, parser.hostFamily, parser.preferredFamily);
  if (!st.opts.kinds.length && !opts.expressionOnly) {
    const at = optionWords.length ? optionWords[optionWords.length - 1].range : { start: 0, end: 0 };
    diags.push({ range: at, severity: 'warning', code: 'empty-query', message: 'no socket tables to show with such filter (ss prints nothing)' });
  }
  if (st.opts.filterFile && expr) {
    diags.push({ range: expr.range, severity: 'warning', code: 'syntax', message: 'with -F the expression comes from the file; this expression is ignored by ss' });
  }
  const exprRange: Range = toks.length ? { start: toks[0].start, end: toks[toks.length - 1].end } : { start: text.length, end: text.length };
  const usesExtensions = diags.some((d) => d.code === 'extension');
  diags.sort((a, b) => a.range.start - b.range.start);
  const tokens: SsqToken[] = [];
  if (hadSsPrefix) for (let k = 0; k < words.length && k < 2 && /(^|\/)(ss|sudo)$/.test(words[k].text); k++) tokens.push({ kind: 'ss', text: words[k].text, range: { start: words[k].start, end: words[k].end } });
  for (const o of optionWords) tokens.push({ kind: 'option', text: o.text, range: o.range });
  for (const s of stateWords) {
    tokens.push({ kind: 'state-keyword', text: s.keyword.text, range: s.keyword.range });
    if (s.value) tokens.push({ kind: 'state', text: s.value.text, range: s.value.range });
  }
  const stateStarts = new Set(parser.lateStates.flatMap((w) => [w.keyword.range.start, ...(w.value ? [w.value.range.start] : [])]));
  for (const t of toks) {
    if (stateStarts.has(t.start)) continue;
    const kind: SsqTokenKind = t.kind === 'cmp' ? 'operator' : t.kind === 'word' ? 'value' : t.kind;
    tokens.push({ kind, text: t.text, range: { start: t.start, end: t.end } });
  }
  tokens.sort((a, b) => a.range.start - b.range.start);
  return { text, tokens, options: st.opts, optionWords, stateWords, expr, exprRange, diagnostics: diags, usesExtensions, hadSsPrefix };
}

/** Deeper parentheses are an error rather than a stack overflow. */
const MAX_NESTING = 256;

class ExprParser {
  private pos = 0;
  private depth = 0;
  /** Nodes written inside parentheses (for the mixed and/or warning). */
  private readonly grouped = new WeakSet<Expr>();
  hostFamily: SsqFamily | null = null;
  readonly lateStates: StateWord[] = [];

  constructor(
    private readonly toks: Tok[],
    private readonly diags: Diagnostic[],
    private readonly ext: boolean,
    private readonly ctx: HostContext,
    private preferred: SsqFamily | null,
  ) {}

  /** ss's preferred_family after the expression (host words with a family change it). */
  get preferredFamily(): SsqFamily | null {
    return this.preferred;
  }

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }

  private error(range: Range, message: string, code: Diagnostic['code'] = 'syntax', fixes?: Fix[]): void {
    this.diags.push({ range, severity: 'error', code, message, fixes });
  }

  parseTop(): Expr | null {
    const e = this.parseList();
    while (this.pos < this.toks.length) {
      const t = this.toks[this.pos++];
      this.error({ start: t.start, end: t.end }, 'unmatched `)`', 'unmatched-paren', [{ title: 'Remove `)`', edits: [{ range: { start: t.start, end: t.end }, newText: '' }] }]);
      const more = this.parseList();
      if (more && e) return this.checkMixed({ type: 'and', left: e, right: more, op: null, range: { start: e.range.start, end: more.range.end } });
    }
    return e ? this.checkMixed(e) : e;
  }

  private parseList(): Expr | null {
    let left: Expr | null = null;
    for (;;) {
      const t = this.peek();
      if (!t || t.kind === 'rparen') break;
      if (t.kind === 'word' && STATE_KEYWORDS.has(t.text)) {
        this.lateState(left);
        continue;
      }
      let op: Token | null = null;
      let type: 'and' | 'or' = 'and';
      if (t.kind === 'and' || t.kind === 'or') {
        this.pos++;
        op = { text: t.text, range: { start: t.start, end: t.end } };
        type = t.kind;
        if (!left) {
          this.error(op.range, `\`${t.text}\` needs a condition before it`);
          continue;
        }
        const nt = this.peek();
        if (!nt || nt.kind === 'rparen' || nt.kind === 'and' || nt.kind === 'or') {
          this.error(nt ? { start: nt.start, end: nt.end } : { start: t.end, end: t.end }, `expected a condition after \`${t.text}\``);
          continue;
        }
      }
      const right = this.parseTerm() ?? this.unexpected();
      if (!left) left = right;
      else {
        const node: BinaryExpr = { type, left, right, op, range: { start: left.range.start, end: right.range.end } };
        left = node;
      }
    }
    return left;
  }

  private lateState(left: Expr | null): void {
    const t = this.toks[this.pos++];
    const kw: Token = { text: t.text, range: { start: t.start, end: t.end } };
    const v = this.peek();
    const value: Token | null = v && v.kind === 'word' ? { text: v.text, range: { start: v.start, end: v.end } } : null;
    if (value) this.pos++;
    const mask = value ? stateMask(value.text) : undefined;
    if (value && mask === undefined) this.diags.push(stateDiag(value));
    const range = { start: kw.range.start, end: value ? value.range.end : kw.range.end };
    const fixes: Fix[] = [];
    const first = this.toks[0];
    if (value && first && left) {
      const moved = `${kw.text} ${value.text} `;
      fixes.push({
        title: `Move \`${kw.text} ${value.text}\` before the expression`,
        edits: [
          { range: { start: first.start, end: first.start }, newText: moved },
          { range: { start: left.range.end, end: range.end }, newText: '' },
        ],
      });
    }
    this.error(range, `\`${kw.text}\` must come before the expression, not after it`, 'state-after-expr', fixes);
    this.lateStates.push({ keyword: kw, value, mask: mask ?? 0, exclude: kw.text !== 'state', range });
  }

  /** Reports the token that cannot start a term, skips it, and stands in an error node. */
  private unexpected(): Expr {
    const t = this.toks[this.pos++];
    const range = { start: t.start, end: t.end };
    this.report(t, range);
    return { type: 'error', range };
  }

  private report(t: Tok, range: Range): void {
    if (t.kind === 'word') {
      const kw = nearest(t.text, [...KEYWORDS]);
      if (kw && !/^[0-9:*[]/.test(t.text)) {
        this.error(range, `unknown keyword \`${t.text}\` (did you mean \`${kw}\`?)`, 'syntax', [{ title: `Change to \`${kw}\``, edits: [{ range, newText: kw }] }]);
        // skip what looks like its operator and value, so one typo gives one error
        if (this.peek()?.kind === 'cmp') this.pos++;
        if (this.peek()?.kind === 'word') this.pos++;
        return;
      }
      if (/^[0-9:*[]/.test(t.text) || t.text.includes('.')) {
        this.error(range, `expected a condition, found the address \`${t.text}\` (write \`src ${t.text}\` or \`dst ${t.text}\`)`, 'syntax', [
          { title: `Write \`dst ${t.text}\``, edits: [{ range: { start: t.start, end: t.start }, newText: 'dst ' }] },
          { title: `Write \`src ${t.text}\``, edits: [{ range: { start: t.start, end: t.start }, newText: 'src ' }] },
        ]);
        return;
      }
    }
    this.error(range, `unexpected \`${t.text}\`: expected a condition (src, dst, sport, dport, dev, fwmark, cgroup, autobound), \`!\` or \`(\``);
  }

  /** One term, or null (nothing consumed) when the next token cannot start one. */
  private parseTerm(): Expr | null {
    const t = this.peek();
    if (!t) return null;
    if (t.kind === 'lparen') {
      this.pos++;
      if (this.depth >= MAX_NESTING) {
        this.error({ start: t.start, end: t.end }, `parentheses nested deeper than ${MAX_NESTING}`);
        return { type: 'error', range: { start: t.start, end: t.end } };
      }
      this.depth++;
      const inner = this.parseList();
      this.depth--;
      const close = this.peek();
      let end: number;
      if (close && close.kind === 'rparen') {
        this.pos++;
        end = close.end;
      } else {
        end = inner ? inner.range.end : t.end;
        this.error({ start: t.start, end: t.end }, 'missing `)` for this `(`', 'unmatched-paren', [{ title: 'Add `)`', edits: [{ range: { start: end, end }, newText: ' )' }] }]);
      }
      if (!inner) {
        this.error({ start: t.start, end }, 'empty parentheses: expected a condition inside `( )`');
        return { type: 'error', range: { start: t.start, end } };
      }
      this.grouped.add(inner);
      return inner;
    }
    if (t.kind === 'not') {
      // a run of `!` is read iteratively, then wrapped from the inside out
      const ops: Token[] = [];
      while (this.peek()?.kind === 'not') {
        const n = this.toks[this.pos++];
        ops.push({ text: n.text, range: { start: n.start, end: n.end } });
      }
      const operand = this.parseTerm();
      const last = ops[ops.length - 1];
      if (!operand) {
        const n = this.peek();
        this.error(n ? { start: n.start, end: n.end } : { start: last.range.end, end: last.range.end }, `expected a condition after \`${last.text}\``);
        return { type: 'error', range: { start: ops[0].range.start, end: last.range.end } };
      }
      let e: Expr = operand;
      for (let i = ops.length - 1; i >= 0; i--) e = { type: 'not', operand: e, op: ops[i], range: { start: ops[i].range.start, end: operand.range.end } };
      return e;
    }
    if (t.kind === 'keyword') return this.parseCond();
    return null;
  }

  private parseCond(): Expr {
    const k = this.toks[this.pos++];
    const keyword: Token = { text: k.text, range: { start: k.start, end: k.end } };
    if (k.text === 'autobound') return { type: 'autobound', range: keyword.range };
    let op: Token | null = null;
    let cmp: PortCmp = 'eq';
    const o = this.peek();
    if (o && o.kind === 'cmp' && o.cmp) {
      this.pos++;
      op = { text: o.text, range: { start: o.start, end: o.end } };
      cmp = o.cmp;
    }
    const after = op ? `${k.text} ${op.text}` : k.text;
    const v = this.peek();
    const headEnd = op ? op.range.end : keyword.range.end;
    const missing = (what: string): Expr => {
      this.error(v ? { start: v.start, end: v.end } : { start: headEnd, end: headEnd }, `expected ${what} after \`${after}\`${v ? `, found \`${v.text}\`` : ''}`, k.text === 'sport' || k.text === 'dport' ? 'bad-port' : 'syntax');
      return { type: 'error', range: { start: keyword.range.start, end: headEnd } };
    };
    const what = { src: 'an address', dst: 'an address', sport: 'a port', dport: 'a port', dev: 'an interface name or index', fwmark: 'a mark such as `0x10/0xff`', cgroup: 'a cgroup path' }[k.text] ?? 'a value';
    if (!v || v.kind !== 'word') return missing(what);
    this.pos++;
    const value: Token = { text: v.text, range: { start: v.start, end: v.end } };
    const range = { start: keyword.range.start, end: v.end };
    const onlyEqNe = (): boolean => {
      if (cmp === 'eq' || cmp === 'ne') return true;
      this.error(op ? op.range : keyword.range, `\`${k.text}\` takes only \`=\` or \`!=\`, not \`${op?.text}\``);
      return false;
    };
    switch (k.text) {
      case 'src':
      case 'dst': {
        let negated = false;
        if (cmp === 'ne' && op) {
          negated = true;
          const portable = `not ${k.text} ${v.text}`;
          this.diags.push({
            range: { start: keyword.range.start, end: op.range.end },
            severity: this.ext ? 'hint' : 'error',
            code: 'extension',
            message: this.ext ? `\`${k.text} ${op.text}\` is a Sockscope extension; ss writes \`not ${k.text} X\`` : `ss does not accept \`${k.text} ${op.text}\`; write \`${portable}\``,
            fixes: [{ title: `Write \`${portable}\``, edits: [{ range: { start: keyword.range.start, end: op.range.end }, newText: `not ${k.text}` }] }],
          });
        } else if (cmp !== 'eq') {
          this.error(op ? op.range : keyword.range, `\`${k.text}\` takes only \`=\` (or nothing), not \`${op?.text}\``);
        }
        const contiguous = v.end - v.start === v.text.length;
        const at = (i: number): number => (contiguous ? v.start + i : Math.min(v.start + i, v.end));
        const res = parseHost(v.text, at, v.end, this.preferred, this.ctx, after);
        // ss's parse_hostcond: a known family (prefix, or -4/-6/-x/-0/-f before) narrows the dump to it
        if (res.family) {
          this.preferred = res.family;
          this.hostFamily = res.family;
        }
        const node: Expr = { type: 'host', dir: k.text, keyword, op: negated ? null : op, host: res.host, range };
        return negated && op ? { type: 'not', operand: node, op, range } : node;
      }
      case 'sport':
      case 'dport': {
        // `[FAMILY:]:PORT` (ss(8)): a family prefix on a port chooses the family as on a host
        const prefix = /^(inet6?|unix|link|netlink|vsock):/.exec(v.text);
        if (prefix) this.preferred = PREFIX_FAMILY[prefix[1] as HostFamilyPrefix];
        const fam = this.preferred;
        if (fam) this.hostFamily = fam;
        if (fam && fam !== 'inet' && fam !== 'inet6' && (cmp === 'eq' || cmp === 'ne')) {
          // as in ss: after -x/-0/-f FAMILY a port word is that family's address (`-x sport = /tmp/*`)
          const contiguous = v.end - v.start === v.text.length;
          const at = (i: number): number => (contiguous ? v.start + i : Math.min(v.start + i, v.end));
          const res = parseHost(v.text, at, v.end, fam, this.ctx, after);
          this.diags.push({
            range: keyword.range, severity: 'info', code: 'unsupported',
            message: `with the ${fam} family selected, ss reads \`${k.text}\` as ${k.text === 'sport' ? 'src' : 'dst'} ${fam} address \`${v.text}\``,
          });
          const node: Expr = { type: 'host', dir: k.text === 'sport' ? 'src' : 'dst', keyword, op: cmp === 'eq' ? op : null, host: res.host, range };
          return cmp === 'ne' && op ? { type: 'not', operand: node, op, range } : node;
        }
        const skip = prefix ? prefix[0].length : 0;
        const port = parsePort(v.text.slice(skip), v.start + skip, v.end, this.ctx, after);
        return { type: 'port', dir: k.text, keyword, cmp, op, port, range };
      }
      case 'dev': {
        onlyEqNe();
        let ifindex: number | null = null;
        const r = this.ctx.resolver?.ifindex(v.text);
        if (r !== undefined) ifindex = r;
        else {
          const n = parseCInteger(v.text);
          if (n !== undefined && n <= 0xffffffff) ifindex = n;
          else if (this.ctx.resolver) this.error(value.range, `unknown interface \`${v.text}\``, 'unresolved');
          else if (!/^[^\s/]{1,15}$/.test(v.text)) this.error(value.range, `\`${v.text}\` is not an interface name or index`, 'bad-dev');
        }
        return { type: 'dev', keyword, negated: cmp === 'ne', op, value, ifindex, range };
      }
      case 'fwmark': {
        onlyEqNe();
        // sscanf("%i/%i"): each number may be followed by junk that ss ignores
        const m = /^([-+]?(?:0[xX][0-9a-fA-F]+|[0-9]+))(.*?)(?:\/([-+]?(?:0[xX][0-9a-fA-F]+|[0-9]+))(.*))?$/s.exec(v.text);
        const num = (t: string | undefined): number | undefined => {
          if (t === undefined) return undefined;
          const neg = t.startsWith('-');
          const n = parseCInteger(t.replace(/^[-+]/, ''));
          return n === undefined ? undefined : neg ? (0x100000000 - n) >>> 0 : n;
        };
        const hasSlash = v.text.includes('/');
        const mark = m ? num(m[1]) : undefined;
        const mask = m ? (hasSlash ? num(m[3]) : 0xffffffff) : undefined;
        if (m && mark !== undefined && mask !== undefined && ((m[2] && !(hasSlash && m[3] === undefined)) || m[4])) {
          this.diags.push({ range: value.range, severity: 'warning', code: 'bad-mark', message: `trailing characters in \`${v.text}\` are ignored (as ss does)` });
        }
        if (m && hasSlash && m[3] === undefined) {
          this.error(value.range, `expected a mask after \`/\` in \`${v.text}\``, 'bad-mark');
          return { type: 'fwmark', keyword, negated: cmp === 'ne', op, value, mark: 0, mask: 0xffffffff, range };
        }
        if (mark === undefined || mask === undefined || mark > 0xffffffff || mask > 0xffffffff) {
          this.error(value.range, `expected a mark such as \`0x10\` or \`0x10/0xff\` after \`${after}\`, found \`${v.text}\``, 'bad-mark');
          return { type: 'fwmark', keyword, negated: cmp === 'ne', op, value, mark: 0, mask: 0xffffffff, range };
        }
        if ((mark & ~mask) >>> 0 !== 0) {
          this.diags.push({ range: value.range, severity: 'warning', code: 'bad-mark', message: `mark 0x${mark.toString(16)} has bits outside mask 0x${mask.toString(16)}: it can never match` });
        }
        return { type: 'fwmark', keyword, negated: cmp === 'ne', op, value, mark, mask, range };
      }
      case 'cgroup': {
        onlyEqNe();
        let id: bigint | null = null;
        const r = this.ctx.resolver?.cgroupId(v.text);
        if (r !== undefined) id = r;
        else if (this.ctx.resolver) this.error(value.range, `unknown cgroup \`${v.text}\``, 'unresolved');
        return { type: 'cgroup', keyword, negated: cmp === 'ne', op, value, id, range };
      }
    }
    return { type: 'error', range };
  }

  /** The tokens within a range, space-separated and shortened for a message. */
  private sourceText(range: Range): string {
    // bounded work per call (binary search, stop at 40 characters): long mixed chains warn at every
    // switch, and a whole-list scan each time ran the fuzz test out of memory
    let lo = 0;
    let hi = this.toks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.toks[mid].start < range.start) lo = mid + 1;
      else hi = mid;
    }
    let words = '';
    for (let i = lo; i < this.toks.length && this.toks[i].end <= range.end; i++) {
      words += (words ? ' ' : '') + this.toks[i].text;
      if (words.length > 40) return `${words.slice(0, 39)}…`;
    }
    return words;
  }

  /** Warns where AND and OR mix without parentheses (ss groups them left to right). */
  private checkMixed(e: Expr): Expr {
    forEachNode(e, (n) => {
      if (n.type !== 'and' && n.type !== 'or') return;
      const l = n.left;
      if ((l.type === 'and' || l.type === 'or') && l.type !== n.type && !this.grouped.has(l)) {
        const grouping = `( ${this.sourceText(l.range)} ) ${n.op ? `${n.op.text} ` : ''}${this.sourceText(n.right.range)}`;
        this.diags.push({
          range: n.op ? n.op.range : { start: l.range.end, end: n.right.range.start },
          severity: 'warning',
          code: 'mixed-and-or',
          message: `ss evaluates this left to right as \`${grouping}\`: \`and\` and \`or\` have the same precedence`,
          fixes: [{ title: 'Add the parentheses ss implies', edits: [{ range: { start: l.range.start, end: l.range.start }, newText: '( ' }, { range: { start: l.range.end, end: l.range.end }, newText: ' )' }] }],
        });
        this.grouped.add(l);
      }
    });
    return e;
  }
}
