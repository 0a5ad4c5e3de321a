// Expression tokens. ss splits each argv word on blanks (a backslash escapes the next character)
// and classifies whole tokens; Sockscope additionally splits glued operators and parentheses
// (`dport>=443`, `(sport`) as an extension, reporting each with a hint and a fix.
import type { Diagnostic } from './diagnostics';
import { offsetIn, type Word } from './shell';

export type TokKind = 'lparen' | 'rparen' | 'not' | 'and' | 'or' | 'keyword' | 'cmp' | 'word';
export type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export interface Tok {
  kind: TokKind;
  text: string;
  start: number;
  end: number;
  /** For kind 'cmp'. */
  cmp?: CmpOp;
}

export const KEYWORDS: ReadonlySet<string> = new Set(['src', 'dst', 'sport', 'dport', 'dev', 'fwmark', 'cgroup', 'autobound']);

const CMP: Readonly<Record<string, CmpOp>> = {
  '=': 'eq', '==': 'eq', eq: 'eq',
  '!=': 'ne', ne: 'ne', neq: 'ne',
  '>': 'gt', gt: 'gt',
  '<': 'lt', lt: 'lt',
  '>=': 'ge', ge: 'ge', geq: 'ge',
  '<=': 'le', le: 'le', leq: 'le',
};

export function classify(text: string): { kind: TokKind; cmp?: CmpOp } {
  switch (text) {
    case '(': return { kind: 'lparen' };
    case ')': return { kind: 'rparen' };
    case '!': case 'not': return { kind: 'not' };
    case '&': case '&&': case 'and': return { kind: 'and' };
    case '|': case '||': case 'or': return { kind: 'or' };
  }
  if (KEYWORDS.has(text)) return { kind: 'keyword' };
  const c = Object.prototype.hasOwnProperty.call(CMP, text) ? CMP[text] : undefined;
  if (c) return { kind: 'cmp', cmp: c };
  return { kind: 'word' };
}

interface Piece {
  text: string;
  start: number;
  end: number;
}

/** Splits argv words into ss tokens (blank-separated pieces). */
export function rawTokens(words: readonly Word[]): Piece[] {
  const out: Piece[] = [];
  for (const w of words) {
    const t = w.text;
    if (!/[\s\\]/.test(t)) {
      if (t.length) out.push({ text: t, start: w.start, end: offsetIn(w, t.length - 1) + 1 });
      continue;
    }
    let s = '';
    let st = -1;
    let last = -1;
    for (let i = 0; i < t.length; i++) {
      const c = t[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        if (st >= 0) out.push({ text: s, start: st, end: last + 1 });
        s = '';
        st = -1;
        continue;
      }
      const i0 = i;
      let ch = c;
      if (c === '\\' && i + 1 < t.length) {
        i++;
        ch = t[i];
      }
      if (st < 0) st = offsetIn(w, i0);
      s += ch;
      last = offsetIn(w, i);
    }
    if (st >= 0) out.push({ text: s, start: st, end: last + 1 });
  }
  return out;
}

