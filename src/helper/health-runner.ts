// The `health` request: the thresholds of `.ssq` files' named queries (spec section 5) over one
// dump of the namespace. The files' texts come with the request: the helper opens no file. Names
// in the queries are resolved as the Sockets view's filters are (filter-resolver.ts), and a query
// that names its own namespace (-N) or a filter file (-F) is an error, as in `sockscope check`.
import { ResponseError } from 'vscode-jsonrpc/node';
import { SockDiag } from '../netlink/index';
import { LineMap, measureKey, parseDocument, reportQuery } from '../ssq/index';
import { healthQueriesOf } from '../host/health-file';
import { evaluateQuerySet, type HealthQuery } from '../host/query-set';
import type { HealthParams, HealthQueryResult, HealthResult } from '../protocol/helper-protocol';
import { ErrorCodes } from '../protocol/helper-protocol';
import { filterResolver } from './filter-resolver';
import { netnsPath } from './netns';

interface Located { q: HealthQuery; uri: string; line: number; text: string }

export async function runHealth(p: HealthParams): Promise<HealthResult> {
  const path = netnsPath(p.netns);
  const errors: string[] = [];
  const located: Located[] = [];
  for (const f of p.files) {
    const doc = parseDocument(f.text, { resolver: filterResolver(p.netns === undefined) });
    const hf = healthQueriesOf(doc, f.uri);
    // Queries without thresholds are not health checks; errors elsewhere in the file still count.
    if (hf.errors.length) { errors.push(...hf.errors); continue; }
    const lines = new LineMap(f.text);
    for (const q of hf.queries) {
      if (!q.thresholds.length) continue;
      const dq = doc.queries.find((d) => d.name === q.name)!;
      located.push({ q, uri: f.uri, line: lines.at(dq.headerRange?.start ?? 0).line, text: dq.joinedText });
    }
  }
  if (!located.length) return { queries: [], errors };
  let diag: SockDiag;
  try {
    diag = SockDiag.open(path ? { netnsPath: path } : {});
  } catch (e) {
    throw new ResponseError(ErrorCodes.NamespaceNotFound, `cannot open the namespace: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const snap = await evaluateQuerySet(diag, located.map((l) => l.q));
    const queries = snap.queries.map((r, i): HealthQueryResult => {
      const l = located[i];
      const h = r.health;
      const fmt = (t: { level: string; measure: Parameters<typeof measureKey>[0]; cmp: string; valueText: string }): string => `${t.level} ${measureKey(t.measure)} ${t.cmp} ${t.valueText}`;
      return {
        uri: l.uri, name: r.name, line: l.line, text: l.text, state: h.state, count: h.count,
        measures: h.measures.map((m) => ({ key: m.key, value: m.value, text: m.text })),
        holding: h.holding.map(fmt), thresholds: l.q.thresholds.map(fmt),
        summary: reportQuery(r.name, l.q.thresholds, h).summary,
        ...(h.note ? { note: h.note } : {}),
      };
    });
    return { queries, errors };
  } finally {
    diag.close();
  }
}
