// The files a findings pass reads inside another network namespace (/proc/net counters, /proc/sys/net
// sysctls), opened once there by a thread that enters it (netlink/netns.ts) and read again from the
// start at every pass. Reading them through `nsenter` cost the helper a process (fork, exec, cat) per
// pass, at a 2 s refresh about 1.5% of a core with the view at 100,000 sockets (BENCH_VIEW_PROFILE).
// An open namespace file keeps its namespace alive, so files unused for IDLE_CLOSE_MS are closed, and
// a namespace path that now names another namespace (deleted and made again) is opened afresh.
import { closeSync, statSync } from 'node:fs';
import { THREAD_NET_DIR, openFilesInNetns, readWholeFd } from '../../netlink/netns';
import type { Source } from '../../findings/index';

const IDLE_CLOSE_MS = 60_000;
const NOT_READABLE = 'not present or not readable in the namespace';

interface Opened {
  /** The namespace file's inode when opened: another one at the path is another namespace. */
  ino: number;
  fds: Map<string, number>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const opened = new Map<string, Opened>();

/** Where a thread inside the namespace opens `path`: its own /proc/net, the namespace's /proc/sys/net. */
function insidePath(path: string): string {
  return path.startsWith('/proc/net/') ? `${THREAD_NET_DIR}/${path.slice('/proc/net/'.length)}` : path;
}

function closeAll(netnsPath: string): void {
  const o = opened.get(netnsPath);
  if (!o) return;
  opened.delete(netnsPath);
  clearTimeout(o.timer);
  for (const fd of o.fds.values()) if (fd >= 0) { try { closeSync(fd); } catch { /* already closed */ } }
}

function open(netnsPath: string, paths: readonly string[], ino: number): Opened {
  const fds = openFilesInNetns(netnsPath, paths.map(insidePath));
  const o: Opened = { ino, fds: new Map(paths.map((p, i) => [p, fds[i]])), timer: undefined };
  opened.set(netnsPath, o);
  return o;
}

/**
 * Reads files (absolute /proc/net/* and /proc/sys/* paths) in the namespace at `netnsPath`, keeping
 * them open for the next pass. Throws when the namespace cannot be entered (the caller falls back).
 */
export function readNetnsFiles(paths: readonly string[], netnsPath: string): Map<string, Source<string>> {
  const ino = statSync(netnsPath).ino;
  let o = opened.get(netnsPath);
  if (o && (o.ino !== ino || paths.some((p) => !o!.fds.has(p)))) { closeAll(netnsPath); o = undefined; }
  o ??= open(netnsPath, paths, ino);
  clearTimeout(o.timer);
  o.timer = setTimeout(() => closeAll(netnsPath), IDLE_CLOSE_MS);
  o.timer.unref?.();
  const out = new Map<string, Source<string>>();
  for (const p of paths) {
    const fd = o.fds.get(p) ?? -1;
    if (fd < 0) { out.set(p, { error: NOT_READABLE }); continue; }
    try { out.set(p, { value: readWholeFd(fd, 'utf8') }); } catch { out.set(p, { error: NOT_READABLE }); }
  }
  return out;
}

/** Closes every namespace file kept open (the helper's exit, tests). */
export function closeNetnsFiles(): void {
  for (const path of [...opened.keys()]) closeAll(path);
}
