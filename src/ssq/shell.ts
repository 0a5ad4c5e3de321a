// Splits a command line into argv words the way a POSIX shell would (quotes, backslashes, `#`
// comments), remembering where each character of each word came from.
import type { Diagnostic } from './diagnostics';

/** An argv word. `at[i]` is the source offset of text[i]; null when the word is a plain slice (offset start + i). */
export interface Word {
  text: string;
  at: number[] | null;
  start: number;
  end: number;
}

/** Source offset of character i of a word (i may be text.length: the end). */
export function offsetIn(w: Word, i: number): number {
  if (!w.at) return Math.min(w.start + i, w.end);
  if (i < w.at.length) return w.at[i];
  return w.end;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

export function shellSplit(text: string, diagnostics: Diagnostic[]): Word[] {
  const words: Word[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    if (text[i] === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (isSpace(c) || c === 39 || c === 34 || c === 92) break;
      j++;
    }
    if (j >= n || isSpace(text.charCodeAt(j))) {
      words.push({ text: text.slice(start, j), at: null, start, end: j });
      i = j;
      continue;
    }
    let s = '';
    const at: number[] = [];
    while (i < n && !isSpace(text.charCodeAt(i))) {
      const c = text[i];
      if (c === "'") {
        const q = i++;
        while (i < n && text[i] !== "'") {
          s += text[i];
          at.push(i);
          i++;
        }
        if (i >= n) unterminated(text, q, "'", diagnostics);
        else i++;
      } else if (c === '"') {
        const q = i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < n && '"\\$`'.includes(text[i + 1])) i++;
          s += text[i];
          at.push(i);
          i++;
        }
        if (i >= n) unterminated(text, q, '"', diagnostics);
        else i++;
      } else if (c === '\\') {
        if (i + 1 < n && text[i + 1] === '\n') {
          i += 2;
          continue;
        }
        if (i + 1 < n) i++;
        s += text[i];
        at.push(i);
        i++;
      } else {
        s += c;
        at.push(i);
        i++;
      }
    }
    words.push({ text: s, at, start, end: i });
  }
  return words;
}

function unterminated(text: string, q: number, quote: string, diagnostics: Diagnostic[]): void {
  diagnostics.push({
    range: { start: q, end: text.length },
    severity: 'error',
    code: 'syntax',
    message: `unterminated ${quote === "'" ? 'single' : 'double'} quote`,
    fixes: [{ title: `Close the quote`, edits: [{ range: { start: text.length, end: text.length }, newText: quote }] }],
  });
}

/** Words for argv as a shell already split it; their offsets are in `argv.join(' ')`. */
export function argvWords(argv: readonly string[]): Word[] {
  const words: Word[] = [];
  let off = 0;
  for (const w of argv) {
    words.push({ text: w, at: null, start: off, end: off + w.length });
    off += w.length + 1;
  }
  return words;
}
