// Fallback for "Run" when no Sockets view has registered a query runner: runs the built CLI
// (dist/cli.js --json QUERY...) as a separate process and reports the count and the time taken.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { shellWords } from './shellWords';

export interface CliRunResult {
  count: number;
  elapsedMs: number;
  /** One line per socket, for a quick pick. */
  lines: string[];
}

interface JsonSocket {
  netid?: string;
  state?: string;
  localAddress?: string | null;
  localPort?: number;
  peerAddress?: string | null;
  peerPort?: number;
  processes?: { name: string; pid: number }[];
}

const endpoint = (addr: string | null | undefined, port: number | undefined): string =>
  `${addr && addr.includes(':') ? `[${addr}]` : addr ?? '*'}:${port ?? '*'}`;

export function runCli(extensionPath: string, queryText: string, timeoutMs = 15000): Promise<CliRunResult> {
  const words = shellWords(queryText);
  if (words[0] === 'ss') words.shift();
  const cli = path.join(extensionPath, 'dist', 'cli.js');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '--json', ...words], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsedMs = Date.now() - started;
      if (code !== 0) return reject(new Error(err.trim() || `sockscope exited with ${code}`));
      try {
        const parsed: unknown = JSON.parse(out);
        const list = (Array.isArray(parsed) ? parsed : (parsed as { sockets?: unknown[] }).sockets ?? []) as JsonSocket[];
        const lines = list.map((s) => {
          const procs = s.processes?.length ? `  ${s.processes.map((p) => `${p.name}(${p.pid})`).join(',')}` : '';
          return `${s.netid ?? '?'} ${s.state ?? '?'} ${endpoint(s.localAddress, s.localPort)} → ${endpoint(s.peerAddress, s.peerPort)}${procs}`;
        });
        resolve({ count: list.length, elapsedMs, lines });
      } catch (e) {
        reject(new Error(`unexpected output from sockscope --json: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  });
}