const GLUED_KW = /^(sport|dport|src|dst|dev|fwmark|cgroup)(>=|<=|!=|==|=|>|<)(.*)$/s;
const GLUED_OP = /^(>=|<=|!=|==|=|>|<)(.+)$/s;
const CLOSE_LOGIC_OPEN = /\)(and|or|&&|\|\||&|\|)(?=[(!])/;
const GLUED_LOGIC = /^(and|or|not|&&|\|\||&|\|)(?=[()!])/;

/**
 * Tokens of the expression. Pieces that ss would take whole but that are really several glued
 * tokens are split; each split piece gets one 'extension' diagnostic (a hint, or an error when
 * extensions are off) with a fix that inserts the spaces.
 */
export function tokenize(words: readonly Word[], extensions: boolean, diags: Diagnostic[]): Tok[] {
  const toks: Tok[] = [];
  for (const p of rawTokens(words)) {
    const whole = classify(p.text);
    if (whole.kind !== 'word' || p.text === '') {
      toks.push({ kind: whole.kind, cmp: whole.cmp, text: p.text, start: p.start, end: p.end });
      continue;
    }
    const prev = toks.length ? toks[toks.length - 1] : undefined;
    const parts = splitGlued(p, prev?.kind === 'keyword');
    if (parts.length === 1) {
      toks.push({ kind: 'word', text: p.text, start: p.start, end: p.end });
      continue;
    }
    for (const q of parts) {
      const k = classify(q.text);
      toks.push({ kind: k.kind, cmp: k.cmp, text: q.text, start: q.start, end: q.end });
    }
    const portable = parts.map((q) => q.text).join(' ');
    const contiguous = p.end - p.start === p.text.length;
    diags.push({
      range: { start: p.start, end: p.end },
      severity: extensions ? 'hint' : 'error',
      code: 'extension',
      message: extensions
        ? `\`${p.text}\` needs spaces for ss: write \`${portable}\``
        : `ss needs spaces between tokens: write \`${portable}\``,
      fixes: contiguous ? [{ title: `Insert spaces: \`${portable}\``, edits: [{ range: { start: p.start, end: p.end }, newText: portable }] }] : [],
    });
  }
  return toks;
}

/** Splits one blank-free piece into tokens; returns [p] when it is one token. Offsets assume the piece is contiguous in the source. */
function splitGlued(p: Piece, afterKeyword: boolean): Piece[] {
  const contiguous = p.end - p.start === p.text.length;
  // `:22)and(dport`: a value, `)`, an operator and `(` in one piece: split before the `)` and go on with both halves.
  const mid = contiguous ? CLOSE_LOGIC_OPEN.exec(p.text) : null;
  if (mid && mid.index > 0) {
    const cut = mid.index;
    const left = { text: p.text.slice(0, cut), start: p.start, end: p.start + cut };
    const right = { text: p.text.slice(cut), start: p.start + cut, end: p.end };
    return [...splitGlued(left, afterKeyword), ...splitGlued(right, false)];
  }
  const out: Piece[] = [];
  let text = p.text;
  let base = p.start;
  const push = (len: number): void => {
    out.push({ text: text.slice(0, len), start: base, end: contiguous ? base + len : p.end });
    text = text.slice(len);
    if (contiguous) base += len;
  };
  // leading "(", ")" and "!" (not "!="), and an operator word glued to a parenthesis or "!"
  // (`and(dport`, `)or(`, `not(`): parentheses need no spaces (spec section 3)
  for (;;) {
    const op = GLUED_LOGIC.exec(text);
    if (text.length > 1 && (text[0] === '(' || text[0] === ')')) push(1);
    else if (text.length > 1 && text[0] === '!' && text[1] !== '=') push(1);
    else if (op) push(op[1].length);
    else break;
  }
  // trailing ")" unless the value holds a "(" of its own (a glob like a(1))
  let trailing = 0;
  while (trailing < text.length - 1 && text[text.length - 1 - trailing] === ')') trailing++;
  if (trailing > 0 && text.slice(0, text.length - trailing).includes('(')) trailing = 0;
  if (trailing === text.length) trailing = 0;
  const tail = text.slice(text.length - trailing);
  text = text.slice(0, text.length - trailing);
  const core = text;
  const m = GLUED_KW.exec(core);
  const mo = afterKeyword && !m ? GLUED_OP.exec(core) : null;
  if (m) {
    push(m[1].length);
    push(m[2].length);
    if (m[3].length) push(m[3].length);
  } else if (mo) {
    push(mo[1].length);
    push(mo[2].length);
  } else if (text.length) {
    push(text.length);
  }
  for (let k = 0; k < tail.length; k++) {
    out.push({ text: ')', start: contiguous ? base : p.end, end: contiguous ? base + 1 : p.end });
    if (contiguous) base += 1;
  }
  return out;
}
