// Running `ss` and `sockscope` in a namespace, and parsing ss's text into comparable tuples.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const CLI = resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

export interface RunResult { status: number | null; stdout: string; stderr: string }

/** `ss -N ns ...args`. */
export function runSs(ns: string, args: string[]): RunResult {
  const r = spawnSync('ss', ['-N', ns, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `node dist/cli.js ...args` (builds dist/ first if the bundle is missing). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): RunResult {
  if (!existsSync(CLI)) buildCli();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Bundles dist/cli.js. */
export function buildCli(): void {
  const root = resolve(__dirname, '..', '..', '..');
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

/** One socket line of `ss -n [-e] [-p]` output, in the shape of the JSON record's fields. */
export interface SsSocket {
  netid: string;
  state: string;
  recvQ: number;
  sendQ: number;
  localAddress: string | null;
  localPort: number;
  peerAddress: string | null;
  peerPort: number;
  iface: string | null;
  /** From `ino:` (-e), inet only; unix sockets carry their inode as localPort. */
  inode?: number;
  /** users:(("name",pid=N,fd=M),...) as "name/pid/fd" strings, sorted. */
  processes?: string[];
  /** The indented continuation line (-i / -m), if any. */
  info?: string;
  /** Everything after the peer port on the first line. */
  ext: string;
}

function splitHostPort(text: string): { addr: string; port: string; iface: string | null } {
  const i = text.lastIndexOf(':');
  let addr = text.slice(0, i);
  const port = text.slice(i + 1);
  let iface: string | null = null;
  const pct = addr.lastIndexOf('%');
  if (pct >= 0 && pct > addr.lastIndexOf(']')) { iface = addr.slice(pct + 1); addr = addr.slice(0, pct); }
  if (addr.startsWith('[') && addr.endsWith(']')) addr = addr.slice(1, -1);
  return { addr, port, iface };
}

function inetAddr(addr: string, netidV6: boolean): string {
  if (addr === '*') return netidV6 ? '::' : '0.0.0.0';
  return addr;
}

/**
 * Parses `ss -n` output (with or without header, -e, -p, -i). `columns` says whether the Netid
 * column is present (ss drops it when one table is dumped): pass the netid to assume otherwise.
 */
export function parseSs(text: string, onlyNetid?: string): SsSocket[] {
  const out: SsSocket[] = [];
  const lines = text.split('\n');
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li];
    if (!line.trim() || line.startsWith('\t')) continue;
    if (/^(Netid|State)\s/.test(line)) continue;
    const w = line.trim().split(/\s+/);
    const netid = onlyNetid ?? w.shift()!;
    const [state, rq, wq] = w.splice(0, 3);
    const unix = netid.startsWith('u_');
    let rec: SsSocket;
    if (unix) {
      const [lname, lport, pname, pport, ...ext] = w;
      rec = {
        netid, state, recvQ: Number(rq), sendQ: Number(wq),
        localAddress: lname === '*' ? null : lname, localPort: Number(lport),
        peerAddress: pname === '*' ? null : pname, peerPort: Number(pport), iface: null, ext: ext.join(' '),
      };
    } else {
      const [local, peer, ...ext] = w;
      const l = splitHostPort(local);
      const p = splitHostPort(peer);
      const v6 = l.addr.includes(':') || p.addr.includes(':') || (l.addr === '*' && p.addr === '*');
      rec = {
        netid, state, recvQ: Number(rq), sendQ: Number(wq),
        localAddress: inetAddr(l.addr, v6), localPort: l.port === '*' ? 0 : Number(l.port),
        peerAddress: inetAddr(p.addr, v6), peerPort: p.port === '*' ? 0 : Number(p.port),
        iface: l.iface, ext: ext.join(' '),
      };
      const ino = /\bino:(\d+)/.exec(rec.ext);
      if (ino) rec.inode = Number(ino[1]);
    }
    const users = /users:\((.*)\)/.exec(rec.ext);
    if (users) {
      rec.processes = [...users[1].matchAll(/\("([^"]*)",pid=(\d+),fd=(\d+)\)/g)].map((m) => `${m[1]}/${m[2]}/${m[3]}`).sort();
    }
    if (lines[li + 1]?.startsWith('\t')) rec.info = lines[li + 1].trim();
    out.push(rec);
  }
  return out;
}

/** Collapses runs of whitespace and trims each line; drops empty lines. */
export function normalizeText(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
}
