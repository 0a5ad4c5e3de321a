// The end of a helper recording test: stop the recording, open the file through the helper, read it.
import type { HelperClient } from '../../../src/client/connection/helper-client';
import { HistoryClient, type OpenRecording } from '../../../src/client/history/history-client';
import { HISTORY_REQUESTS, type LogRow } from '../../../src/protocol/history-requests';

/** Stops the helper's recording, opens `db` and gives it to `read` (closed after). */
export async function afterRecording<T>(client: HelperClient, db: string, read: (rec: OpenRecording) => Promise<T>): Promise<T> {
  await client.request(HISTORY_REQUESTS['history/stopRecording'], undefined);
  const rec = await new HistoryClient(client).open(db);
  try {
    return await read(rec);
  } finally {
    await rec.close();
  }
}

/** The logged closes matching `filter`, the first closed first (at most 100). */
export async function closesOf(rec: OpenRecording, filter: string): Promise<{ total: number; rows: LogRow[] }> {
  return rec.log({ filter, sort: { column: 'closedAt', descending: false }, offset: 0, limit: 100 });
}
