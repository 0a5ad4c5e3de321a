// The connection log's answers to its page, without vscode (the panel and the benchmark use it): a
// query is checked with the shared parser (a refused filter says where and why, and no page of it is
// asked of the helper), then counted; pages are read for the current query only, and an answer that
// arrives after the page moved on to another query is dropped.
import type { LogHostToWebview, LogQuery } from '../../protocol/history-webview';
import type { HistorySource } from './history-source';
import { filterError } from './log-queries';

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class LogResponder {
  private query: LogQuery | undefined;
  /** What the last query's answer said (end-to-end tests read it). */
  lastAnswer: { total: number } | { error: string } | undefined;

  constructor(
    private readonly source: Pick<HistorySource, 'log'>,
    private readonly post: (m: LogHostToWebview) => void,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** The page's current query, if the language accepted its filter. */
  get current(): LogQuery | undefined { return this.query; }

  async runQuery(q: LogQuery): Promise<void> {
    const error = filterError(q.filter);
    if (error) {
      this.query = undefined;
      this.lastAnswer = { error: error.message };
      this.post({ type: 'queryError', queryId: q.queryId, error, message: `filter error at column ${error.column}: ${error.message}` });
      return;
    }
    this.query = q;
    try {
      const { total } = await this.source.log({ filter: q.filter.trim(), range: q.range, sort: q.sort, offset: 0, limit: 1 });
      if (this.query !== q) return;
      this.lastAnswer = { total };
      this.post({ type: 'queryResult', queryId: q.queryId, total });
    } catch (e) {
      if (this.query !== q) return;
      this.lastAnswer = { error: errorText(e) };
      this.post({ type: 'queryError', queryId: q.queryId, error: null, message: errorText(e) });
    }
  }

  async fetchPage(queryId: number, offset: number, limit: number): Promise<void> {
    const q = this.query;
    if (!q || q.queryId !== queryId) return;
    try {
      const page = await this.source.log({ filter: q.filter.trim(), range: q.range, sort: q.sort, offset, limit });
      if (this.query === q) this.post({ type: 'page', queryId, offset, rows: page.rows });
    } catch (e) {
      this.warn(`connection log: page at ${offset}: ${errorText(e)}`);
      if (this.query === q) this.post({ type: 'status', message: `could not read rows: ${errorText(e)}`, error: true });
    }
  }
}
