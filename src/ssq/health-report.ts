// A query's health as the monitoring plugin conventions (Nagios, Icinga, Sensu) print it, spec
// section 5: `NAME STATE: VALUE (warn > 800, error > 1000) | NAME=VALUE;800;1000`.
import type { HealthState, QueryHealth } from './health';
import type { HealthUnit } from './health-fields';
import { measureKey, type Threshold } from './thresholds';

/** The plugin status words and exit codes. */
export const CHECK_STATUS = { ok: 'OK', warn: 'WARNING', error: 'CRITICAL' } as const satisfies Record<HealthState, string>;
export const CHECK_EXIT = { ok: 0, warn: 1, error: 2, unknown: 3 } as const;

/** Perfdata units of measurement for a field unit (plugin guidelines: s/ms/us, B, none for counts). */
const UOM: Record<HealthUnit, string> = { us: 'us', ms: 'ms', bytes: 'B', 'bytes/s': '', count: '' };

function perfLabel(label: string): string {
  return /^[A-Za-z0-9_.:()-]+$/.test(label) ? label : `'${label.replace(/'/g, "''")}'`;
}

/** A plugin range for a limit: `X` alerts above X, `X:` alerts below X. */
function perfRange(t: Threshold | undefined): string {
  if (!t) return '';
  return t.cmp === '<' || t.cmp === '<=' ? `${t.value}:` : String(t.value);
}

export interface QueryReport {
  /** `https-peers WARNING: 850 (warn > 800, error > 1000)`. */
  summary: string;
  /** `https-peers=850;800;1000`. */
  perfdata: string;
}

/** The check line of one query, split at the `|`. */
export function reportQuery(name: string, thresholds: readonly Threshold[], health: QueryHealth): QueryReport {
  const parts: string[] = [];
  const perf: string[] = [];
  for (const m of health.measures) {
    const own = thresholds.filter((t) => measureKey(t.measure) === m.key);
    const limits = own.map((t) => `${t.level} ${t.cmp} ${t.valueText}`);
    const value = m.key === 'count' ? m.text : `${m.key} ${m.text}`;
    const empty = m.value === null ? ', counted as ok' : '';
    parts.push(limits.length || empty ? `${value} (${[...limits].join(', ')}${limits.length ? empty : empty.slice(2)})` : value);
    const label = m.key === 'count' ? name : `${name} ${m.key}`;
    const v = m.value === null ? 'U' : `${Math.round(m.value * 1000) / 1000}${UOM[m.unit]}`;
    perf.push(`${perfLabel(label)}=${v};${perfRange(own.find((t) => t.level === 'warn'))};${perfRange(own.find((t) => t.level === 'error'))}`);
  }
  return { summary: `${name} ${CHECK_STATUS[health.state]}: ${parts.join(', ')}`, perfdata: perf.join(' ') };
}

/** `summary | perfdata`. */
export function checkLine(name: string, thresholds: readonly Threshold[], health: QueryHealth): string {
  const r = reportQuery(name, thresholds, health);
  return `${r.summary} | ${r.perfdata}`;
}
