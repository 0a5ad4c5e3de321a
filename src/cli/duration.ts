// Durations and times on the command line: `500ms`, `30s`, `5m`, `1h`, `2d` (a bare number is
// seconds), and for times an ISO 8601 date (`2026-12-01T22:00:00Z`) or a duration meaning that long ago.
import { CliError } from './errors';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds; throws a CliError naming the option. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new CliError(`${option}: expected a duration such as 500ms, 30s, 5m, 1h or 2d, not "${text}"`);
  const ms = Number(m[1]) * UNIT_MS[m[2] ?? 's'];
  if (!Number.isFinite(ms)) throw new CliError(`${option}: duration "${text}" is too large`);
  return ms;
}

/** An absolute time in ms: an ISO 8601 date, or a duration ago from `now`. */
export function parseTime(text: string, option: string, now = Date.now()): number {
  if (/^\d+(?:\.\d+)?(ms|s|m|h|d)?$/.test(text.trim())) return now - parseDuration(text, option);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new CliError(`${option}: expected an ISO 8601 time (2026-12-01T22:00:00Z) or a duration ago (10m), not "${text}"`);
  return t;
}

/** Bytes: `256MB`, `1GB`, `500k`, or a plain number. */
export function parseSize(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(text.trim());
  if (!m) throw new CliError(`${option}: expected a size such as 256MB or 1GB, not "${text}"`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * mult);
}

/** Splits `--name VALUE` / `--name=VALUE` options (of `names`) from the other words. */
export function takeOptions(argv: readonly string[], names: readonly string[], flags: readonly string[] = []): { values: Map<string, string>; flags: Set<string>; rest: string[] } {
  const values = new Map<string, string>();
  const seen = new Set<string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i];
    const eq = w.indexOf('=');
    const name = w.startsWith('--') ? (eq > 0 ? w.slice(0, eq) : w) : '';
    if (name && names.includes(name)) {
      if (eq > 0) values.set(name, w.slice(eq + 1));
      else if (i + 1 < argv.length) values.set(name, argv[++i]);
      else throw new CliError(`${name} needs a value`);
      continue;
    }
    if (flags.includes(w)) { seen.add(w); continue; }
    rest.push(w);
  }
  return { values, flags: seen, rest };
}
