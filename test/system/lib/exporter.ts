// Starting `sockscope exporter` for system tests: on 127.0.0.1 with a port the kernel picks,
// resolved once it says where it listens; stop() ends it (SIGTERM, then SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './ss';

export interface RunningExporter {
  /** `127.0.0.1:PORT` */
  address: string;
  child: ChildProcess;
  get(path: string): Promise<{ status: number; body: string }>;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startExporter(args: string[], timeoutMs = 15000): Promise<RunningExporter> {
  const child = spawn(process.execPath, [CLI, 'exporter', '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`exporter did not start: ${stderr}`)); }, timeoutMs);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on http:\/\/([\d.]+:\d+)\//.exec(stderr);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exporter exited (${code}): ${stderr}`)); });
  });
  return {
    address,
    child,
    stderr: () => stderr,
    async get(path) {
      const r = await fetch(`http://${address}${path}`);
      return { status: r.status, body: await r.text() };
    },
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => { if (child.exitCode === null) child.kill('SIGKILL'); }, 3000).unref();
    }),
  };
}

/** The value of one series in Prometheus text (`name{a="b"}`), undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
