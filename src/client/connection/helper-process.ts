// One running helper process and its JSON-RPC connection. Spawns it (directly or through
// sudo/pkexec), hands a sudo password to `sudo -S` on stdin once, waits for the helper's `ready`
// notification, and reports how the process ended.
import { HELPER_NOTIFICATIONS } from '../../protocol/helper-requests';
import { onNotification } from '../../protocol/message-type';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createMessageConnection } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import type { ReadyNotification } from '../../protocol/helper-protocol';
import { LineMessageReader, LineMessageWriter } from '../../protocol/line-transport';
import type { LaunchMode } from './privilege';
import { launchCommand } from './privilege';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface SpawnOptions {
  mode: LaunchMode;
  nodePath: string;
  helperPath: string;
  /** For mode sudoPassword only: written to sudo's stdin once, then forgotten. */
  password?: string;
  /** How long to wait for `ready` (a password dialog may be up). */
  readyTimeoutMs: number;
  log: Log;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the process wrote on stderr (sudo's complaints, the helper's last words). */
  stderr: string;
}

const STDERR_KEEP = 4096;

export class HelperProcess {
  readonly connection: MessageConnection;
  readonly exited: Promise<Exit>;
  readonly ready: Promise<ReadyNotification>;
  private readonly child: ChildProcessWithoutNullStreams;
  private stderrTail = '';
  private hasExited = false;
  private closed = false;

  constructor(opts: SpawnOptions) {
    const cmd = launchCommand(opts.mode, opts.nodePath, opts.helperPath);
    this.child = spawn(cmd.command, cmd.args, { env: cmd.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const child = this.child;
    this.exited = new Promise((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (done) return;
        done = true;
        this.hasExited = true;
        resolve({ code, signal, stderr: this.stderrTail.trim() });
      };
      child.on('exit', (code, signal) => finish(code, signal));
      child.on('error', (e) => { this.stderrTail += `\n${e.message}`; finish(null, null); });
    });
    child.stdin.on('error', () => undefined);
    child.stderr.setEncoding('utf8');
    let sorry = false;
    child.stderr.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_KEEP);
      // sudo -S asks again after a wrong password: end its stdin so it gives up instead of
      // reading our protocol as passwords.
      if (opts.mode === 'sudoPassword' && !sorry && /Sorry, try again|incorrect password/i.test(this.stderrTail)) {
        sorry = true;
        child.stdin.end();
      }
      for (const line of text.split('\n')) if (line.trim() && !/password/i.test(line)) opts.log.info(`helper: ${line.trim()}`);
    });

    // The helper's chunks are bounded by record count (at most 5,000 records with tcp_info is ~8 MB).
    const reader = new LineMessageReader(child.stdout, {
      onMalformed: (m) => opts.log.warn(`helper sent an unreadable line: ${m.message}`),
      maxMessageBytes: 32 * 1024 * 1024,
    });
    const writer = new LineMessageWriter(child.stdin);
    this.connection = createMessageConnection(reader, writer, {
      error: (m) => opts.log.error(m), warn: (m) => opts.log.warn(m), info: () => undefined, log: () => undefined,
    });
    this.ready = new Promise<ReadyNotification>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the helper did not start within ${opts.readyTimeoutMs / 1000} s`)), opts.readyTimeoutMs);
      onNotification(this.connection, HELPER_NOTIFICATIONS.ready, (p) => { clearTimeout(timer); resolve(p); });
      void this.exited.then((e) => { clearTimeout(timer); reject(new Error(describeExit(e, opts.mode))); });
    });
    this.ready.catch(() => undefined);
    this.connection.onClose(() => { this.closed = true; });
    this.connection.listen();
    if (opts.mode === 'sudoPassword' && opts.password !== undefined) {
      // Only sudo reads this line (it reads the password byte by byte up to the newline).
      child.stdin.write(opts.password + '\n');
    }
  }

  get pid(): number | undefined { return this.child.pid; }
  get running(): boolean { return !this.hasExited; }
  /** The connection can still send (not closed by EOF, exit or stop()). */
  get connected(): boolean { return !this.closed && !this.hasExited; }

  /** Closes stdin (the helper exits on EOF), then escalates to signals if it does not. */
  async stop(graceMs = 2000): Promise<Exit> {
    this.closed = true;
    try { this.connection.dispose(); } catch { /* disposed */ }
    try { this.child.stdin.end(); } catch { /* closed */ }
    const timer = setTimeout(() => this.kill('SIGTERM'), graceMs);
    const timer2 = setTimeout(() => this.kill('SIGKILL'), graceMs * 2);
    const e = await this.exited;
    clearTimeout(timer);
    clearTimeout(timer2);
    return e;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    try { this.child.kill(signal); } catch { /* gone or not ours */ }
  }
}

/** A readable reason for a helper that ended (or never started). */
export function describeExit(e: Exit, mode: LaunchMode): string {
  const how = e.signal ? `signal ${e.signal}` : `exit code ${e.code}`;
  const last = e.stderr.split('\n').filter((l) => l.trim()).slice(-2).join(' / ');
  if (mode === 'sudoPassword' && /incorrect password|Sorry, try again|no password was provided/i.test(e.stderr)) return 'sudo: wrong password';
  if ((mode === 'sudo' || mode === 'sudoPassword') && /a password is required/i.test(e.stderr)) return 'sudo needs a password';
  if (mode === 'pkexec' && (e.code === 126 || e.code === 127)) return 'pkexec: not authorized or dismissed';
  return `the helper ended (${how})${last ? `: ${last}` : ''}`;
}
