// Process trees from /proc/PID/stat's ppid (field 4): who a process's descendants are, kept
// current by reading the parents again (one small file per process, no descriptor walk).
import { readdirSync, readFileSync } from 'node:fs';
import { isPid } from './process-map';

/** A stat line's fields after the name; [0] is the state (field 3), [1] the ppid (field 4), [19] the start time (field 22). */
export function statFields(text: string): string[] | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  return text.slice(close + 2).split(' ', 20);
}

/** pid -> ppid of every process in /proc (threads are not processes here). */
export function readParents(procRoot = '/proc'): Map<number, number> {
  const parents = new Map<number, number>();
  let names: string[];
  try { names = readdirSync(procRoot); } catch { return parents; }
  for (const name of names) {
    if (!isPid(name)) continue;
    let text: string;
    try { text = readFileSync(`${procRoot}/${name}/stat`, 'latin1'); } catch { continue; }
    const f = statFields(text);
    if (f) parents.set(Number(name), Number(f[1]));
  }
  return parents;
}

/** The roots that exist and every descendant of them, roots first, then breadth-first. */
export function descendants(parents: ReadonlyMap<number, number>, roots: Iterable<number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out: number[] = [];
  const seen = new Set<number>();
  for (const r of roots) if (parents.has(r) && !seen.has(r)) { seen.add(r); out.push(r); }
  for (let i = 0; i < out.length; i++) {
    for (const c of children.get(out[i]) ?? []) if (!seen.has(c)) { seen.add(c); out.push(c); }
  }
  return out;
}
