// When ss renders its buffered rows (misc/ss.c, iproute2 6.x). ss sizes each column to its longest
// cell among the rows buffered since the last render, so matching its output byte for byte means
// rendering at the same rows it does.
//
// ss keeps every cell as a token (a 16-bit length, then the bytes, padded to an even length) in
// chunks of 1 MiB (a 16-byte header, then tokens; a token that does not fit moves whole to a new
// chunk). Each row holds a token per enabled column plus one for the always-empty column after
// "Process". At the end of a row, once 5 chunks exist, it renders and frees them.

const CHUNK_ROOM = 1024 * 1024 - 16;
const LEN_SIZE = 2;
const CHUNKS_MAX = 5;

export class SsRenderSchedule {
  private chunks = 0;
  /** Free bytes after the current token's end in the current chunk. */
  private avail = 0;
  /** The current token is the first of its chunk (ss keeps it there even when it does not fit). */
  private first = true;

  /**
   * Accounts one row of cells (lens[from .. from + n)); returns true when ss would render now,
   * with this row included (the schedule then starts over, as ss frees its chunks).
   */
  row(lens: Int32Array, from: number, n: number): boolean {
    // Far from the chunk's end (the usual case) every token fits and nothing but room changes.
    let bytes = LEN_SIZE;
    for (let i = 0; i < n; i++) {
      const len = lens[from + i];
      bytes += len + (len & 1) + LEN_SIZE;
    }
    if (this.chunks > 0 && bytes < this.avail) {
      if (this.chunks >= CHUNKS_MAX) {
        this.chunks = 0;
        return true;
      }
      this.avail -= bytes;
      this.first = false;
      return false;
    }
    for (let i = 0; i < n; i++) {
      this.write(lens[from + i]);
      this.flush(lens[from + i]);
    }
    // The empty last column: nothing written; ss checks before flushing it.
    if (this.chunks === 0) this.newChunk();
    if (this.chunks >= CHUNKS_MAX) {
      this.chunks = 0;
      return true;
    }
    this.flush(0);
    return false;
  }

  /**
   * The room row()'s fast path has left (a row whose tokens take fewer bytes is accounted by
   * tookFast instead), or 0 when the next row needs row() itself.
   */
  fastRoom(): number {
    return this.chunks > 0 && this.chunks < CHUNKS_MAX ? this.avail : 0;
  }

  /** Rows were accounted as row()'s fast path does, leaving `avail` bytes of room. */
  tookFast(avail: number): void {
    this.avail = avail;
    this.first = false;
  }

  /** Starts over (after a render the caller asked for, such as at the end). */
  reset(): void {
    this.chunks = 0;
  }

  private newChunk(): void {
    this.chunks++;
    this.avail = CHUNK_ROOM - LEN_SIZE;
    this.first = true;
  }

  /** ss's out(): the cell's bytes, moved with their token to a new chunk when they do not fit. */
  private write(len: number): void {
    if (this.chunks === 0) this.newChunk();
    if (len === 0) return;
    if (len >= this.avail && !this.first) this.newChunk();
    this.avail -= Math.min(len, this.avail);
  }

  /** ss's field_flush(): room for the next token's length, at an even offset. */
  private flush(len: number): void {
    const pad = len & 1;
    if (this.avail - pad < LEN_SIZE) {
      this.newChunk();
      return;
    }
    this.avail -= pad + LEN_SIZE;
    this.first = false;
  }
}
