// The recording survives what happens to recorders and disks: kill -9 during heavy writes leaves a
// file that opens, passes PRAGMA integrity_check and lost at most the batch in flight (and a new
// recorder takes the file over); a full disk, a read-only file system and a damaged file are said in
// one clear line, and a recorder whose disk filled keeps running until told to stop.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetns, type Netns } from './lib/netns';
import { buildCli, CLI, runCli } from './lib/ss';
import { Recording } from '../../src/host/history/queries';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const hasSqlite3 = spawnSync('sqlite3', ['-version']).status === 0;

/** Many open connections and a steady churn of short ones: heavy batches. */
const CHURN = `
import socket, threading, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', 7501)); l.listen(1024)
def acc():
    while True:
        a, _ = l.accept(); a.close()
threading.Thread(target=acc, daemon=True).start()
keep = []
for i in range(300):
    keep.append(socket.create_connection(('127.0.0.1', 7501)))
end = time.time() + 60
while time.time() < end:
    c = socket.create_connection(('127.0.0.1', 7501)); c.sendall(b'x' * 100); c.close()
    time.sleep(0.004)
`;

let ns: Netns;
let churn: ChildProcess;
let dir: string;
const mounts: string[] = [];
const children = new Set<ChildProcess>();

function record(db: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): { p: ChildProcess; err: () => string } {
  const p = spawn(process.execPath, [CLI, 'record', '--db', db, '--interval', '100ms', '-N', ns.name, ...extra], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  children.add(p);
  let err = '';
  p.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  return { p, err: () => err };
}
function exited(p: ChildProcess): Promise<number | null> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p.exitCode);
  return new Promise((r) => p.once('exit', (c) => r(c)));
}
function tmpfs(name: string, size: string): string {
  const m = join(dir, name);
  mkdirSync(m);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', m], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount tmpfs: ${r.stderr}`);
  mounts.push(m);
  return m;
}

describe('history crash safety and disk errors', { timeout: 120_000 }, () => {
  before(async () => {
    buildCli();
    dir = mkdtempSync(join(tmpdir(), 'sockscope-crash-'));
    ns = createNetns('crash');
    churn = spawn('ip', ['netns', 'exec', ns.name, 'python3', '-c', CHURN], { stdio: 'ignore' });
    await sleep(1500);
  });
  after(() => {
    for (const p of children) p.kill('SIGKILL');
    churn?.kill('SIGKILL');
    for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
    ns?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 during heavy writes: the file opens, is intact, lost at most the batch in flight', async () => {
    const db = join(dir, 'killed.db');
    // SOCKSCOPE_DEBUG: the recorder says each batch it has on disk.
    const { p, err } = record(db, [], { SOCKSCOPE_DEBUG: '1' });
    const written = (): number => Math.max(0, ...[...err().matchAll(/history batch (\d+) written/g)].map((m) => Number(m[1])));
    const deadline = Date.now() + 30_000;
    while (written() < 8 && Date.now() < deadline) await sleep(50);
    p.kill('SIGKILL');
    await exited(p);
    const acknowledged = written();
    assert.ok(acknowledged >= 8, `only ${acknowledged} batches written: ${err()}`);
    if (hasSqlite3) {
      const q = spawnSync('sqlite3', [db, 'PRAGMA integrity_check;'], { encoding: 'utf8' });
      assert.equal(q.stdout, 'ok\n', q.stderr);
    }
    const r = new Recording(db);
    const span = r.span();
    const ticks = r.timeline(0, 1e15).at.length;
    const closed = [...r.log(0, 1e15)].length;
    r.close();
    assert.ok(span !== null, 'refreshes were written');
    // Every batch written before the kill is there (each holds at least one refresh): at most the one in flight was lost.
    assert.ok(ticks >= acknowledged, `${ticks} refreshes on disk, ${acknowledged} batches acknowledged`);
    assert.ok(closed > 20, `${closed} closed connections logged`);
    // A new recorder takes the file over (the killed one's lock is stale) and appends.
    const again = record(db, ['--duration', '4s']);
    assert.equal(await exited(again.p), 0, again.err());
    const r2 = new Recording(db);
    assert.ok(r2.span()!.to > span.to, 'the second recording appended');
    r2.close();
  });

  it('a full disk is said once, and the recorder keeps running until stopped', async () => {
    const m = tmpfs('full', '160k');
    const { p, err } = record(join(m, 'h.db'));
    const deadline = Date.now() + 30_000;
    while (!/disk is full/.test(err()) && Date.now() < deadline && p.exitCode === null) await sleep(200);
    assert.match(err(), /h\.db: the disk is full; history is not being written/);
    await sleep(500);
    assert.equal(p.exitCode, null, 'still running');
    p.kill('SIGTERM');
    assert.equal(await exited(p), 0, err());
    assert.equal(err().split('\n').filter((l) => /disk is full/.test(l)).length, 1, 'said once');
  });

  it('a read-only file system and a damaged file give a clear message and exit 1', async () => {
    const m = tmpfs('ro', '4m');
    const first = record(join(m, 'h.db'));
    await sleep(800);
    first.p.kill('SIGTERM');
    assert.equal(await exited(first.p), 0, first.err());
    assert.equal(spawnSync('mount', ['-o', 'remount,ro', m]).status, 0);
    const ro = record(join(m, 'h.db'));
    assert.equal(await exited(ro.p), 1);
    assert.match(ro.err(), /^sockscope: .*h\.db: cannot write the recording \(read-only file or folder\)/m);

    const bad = join(dir, 'bad.db');
    writeFileSync(bad, Buffer.alloc(8192, 0x5a));
    const r = record(bad);
    assert.equal(await exited(r.p), 1);
    assert.match(r.err(), /bad\.db: not a Sockscope recording or damaged/);
    const l = runCli(['log', '--db', bad]);
    assert.equal(l.status, 1);
    assert.match(l.stderr, /^sockscope: .*bad\.db: not a Sockscope recording or damaged/);
    assert.equal(l.stderr.trim().split('\n').length, 1);
  });
});
