// How to start the helper: directly, through `sudo -n`, through `sudo -S` with a password typed
// into VS Code, or through pkexec. `sockscope.privilege` picks the policy; `auto` probes.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export type PrivilegeSetting = 'auto' | 'none' | 'sudo' | 'pkexec';

/** How one helper process is launched. */
export type LaunchMode = 'direct' | 'sudo' | 'sudoPassword' | 'pkexec';

/** What the user can be offered when the helper runs without root. */
export type Elevation = 'sudoPassword' | 'pkexec';

export interface PrivilegeProbe {
  root: boolean;
  /** `sudo -n true` succeeded: sudo without a password. */
  sudoNoPassword: boolean;
  /** pkexec is installed and a graphical session (DISPLAY / WAYLAND_DISPLAY) exists. */
  pkexec: boolean;
  /** sudo is installed. */
  sudo: boolean;
}

export interface LaunchPlan {
  mode: LaunchMode;
  /** Offered to the user (a "Show all processes (root)" action) when mode is not privileged. */
  offers: Elevation[];
}

function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    if (!dir) continue;
    try { accessSync(`${dir}/${name}`, constants.X_OK); return `${dir}/${name}`; } catch { /* next */ }
  }
  return undefined;
}

/** Runs a command with no input, resolves its exit status (null on timeout or spawn failure). */
function status(cmd: string, args: string[], timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (code: number | null): void => { if (!done) { done = true; clearTimeout(timer); resolve(code); } };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(cmd, args, { stdio: 'ignore' });
    } catch {
      resolve(null);
      return;
    }
    const timer = setTimeout(() => { try { child.kill('SIGKILL'); } catch { /* gone */ } finish(null); }, timeoutMs);
    child.on('error', () => finish(null));
    child.on('exit', (code) => finish(code));
  });
}

export async function probePrivileges(env: NodeJS.ProcessEnv = process.env): Promise<PrivilegeProbe> {
  const root = typeof process.geteuid === 'function' && process.geteuid() === 0;
  const sudoPath = findExecutable('sudo');
  const sudoNoPassword = !root && sudoPath !== undefined && (await status(sudoPath, ['-n', 'true'], 5000)) === 0;
  const graphical = !!(env.DISPLAY || env.WAYLAND_DISPLAY);
  const pkexec = graphical && findExecutable('pkexec') !== undefined;
  return { root, sudoNoPassword, pkexec, sudo: sudoPath !== undefined };
}

/** The policy of `sockscope.privilege`. */
export function planLaunch(setting: PrivilegeSetting, p: PrivilegeProbe): LaunchPlan {
  if (p.root || setting === 'none') return { mode: 'direct', offers: [] };
  const offers: Elevation[] = [];
  if (p.sudo) offers.push('sudoPassword');
  if (p.pkexec) offers.unshift('pkexec');
  switch (setting) {
    case 'pkexec':
      return p.pkexec ? { mode: 'pkexec', offers: [] } : { mode: 'direct', offers };
    case 'sudo':
      return p.sudoNoPassword ? { mode: 'sudo', offers: [] } : { mode: 'direct', offers: p.sudo ? ['sudoPassword'] : [] };
    default:
      if (p.sudoNoPassword) return { mode: 'sudo', offers: [] };
      return { mode: 'direct', offers };
  }
}

export interface LaunchCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * The helper's V8 heap: a small young generation. Each refresh at 100,000 sockets makes tens of MB of
 * short-lived garbage, and with V8's default (a young generation growing to 16 MB semi-spaces) the
 * helper's resident memory grew to hundreds of MB of heap pages kept between refreshes (BENCH_ONLY=view).
 */
export const HELPER_V8_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/**
 * The helper's environment: ELECTRON_RUN_AS_NODE makes VS Code's binary behave as node. A fixed glibc
 * mmap threshold keeps every large block (typed columns, buffers) in its own mapping, returned to the
 * system when freed: with glibc's default the threshold rises to the largest block freed so far, the
 * store's and the recorder's columns then come from malloc's heap and its holes stay resident (at
 * 100,000 sockets with the recorder and findings: 160 MiB RSS against 182, BENCH_ONLY=view). Other C
 * libraries ignore the variable.
 */
export const HELPER_ENV: Readonly<Record<string, string>> = { ELECTRON_RUN_AS_NODE: '1', MALLOC_MMAP_THRESHOLD_: '131072' };

/**
 * The command line for a mode. sudo and pkexec clear the environment, so HELPER_ENV goes through
 * `env`. Never carries a password.
 */
export function launchCommand(mode: LaunchMode, nodePath: string, helperPath: string): LaunchCommand {
  const env = { ...process.env, ...HELPER_ENV };
  const inner = ['env', ...Object.entries(HELPER_ENV).map(([k, v]) => `${k}=${v}`), nodePath, ...HELPER_V8_FLAGS, helperPath];
  switch (mode) {
    case 'direct': return { command: nodePath, args: [...HELPER_V8_FLAGS, helperPath], env };
    case 'sudo': return { command: 'sudo', args: ['-n', '--', ...inner], env };
    case 'sudoPassword': return { command: 'sudo', args: ['-S', '-k', '-p', '', '--', ...inner], env };
    case 'pkexec': return { command: 'pkexec', args: ['/usr/bin/env', ...inner.slice(1)], env };
  }
}
