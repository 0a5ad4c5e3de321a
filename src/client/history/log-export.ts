// Export CSV: pages streamed from the helper into a file, one page in memory at a time, with the
// stream's backpressure respected. Pure of vscode (the panel picks the file and shows progress).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { HistorySource, LogPageQuery } from './history-source';
import { csvHeader, csvLines } from './log-csv';

export const EXPORT_PAGE_ROWS = 1000;

/** Writes every row of the query to `path`; returns the number of rows. `cancelled()` stops between pages. */
export async function exportLogCsv(
  source: Pick<HistorySource, 'log'>, query: Omit<LogPageQuery, 'offset' | 'limit'>, path: string,
  progress?: (done: number, total: number) => void, cancelled?: () => boolean,
): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8', mode: 0o600 });
  let error: Error | undefined;
  const failed = new Promise<never>((_, reject) => out.once('error', (e) => { error = e; reject(e); }));
  failed.catch(() => undefined);
  const write = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  let done = 0;
  try {
    await write(csvHeader());
    for (;;) {
      if (cancelled?.()) break;
      const page = await source.log({ ...query, offset: done, limit: EXPORT_PAGE_ROWS });
      if (page.rows.length) await write(csvLines(page.rows));
      done += page.rows.length;
      progress?.(done, page.total);
      if (page.rows.length < EXPORT_PAGE_ROWS || done >= page.total) break;
    }
  } finally {
    out.end();
    await Promise.race([once(out, 'finish'), failed]).catch(() => undefined);
  }
  if (error) throw error;
  return done;
}
