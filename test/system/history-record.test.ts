// sockscope record / log in a namespace: connections with known byte counts, some shorter than a
// refresh, are in the log with their bytes and durations (short ones through the kernel's destroy
// events, as root); the timeline's counts and the sockets at a moment match what ss listed then;
// closes from refreshes alone (--no-events) are marked "watch".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countedClients, countedServer } from './lib/counted-traffic';
import { createNetns, type Netns } from './lib/netns';
import { buildCli, CLI, parseSs, runCli, runSs } from './lib/ss';
import { Recording } from '../../src/host/history/queries';

const INTERVAL = 400;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const SERVER = countedServer([[7401, 3000, 5000], [7402, 1234, 4321]]);

/** Clients: `n` connections to `port`, each sends `req`, reads `resp`, holds `holdS` seconds, closes. */
function clients(ns: Netns, port: number, n: number, req: number, resp: number, holdS: number): ChildProcess {
  const code = countedClients(port, n, req, resp, holdS);
  const p = spawn('ip', ['netns', 'exec', ns.name, 'python3', '-c', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  outputOf(p);
  return p;
}

const outputs = new WeakMap<ChildProcess, { text: string }>();
/** Everything `p` printed so far (collected from its start, so no line is missed). */
function outputOf(p: ChildProcess): { text: string } {
  let o = outputs.get(p);
  if (!o) {
    const box = { text: '' };
    p.stdout!.on('data', (d: Buffer) => { box.text += d.toString(); });
    outputs.set(p, box);
    o = box;
  }
  return o;
}

async function waitLine(p: ChildProcess, word: string, timeoutMs = 20_000): Promise<void> {
  const o = outputOf(p);
  const deadline = Date.now() + timeoutMs;
  while (!o.text.includes(word)) {
    if (Date.now() > deadline) throw new Error(`no "${word}" from the child: ${o.text}`);
    if (p.exitCode !== null && !o.text.includes(word)) throw new Error(`exited ${p.exitCode} before "${word}": ${o.text}`);
    await sleep(20);
  }
}

function startRecorder(ns: Netns, db: string, extra: string[] = []): ChildProcess {
  // SOCKSCOPE_DEBUG: it says each refresh (waitRecording waits for the first).
  const p = spawn(process.execPath, [CLI, 'record', '--db', db, '--interval', `${INTERVAL}ms`, '-N', ns.name, ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SOCKSCOPE_DEBUG: '1' } });
  recorders.add(p);
  const box = { text: '' };
  p.stderr!.on('data', (d: Buffer) => { box.text += d.toString(); });
  errs.set(p, box);
  return p;
}

const recorders = new Set<ChildProcess>();
const errs = new WeakMap<ChildProcess, { text: string }>();

/** Until the recorder has made its first refresh (its start-up, the file's opening, can take seconds). */
async function waitRecording(p: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!/refresh in \d+ ms/.test(errs.get(p)!.text)) {
    if (Date.now() > deadline || p.exitCode !== null) throw new Error(`the recorder did not start: ${errs.get(p)!.text}`);
    await sleep(50);
  }
}

async function stop(p: ChildProcess): Promise<number | null> {
  recorders.delete(p);
  if (p.exitCode !== null) return p.exitCode;
  p.kill('SIGTERM');
  const killer = setTimeout(() => p.kill('SIGKILL'), 15_000);
  return new Promise((r) => p.once('exit', (c) => { clearTimeout(killer); r(c); }));
}

interface LogLine { netid: string; localPort: number; peerPort: number; bytesSent: number; bytesReceived: number; durationMs: number; closedBy: string; openedAt: string; closedAt: string; pid: number | null; command: string | null }
function readLog(db: string, extra: string[] = []): LogLine[] {
  const r = runCli(['log', '--db', db, '--json', ...extra]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine);
}

let ns: Netns;
let server: ChildProcess;
let dir: string;

