// Network namespaces for system tests: unique names (helpers run tests concurrently), always
// removed afterwards, with small helpers to run commands inside.
import { execFileSync, spawnSync } from 'node:child_process';

let counter = 0;

/** A fresh namespace name: sockscope-<area>-<pid>-<n>. */
export function netnsName(area: string): string {
  return `sockscope-${area}-${process.pid}-${++counter}`;
}

export interface Netns {
  name: string;
  /** /run/netns/<name>, for SockDiag.open({ netnsPath }). */
  path: string;
  /** Runs a command inside the namespace and returns its stdout; throws with stderr on failure. */
  exec(cmd: string, args: string[]): string;
  /** `ip -n <name> ...` */
  ip(...args: string[]): string;
  /** Deletes the namespace (idempotent). */
  remove(): void;
}

/** Creates a namespace with `lo` up. Remove it with `.remove()` (or use withNetns). */
export function createNetns(area: string): Netns {
  const name = netnsName(area);
  execFileSync('ip', ['netns', 'add', name], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ns: Netns = {
    name,
    path: `/run/netns/${name}`,
    exec(cmd, args) {
      const r = spawnSync('ip', ['netns', 'exec', name, cmd, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${name} failed (${r.status ?? r.signal}): ${r.stderr}`);
      return r.stdout;
    },
    ip(...args) {
      const r = spawnSync('ip', ['-n', name, ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`ip -n ${name} ${args.join(' ')} failed: ${r.stderr}`);
      return r.stdout;
    },
    remove() {
      spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    },
  };
  try {
    ns.ip('link', 'set', 'lo', 'up');
  } catch (e) {
    ns.remove();
    throw e;
  }
  return ns;
}

/** Runs `fn` with a fresh namespace and removes it afterwards, also when `fn` throws. */
export async function withNetns<T>(area: string, fn: (ns: Netns) => T | Promise<T>): Promise<T> {
  const ns = createNetns(area);
  try {
    return await fn(ns);
  } finally {
    ns.remove();
  }
}
