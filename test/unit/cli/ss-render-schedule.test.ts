// SsRenderSchedule against a token-by-token replay of ss's buffer (misc/ss.c: out(), buf_update(),
// field_flush(), field_next()), over random rows: the same rows trigger a render.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SsRenderSchedule } from '../../../src/cli/ss-render-schedule';
import { prng } from '../../lib/prng';

/** ss's buffer, token by token. */
class SsBuffer {
  chunks = 0;
  private end = 0; // bytes used in the current chunk's data area, including the current token's length field
  private tokenStart = 0; // offset of the current token (its length field) in the chunk
  private tokenLen = 0;
  private static readonly ROOM = 1024 * 1024 - 16;

  private newChunk(): void {
    this.chunks++;
    this.tokenStart = 0;
    this.tokenLen = 0;
    this.end = 2;
  }

  private avail(): number { return SsBuffer.ROOM - this.end; }

  out(len: number): void {
    if (this.chunks === 0) this.newChunk();
    if (len < this.avail() || this.tokenStart === 0) {
      const n = Math.min(len, this.avail());
      this.end += n;
      this.tokenLen += n;
      return;
    }
    const moved = this.tokenLen;
    this.newChunk();
    this.end += moved;
    this.tokenLen = moved;
    this.out(len);
  }

  flush(): void {
    const pad = this.tokenLen % 2;
    if (this.avail() - pad < 2) {
      this.end += pad;
      this.newChunk();
      return;
    }
    this.tokenStart = this.end + pad;
    this.end = this.tokenStart + 2;
    this.tokenLen = 0;
  }

  /** One row: each cell in several out() calls, as ss prints a field in parts. Returns true on render. */
  row(cells: number[], rnd: () => number): boolean {
    for (const len of cells) {
      let left = len;
      while (left > 0) {
        const part = Math.max(1, Math.min(left, Math.floor(rnd() * 40)));
        this.out(part);
        left -= part;
      }
      this.flush();
    }
    if (this.chunks === 0) this.newChunk();
    if (this.chunks >= 5) {
      this.chunks = 0;
      return true;
    }
    this.flush();
    return false;
  }
}

test('renders at the same rows as a token-by-token replay of ss, for random cell lengths', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const rnd = prng(seed);
    const schedule = new SsRenderSchedule();
    const ss = new SsBuffer();
    const n = 7 + (seed % 3);
    const lens = new Int32Array(n);
    let renders = 0;
    for (let r = 0; r < 150_000; r++) {
      const cells: number[] = [];
      for (let i = 0; i < n; i++) {
        // Mostly short cells, now and then a long one (a tcp_info line, a users list).
        const len = rnd() < 0.02 ? Math.floor(rnd() * 3000) : Math.floor(rnd() * 24);
        cells.push(len);
        lens[i] = len;
      }
      const want = ss.row(cells, rnd);
      assert.equal(schedule.row(lens, 0, n), want, `seed ${seed}, row ${r}`);
      if (want) renders++;
    }
    assert.ok(renders >= 2, `seed ${seed}: only ${renders} renders`);
  }
});
