// Source ranges (UTF-16 offsets into the parsed text) and offset -> line/column conversion.

/** Half-open range [start, end) of UTF-16 offsets into the text that was parsed. */
export interface Range {
  start: number;
  end: number;
}

/** Zero-based line and zero-based UTF-16 column (the LSP convention). */
export interface LineCol {
  line: number;
  column: number;
}

export function range(start: number, end: number): Range {
  return { start, end };
}

/** Maps offsets to line/column for one text; build once, query many times. */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  get lineCount(): number {
    return this.starts.length;
  }
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }
  at(offset: number): LineCol {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: o - this.starts[lo] };
  }
  offsetAt(pos: LineCol): number {
    return Math.min(this.lineStart(pos.line) + pos.column, this.text.length);
  }
}

/** Line/column of an offset without building a map (fine for one-off messages). */
export function lineColAt(text: string, offset: number): LineCol {
  return new LineMap(text).at(offset);
}