describe('sockscope record and log', { timeout: 120_000 }, () => {
  before(async () => {
    buildCli();
    dir = mkdtempSync(join(tmpdir(), 'sockscope-record-'));
    ns = createNetns('record');
    server = spawn('ip', ['netns', 'exec', ns.name, 'python3', '-c', SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
    outputOf(server);
    await waitLine(server, 'ready');
  });
  after(() => {
    for (const p of recorders) p.kill('SIGKILL');
    server?.kill('SIGKILL');
    ns?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs long and short connections with their bytes and durations; time travel and timeline match ss', async () => {
    const db = join(dir, 'events.db');
    const rec = startRecorder(ns, db);
    await waitRecording(rec);
    await sleep(2 * INTERVAL);
    // Long connections, held over several refreshes.
    const long = clients(ns, 7401, 3, 3000, 5000, 2.5);
    await waitLine(long, 'open');
    // While they are held: what ss lists now, against the recording's moment.
    await sleep(3 * INTERVAL);
    const moment = Date.now();
    const listed = parseSs(runSs(ns.name, ['-tan']).stdout, 'tcp');
    await sleep(2 * INTERVAL);
    // Short connections, each opened and closed well within one refresh.
    const short = clients(ns, 7402, 5, 1234, 4321, 0);
    await waitLine(short, 'closed');
    await waitLine(long, 'closed');
    await sleep(4 * INTERVAL);
    assert.equal(await stop(rec), 0, errs.get(rec)!.text);

    const log = readLog(db);
    const clientSide = (port: number): LogLine[] => log.filter((l) => l.peerPort === port);
    const longs = clientSide(7401);
    const shorts = clientSide(7402);
    assert.equal(longs.length, 3, JSON.stringify(log));
    assert.equal(shorts.length, 5, JSON.stringify(log));
    for (const l of [...longs, ...shorts]) {
      const [sent, received] = l.peerPort === 7401 ? [3000, 5000] : [1234, 4321];
      assert.equal(l.bytesSent, sent);
      // tcpi_bytes_received counts the peer's FIN when it came before the close
      assert.ok(l.bytesReceived === received || l.bytesReceived === received + 1, `received ${l.bytesReceived}`);
      assert.equal(l.closedBy, 'kernel-event');
      assert.equal(l.durationMs, Date.parse(l.closedAt) - Date.parse(l.openedAt));
    }
    for (const l of longs) assert.ok(l.durationMs >= 2500 - INTERVAL && l.durationMs <= 2500 + 3 * INTERVAL, `long one lasted ${l.durationMs} ms`);
    // Shorter than a refresh: opened after the refresh before its close (at most one interval before).
    for (const l of shorts) assert.ok(l.durationMs <= INTERVAL + 200, `short one lasted ${l.durationMs} ms`);
    // The server side of each is there too, and has its process (the listener's).
    const serverSide = log.filter((l) => l.localPort === 7401 || l.localPort === 7402);
    assert.equal(serverSide.length, 8);
    assert.ok(serverSide.every((l) => l.command === 'python3'), JSON.stringify(serverSide));

    const r = new Recording(db);
    try {
      const at = r.socketsAt(moment);
      const key = (s: { state: string | number; localAddress: string | null; localPort: number; peerAddress: string | null; peerPort: number }): string => `${s.state} ${s.localAddress}:${s.localPort} ${s.peerAddress}:${s.peerPort}`;
      const STATE: Record<number, string> = { 1: 'ESTAB', 10: 'LISTEN', 6: 'TIME-WAIT' };
      const recorded = at.sockets.map((s) => key({ ...s, state: STATE[s.state] ?? String(s.state), peerAddress: s.peerAddress === '0.0.0.0' ? '0.0.0.0' : s.peerAddress })).sort();
      const fromSs = listed.map((s) => key({ state: s.state, localAddress: s.localAddress, localPort: s.localPort, peerAddress: s.peerAddress ?? '0.0.0.0', peerPort: s.peerPort ?? 0 })).sort();
      assert.deepEqual(recorded, fromSs);
      const tl = r.timeline(at.at!, at.at!);
      assert.equal(tl.byState.get(1)?.[0], listed.filter((s) => s.state === 'ESTAB').length);
      assert.equal(tl.byState.get(10)?.[0], listed.filter((s) => s.state === 'LISTEN').length);
    } finally {
      r.close();
    }
    // The ss filter language over stored rows, and --since
    assert.equal(readLog(db, ['dport', '=', ':7402']).length, 5);
    assert.equal(readLog(db, ['--since', '1h', 'sport', '=', ':7401']).length, 3);
    assert.equal(readLog(db, ['--until', '1h']).length, 0);
  });

  it('without destroy events, closes come from refreshes and say so', async () => {
    const db = join(dir, 'watch.db');
    const rec = startRecorder(ns, db, ['--no-events']);
    await waitRecording(rec);
    await sleep(2 * INTERVAL);
    const long = clients(ns, 7401, 2, 3000, 5000, 1.5);
    await waitLine(long, 'closed');
    await sleep(4 * INTERVAL);
    assert.equal(await stop(rec), 0);
    const longs = readLog(db).filter((l) => l.peerPort === 7401);
    assert.equal(longs.length, 2);
    for (const l of longs) {
      assert.equal(l.closedBy, 'watch');
      assert.equal(l.bytesSent, 3000);
      assert.ok(l.bytesReceived === 5000 || l.bytesReceived === 5001);
    }
  });

  it('the sqlite3 tool opens a recording and its connections view', { skip: spawnSync('sqlite3', ['-version']).status !== 0 && 'no sqlite3' }, () => {
    const q = spawnSync('sqlite3', [join(dir, 'events.db'), 'PRAGMA integrity_check; SELECT count(*) FROM connections WHERE peer_port = 7402;'], { encoding: 'utf8' });
    assert.equal(q.stdout, 'ok\n5\n', q.stderr);
  });
});
