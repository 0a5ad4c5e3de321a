// Pages of rows held by the table: a bounded LRU (a Map keeps insertion order; a read moves the page to
// the end), so scrolling through a million rows keeps at most `maxPages` pages in memory. Pure.
export class PageCache<T> {
  private readonly pages = new Map<number, T[]>();

  constructor(readonly maxPages: number) {
    if (!(maxPages >= 1)) throw new RangeError('PageCache needs room for at least one page');
  }

  get size(): number { return this.pages.size; }

  has(page: number): boolean { return this.pages.has(page); }

  /** The page, marked as most recently used; undefined when not held. */
  get(page: number): T[] | undefined {
    const rows = this.pages.get(page);
    if (rows) { this.pages.delete(page); this.pages.set(page, rows); }
    return rows;
  }

  /** Stores a page; the least recently used ones go beyond the bound (never `keep`, the pages on screen). */
  set(page: number, rows: T[], keep: ReadonlySet<number> = new Set()): void {
    this.pages.delete(page);
    this.pages.set(page, rows);
    for (const key of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (key !== page && !keep.has(key)) this.pages.delete(key);
    }
  }

  clear(): void { this.pages.clear(); }
}
