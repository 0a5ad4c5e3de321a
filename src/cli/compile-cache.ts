// Loads a CommonJS bundle with a V8 code cache, so a short-lived command does not compile the same
// few hundred kilobytes of JavaScript at every start (about 8 ms of a 160 ms `sockscope -tan`).
//
// Node >= 22.1 has this built in (module.enableCompileCache); on older Node the bundle runs through
// vm.Script with cachedData, and the cache is written when the process exits, so it holds every
// function the run compiled. The cache lives in a directory of the user's own under the temporary
// directory, and is used only while that directory is owned by the user and closed to others: the
// command may run as root, and a planted cache would be code.
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The cache directory, made if missing; undefined when it is not safely ours. */
export function cacheDir(root = process.env.SOCKSCOPE_COMPILE_CACHE_DIR ?? tmpdir()): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  const dir = join(root, `sockscope-compile-cache-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return dir;
}

interface ModuleWithCache { enableCompileCache?: (dir: string) => unknown }

/** Runs the CommonJS file `file` (its `require` resolving from its own folder) with a compile cache. */
export function runCached(file: string): void {
  const dir = process.env.SOCKSCOPE_COMPILE_CACHE === '0' ? undefined : cacheDir();
  const builtin = (Module as unknown as ModuleWithCache).enableCompileCache;
  if (dir && builtin) {
    builtin(dir);
    require(file);
    return;
  }
  const source = readFileSync(file, 'utf8');
  let cachePath: string | undefined;
  let cachedData: Buffer | undefined;
  if (dir) {
    const st = statSync(file);
    const stem = basename(file, '.js');
    cachePath = join(dir, `${stem}-${process.version}-${process.arch}-${st.size}-${Math.floor(st.mtimeMs)}.cache`);
    try { cachedData = readFileSync(cachePath); } catch { cachedData = undefined; }
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  if (cachePath && (!cachedData || script.cachedDataRejected)) {
    const path = cachePath;
    process.once('exit', () => writeCache(path, script.createCachedData()));
  }
  const fn = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  const mod = { exports: {} as unknown, filename: file, id: file, loaded: false };
  fn.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
}

/**
 * Caches kept per file: other builds' caches (another installed version, a development build run
 * in turn with it) stay until this many newer ones exist, so builds used alternately do not keep
 * replacing each other's cache.
 */
export const CACHES_KEPT = 4;

/** Writes the cache (atomically, private) and drops all but the newest CACHES_KEPT of the same file. */
function writeCache(path: string, data: Buffer): void {
  try {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, data, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
    const dir = dirname(path);
    const name = basename(path);
    const stem = name.slice(0, name.indexOf(`-${process.version}-`) + 1);
    const others = readdirSync(dir)
      .filter((f) => f !== name && f.startsWith(stem) && f.endsWith('.cache'))
      .map((f) => ({ f, mtime: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const { f } of others.slice(CACHES_KEPT - 1)) unlinkSync(join(dir, f));
  } catch {
    // A cache is an optimisation: a read-only or full temporary directory only costs the next start.
  }
}
