// The log's answers to its page: a refused filter never reaches the helper, pages only for the current
// query, a late answer of an older query dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogResponder } from '../../../../src/client/history/log-responder';
import type { LogPageQuery } from '../../../../src/client/history/history-source';
import type { LogHostToWebview, LogQuery } from '../../../../src/protocol/history-webview';

const q = (queryId: number, filter = ''): LogQuery => ({ queryId, filter, range: { from: null, to: null }, sort: { column: 'closed', descending: false } });

test('refused filters, current pages, late answers', async () => {
  const asked: LogPageQuery[] = [];
  let release: (() => void) | undefined;
  const source = {
    log: async (p: LogPageQuery) => {
      asked.push(p);
      if (p.filter === 'sport = :1') await new Promise<void>((r) => { release = r; });
      return { total: 42, rows: [] };
    },
  };
  const posted: LogHostToWebview[] = [];
  const r = new LogResponder(source, (m) => posted.push(m));
  await r.runQuery(q(1, 'dport = '));
  assert.equal(posted[0].type, 'queryError');
  assert.equal(asked.length, 0, 'the helper never sees a refused filter');
  await r.fetchPage(1, 0, 100);
  assert.equal(asked.length, 0, 'nor a page of it');
  await r.runQuery(q(2, ' dport = :443 '));
  assert.deepEqual(posted[1], { type: 'queryResult', queryId: 2, total: 42 });
  assert.equal(asked[0].filter, 'dport = :443');
  await r.fetchPage(2, 200, 100);
  assert.deepEqual(posted[2], { type: 'page', queryId: 2, offset: 200, rows: [] });
  await r.fetchPage(1, 0, 100);
  assert.equal(posted.length, 3, 'no page of an old query');
  const slow = r.runQuery(q(3, 'sport = :1'));
  await new Promise((res) => setImmediate(res));
  await r.runQuery(q(4));
  release?.();
  await slow;
  assert.deepEqual(posted.slice(3).map((m) => m.type === 'queryResult' && m.queryId), [4], 'the slow answer of query 3 is dropped');
});
