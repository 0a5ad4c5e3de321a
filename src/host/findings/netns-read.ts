// Reading files and running commands inside a network namespace. /proc/net/* and /proc/sys/net/*
// show the namespace of the reader: in another namespace they are opened there once and read again
// at each pass (netns-files.ts), through `nsenter --net=PATH` (one process for all the files) where
// that cannot be done. nft/iptables-save act on the namespace they run in: they go through nsenter.
import { accessSync, constants, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import type { Source } from '../../findings/index';
import { readNetnsFiles } from './netns-files';

/** Directories searched for system tools besides PATH (non-root users often lack sbin in PATH). */
const SBIN = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

/** The full path of an executable, or undefined when it is not installed. */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SBIN];
  for (const d of dirs) {
    try { accessSync(`${d}/${name}`, constants.X_OK); return `${d}/${name}`; } catch { /* next */ }
  }
  return undefined;
}

const errText = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'ENOENT') return 'not present';
  return err.code ?? err.message ?? String(e);
};

// Prints, per file: NUL, the path, NUL, the content, NUL, "ok" or "err".
const CAT_SCRIPT = `for f in "$@"; do printf '\\0%s\\0' "$f"; if cat -- "$f" 2>/dev/null; then printf '\\0ok'; else printf '\\0err'; fi; done`;

/** Reads files (absolute paths) in the namespace at `netnsPath`, or in this process's namespace. */
export function readFiles(paths: readonly string[], netnsPath?: string): Map<string, Source<string>> {
  const out = new Map<string, Source<string>>();
  if (!netnsPath) {
    for (const p of paths) {
      try { out.set(p, { value: readFileSync(p, 'utf8') }); } catch (e) { out.set(p, { error: errText(e) }); }
    }
    return out;
  }
  try {
    return readNetnsFiles(paths, netnsPath);
  } catch {
    // Not entered from here (no koffi, a sandbox): nsenter, which also says why it cannot.
  }
  const r = spawnSync(findTool('nsenter') ?? 'nsenter', [`--net=${netnsPath}`, 'sh', '-c', CAT_SCRIPT, 'sh', ...paths], { encoding: 'utf8', timeout: 5000, maxBuffer: 64 << 20 });
  const parts = (r.stdout ?? '').split('\0');
  for (let i = 1; i + 2 < parts.length; i += 3) {
    const [path, content, status] = [parts[i], parts[i + 1], parts[i + 2]];
    out.set(path, status === 'ok' ? { value: content } : { error: 'not present or not readable in the namespace' });
  }
  const why = r.error ? errText(r.error) : (r.stderr ?? '').trim().split('\n')[0] || `nsenter exited with ${r.status}`;
  for (const p of paths) if (!out.has(p)) out.set(p, { error: `cannot read inside the namespace: ${why}` });
  return out;
}

export interface CommandResult { status: number | null; stdout: string; stderr: string; error?: string }

/** Runs a tool (by full path) in the namespace, asynchronously, so several run at once. */
export function runTool(path: string, args: readonly string[], netnsPath?: string, timeoutMs = 10_000): Promise<CommandResult> {
  const [cmd, argv] = netnsPath ? [findTool('nsenter') ?? 'nsenter', [`--net=${netnsPath}`, path, ...args]] : [path, [...args]];
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let child;
    try {
      child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C' } });
    } catch (e) {
      resolve({ status: null, stdout, stderr, error: errText(e) });
      return;
    }
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (e) => resolve({ status: null, stdout, stderr, error: errText(e) }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
