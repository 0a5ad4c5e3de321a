// Reading `.ssq` files as health checks (spec section 5): every named query with its thresholds,
// or the errors that keep the file from being evaluated, each as `FILE:LINE:COLUMN: message`.
import { readFileSync } from 'node:fs';
import { LineMap, parseDocument, type SsqDocument } from '../ssq/index';
import { ssqResolverOf, type NameResolver } from './name-resolver';
import type { HealthQuery } from './query-set';

export interface HealthFile {
  path: string;
  queries: HealthQuery[];
  /** Why the file cannot be evaluated; empty when it can. */
  errors: string[];
}

/** The named queries of a parsed document; errors name the file, line and column. */
export function healthQueriesOf(doc: SsqDocument, path: string): HealthFile {
  const lines = new LineMap(doc.text);
  const where = (offset: number): string => {
    const at = lines.at(offset);
    return `${path}:${at.line + 1}:${at.column + 1}`;
  };
  const errors = doc.diagnostics.filter((d) => d.severity === 'error').map((d) => `${where(d.range.start)}: ${d.message}`);
  const queries: HealthQuery[] = [];
  for (const q of doc.queries) {
    if (q.name === null) continue;
    const o = q.parsed.options;
    // The namespace and the filter's source are the caller's to choose, once for every query.
    if (o.netns !== null) errors.push(`${where(q.bodyRange.start)}: query \`${q.name}\` names a namespace (-N): give it to the command instead`);
    if (o.filterFile !== null) errors.push(`${where(q.bodyRange.start)}: query \`${q.name}\` reads a filter file (-F), which a health check cannot`);
    queries.push({ name: q.name, parsed: q.parsed, thresholds: q.thresholds });
  }
  if (!queries.length && !errors.length) errors.push(`${path}: no named queries (a health check needs \`[name]\` sections)`);
  return { path, queries, errors };
}

/** Reads and parses a `.ssq` file with names resolved in the namespace `names` serves. */
export function loadHealthFile(path: string, names: NameResolver): HealthFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { path, queries: [], errors: [`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`] };
  }
  return healthQueriesOf(parseDocument(text, { resolver: ssqResolverOf(names) }), path);
}
