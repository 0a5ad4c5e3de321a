// The processes a system test starts: their stdout collected from the start (so no line is missed),
// waited on by what they print, and all killed at the end; and a wait for a condition.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { HelperClient, type HelperClientOptions } from '../../../src/client/connection/helper-client';
import { HELPER_JS } from './helper-rpc';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Children {
  private readonly live = new Set<ChildProcess>();
  private readonly outputs = new WeakMap<ChildProcess, { text: string }>();

  /** `python3 -c code` inside the namespace `ns`, stdin a pipe (closing it is the script's cue). */
  python(ns: string, code: string): ChildProcess {
    return this.track(spawn('ip', ['netns', 'exec', ns, 'python3', '-c', code], { stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  track(p: ChildProcess): ChildProcess {
    const box = { text: '' };
    p.stdout!.on('data', (d: Buffer) => { box.text += d.toString(); });
    this.outputs.set(p, box);
    this.live.add(p);
    p.once('exit', () => this.live.delete(p));
    return p;
  }

  /** Everything `p` printed so far. */
  text(p: ChildProcess): string {
    return this.outputs.get(p)?.text ?? '';
  }

  /** Waits until `p` has printed `what` (a word or a pattern); the match. */
  async waitFor(p: ChildProcess, what: string | RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const re = typeof what === 'string' ? new RegExp(what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : what;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.text(p).match(re);
      if (m) return m;
      if (p.exitCode !== null) throw new Error(`exited ${p.exitCode} before ${re}: ${this.text(p)}`);
      if (Date.now() > deadline) throw new Error(`no ${re} from the child: ${this.text(p)}`);
      await sleep(20);
    }
  }

  killAll(): void {
    for (const p of this.live) p.kill('SIGKILL');
  }
}

/** Polls `f` until it gives a value. */
export async function until<T>(f: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(25);
  }
}

/** The extension's own client of the helper (dist/helper.js, this process's node, no privilege). */
export function testHelperClient(log: HelperClientOptions['log'] = { info: () => undefined, warn: () => undefined, error: () => undefined }): HelperClient {
  return new HelperClient({ helperPath: HELPER_JS, nodePath: process.execPath, privilege: () => 'none', requestTimeoutMs: 20_000, restartDelayMs: 100, log });
}

/** A helper test's teardown: the client and its helper, every child, the namespace and the folder (each if made). */
export async function tearDown(made: { client?: HelperClient; kids: Children; ns?: { remove(): void }; dir?: string }): Promise<void> {
  await made.client?.stop();
  made.client?.dispose();
  made.kids.killAll();
  made.ns?.remove();
  if (made.dir) rmSync(made.dir, { recursive: true, force: true });
}
