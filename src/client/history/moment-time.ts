// Times as time travel shows and reads them: local time of day, and what a user types. Pure.

const pad = (n: number): string => String(n).padStart(2, '0');
/** Local time of day, with the date when it is not today. */
export function momentLabel(t: number, now = Date.now()): string {
  const d = new Date(t);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return new Date(now).toDateString() === d.toDateString() ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/**
 * A time typed by the user: `5m` / `90s` / `2h` ago, `HH:MM[:SS]` today, or an ISO 8601 date and time.
 * Undefined when it is none of these.
 */
export function parseMomentText(text: string, now = Date.now()): number | undefined {
  const t = text.trim();
  const ago = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)(?:\s+ago)?$/.exec(t);
  if (ago) return Math.round(now - Number(ago[1]) * { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[ago[2] as 'ms']);
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (clock) {
    const d = new Date(now);
    d.setHours(Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0), 0);
    return Number(clock[1]) < 24 && Number(clock[2]) < 60 ? d.getTime() : undefined;
  }
  const iso = Date.parse(t);
  return /^\d{4}-\d{2}-\d{2}/.test(t) && Number.isFinite(iso) ? iso : undefined;
}
