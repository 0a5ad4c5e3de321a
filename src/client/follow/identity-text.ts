// How a process is described to the user (tooltips, the Follow Process… picker, namespace names).
// Pure (no vscode): unit-tested directly.
import { placeText, type ProcessIdentity } from '../../protocol/process-identity';

/** `2026-12-01 23:12:05` in local time. */
function when(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** A shell-like rendering of argv: words with blanks or quotes are quoted. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((a) => (a === '' || /[\s'"\\$`]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');
}

/** The tooltip of a process: pid, user, full command line, cwd, start time, container or unit. */
export function identityTooltip(p: ProcessIdentity): string {
  const lines = [`${p.label}`, `pid ${p.pid} (parent ${p.ppid}) · user ${p.user ?? p.uid}`];
  lines.push(`command: ${p.cmdline.length ? commandLine(p.cmdline) : `[${p.comm}]`}`);
  if (p.cwd) lines.push(`cwd: ${p.cwd}`);
  lines.push(`started: ${when(p.startedAt)}`);
  const place = placeText(p);
  if (place) lines.push(`runs in: ${place}`);
  if (!p.socketsVisible) lines.push('its sockets: only visible with root (Show All Processes)');
  return lines.join('\n');
}

/** A picker line's description: pid, user, where it runs and the ports it listens on. */
export function identityDescription(p: ProcessIdentity): string {
  const parts = [`pid ${p.pid}`, p.user ?? `uid ${p.uid}`];
  const place = placeText(p);
  if (place) parts.push(place);
  if (p.ports?.length) parts.push(p.ports.slice(0, 6).map((n) => `:${n}`).join(' '));
  return parts.join(' · ');
}

/**
 * The processes of each root's tree, from a `processes` answer for all roots with children (each
 * identity carries its ppid), so one request serves every followed target.
 */
export function treesOf(processes: readonly ProcessIdentity[], roots: readonly number[]): ProcessIdentity[] {
  const byParent = new Map<number, ProcessIdentity[]>();
  const byPid = new Map<number, ProcessIdentity>();
  for (const p of processes) {
    byPid.set(p.pid, p);
    const list = byParent.get(p.ppid);
    if (list) list.push(p);
    else byParent.set(p.ppid, [p]);
  }
  const out: ProcessIdentity[] = [];
  const seen = new Set<number>();
  for (const r of roots) { const p = byPid.get(r); if (p && !seen.has(r)) { seen.add(r); out.push(p); } }
  for (let i = 0; i < out.length; i++) {
    for (const c of byParent.get(out[i].pid) ?? []) if (!seen.has(c.pid)) { seen.add(c.pid); out.push(c); }
  }
  return out;
}
