// A raw line-level JSON-RPC client for the helper process (dist/helper.js), for system tests: it
// writes exactly the bytes a test wants and reads every reply, including errors with id null.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..', '..');
export const HELPER_JS = join(REPO, 'dist', 'helper.js');

let built = false;
/** Bundles dist/helper.js once per test process. */
export function buildHelper(): void {
  if (built) return;
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`esbuild failed: ${r.stderr}`);
  built = true;
}

export interface RpcMessage {
  jsonrpc?: string;
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export class HelperRpc {
  readonly child: ChildProcessWithoutNullStreams;
  readonly messages: RpcMessage[] = [];
  readonly exited: Promise<number | null>;
  stderr = '';
  private buf = '';
  private nextId = 1000;
  private waiters: Array<{ test: (m: RpcMessage) => boolean; resolve: (m: RpcMessage) => void }> = [];
  private listeners: Array<(m: RpcMessage) => void> = [];

  constructor(command = process.execPath, args: string[] = [HELPER_JS], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdin.on('error', () => undefined);
    this.child.stderr.on('data', (t: string) => { this.stderr = (this.stderr + t).slice(-20000); });
    this.child.stdout.on('data', (t: string) => {
      this.buf += t;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        if (!line.trim()) continue;
        const m = JSON.parse(line) as RpcMessage;
        if (m.method !== 'dump/chunk' && m.method !== 'watch/update') this.messages.push(m);
        for (const l of this.listeners) l(m);
        this.waiters = this.waiters.filter((w) => (w.test(m) ? (w.resolve(m), false) : true));
      }
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get pid(): number { return this.child.pid!; }

  onMessage(l: (m: RpcMessage) => void): void { this.listeners.push(l); }

  wait(test: (m: RpcMessage) => boolean, timeoutMs = 20000, what = 'a message'): Promise<RpcMessage> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr.slice(-500)}`)), timeoutMs);
      this.waiters.push({ test, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }

  ready(): Promise<RpcMessage> { return this.wait((m) => m.method === 'ready', 30000, 'ready'); }

  writeRaw(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.child.stdin.write(data, (e) => (e ? reject(e) : resolve())));
  }

  /** Sends a request and resolves its response (result or error). */
  async call(method: string, params?: unknown, timeoutMs = 60000): Promise<RpcMessage> {
    const id = this.nextId++;
    const msg: RpcMessage = { jsonrpc: '2.0', id, method };
    if (params !== undefined) msg.params = params;
    const reply = this.wait((m) => m.id === id && m.method === undefined, timeoutMs, `reply to ${method}`);
    await this.writeRaw(JSON.stringify(msg) + '\n');
    return reply;
  }

  /** call() that throws on an error reply. */
  async result<T>(method: string, params?: unknown, timeoutMs?: number): Promise<T> {
    const r = await this.call(method, params, timeoutMs);
    if (r.error) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.result as T;
  }

  /** VmRSS in KiB from /proc/PID/status. */
  rssKiB(pid = this.pid): number {
    const m = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  }

  async close(): Promise<number | null> {
    try { this.child.stdin.end(); } catch { /* closed */ }
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const code = await this.exited;
    clearTimeout(t);
    return code;
  }
}

export async function startHelper(command?: string, args?: string[], env?: NodeJS.ProcessEnv): Promise<HelperRpc> {
  const h = new HelperRpc(command, args, env);
  await h.ready();
  const init = await h.call('initialize', { protocolVersion: 1, clientName: 'system-test' });
  if (init.error) throw new Error(`initialize: ${init.error.message}`);
  return h;
}
