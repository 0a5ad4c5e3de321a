// A stepped socket scenario for the findings system tests: one Python process in a namespace runs
// `init`, reports `info` as a JSON line, then runs one named step per `step()` call and reports
// again, so a test can look at a condition before and after it is created. `prefix` wraps the
// process (e.g. `sh -c 'ulimit -n 64; exec "$@"' sh` for a low descriptor limit).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Netns } from './netns';
import { runCli, runSs } from './ss';
import type { Finding } from '../../../src/protocol/findings';

const DRIVER = String.raw`
import socket, sys, json, os, time
info = {'pid': os.getpid()}
keep = []
spec = json.loads(sys.argv[1])
exec(spec['init'])
time.sleep(0.2)
print(json.dumps(info), flush=True)
for line in sys.stdin:
    exec(spec['steps'][line.strip()])
    time.sleep(0.2)
    print(json.dumps(info), flush=True)
`;

export type Info = { pid: number } & Record<string, unknown>;

export class Scenario {
  private constructor(private readonly child: ChildProcess, private readonly lines: AsyncIterator<string>, readonly info: Info) {}

  static async start(ns: Netns, init: string, steps: Record<string, string> = {}, prefix: string[] = []): Promise<Scenario> {
    const child = spawn('ip', ['netns', 'exec', ns.name, ...prefix, 'python3', '-c', DRIVER, JSON.stringify({ init, steps })], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += String(d); });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let first: IteratorResult<string>;
    try {
      first = await Promise.race([
        lines.next(),
        new Promise<never>((_r, reject) => { timer = setTimeout(() => reject(new Error(`scenario did not start within 30 s: ${stderr}`)), 30_000); }),
      ]);
      if (first.done) throw new Error(`scenario exited: ${stderr}`);
    } catch (e) {
      // Nothing left running: the test never got hold of this process.
      child.kill('SIGKILL');
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return new Scenario(child, lines, JSON.parse(first.value) as Info);
  }

  async step(name: string): Promise<Info> {
    this.child.stdin!.write(name + '\n');
    const r = await this.lines.next();
    if (r.done) throw new Error(`scenario ended during step ${name}`);
    Object.assign(this.info, JSON.parse(r.value));
    return this.info;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) { resolve(); return; }
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

/** `sockscope doctor -N ns --json ...`: the findings and the exit status. */
export function doctor(ns: Netns, ...args: string[]): { status: number | null; findings: Finding[]; stderr: string } {
  const r = runCli(['doctor', '-N', ns.name, '--json', ...args]);
  if (r.status !== 0 && r.status !== 1) throw new Error(`doctor failed (${r.status}): ${r.stderr}`);
  return { status: r.status, findings: JSON.parse(r.stdout) as Finding[], stderr: r.stderr };
}

/** Cookies (sk:...) of the sockets `ss -N ns -ane ARGS` lists, e.g. ['-t', 'state', 'close-wait']. */
export function ssCookies(ns: Netns, args: string[]): string[] {
  const r = runSs(ns.name, ['-Hne', ...args]);
  if (r.status !== 0) throw new Error(`ss failed: ${r.stderr}`);
  return [...r.stdout.matchAll(/\bsk:([0-9a-f]+)/g)].map((m) => m[1]).sort();
}
