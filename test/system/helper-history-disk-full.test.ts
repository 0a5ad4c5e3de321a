// The disk fills while the helper records a view (the VS Code path; history-crash.test.ts has the CLI's):
// a recording in a small tmpfs, connections churning in a namespace until the disk is full. The helper
// says so once (`history/stopped`, the line the extension shows as one warning and in the Output
// channel), stops recording (the file does not grow even once there is room again), and the view goes
// on: its refreshes keep coming with the counts ss gives.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelperClient } from '../../src/client/connection/helper-client';
import { HISTORY_REQUESTS } from '../../src/protocol/history-requests';
import type { ViewChangedNotification } from '../../src/protocol/view-protocol';
import { buildHelper, HELPER_JS } from './lib/helper-rpc';
import { createNetns, type Netns } from './lib/netns';
import { runSs } from './lib/ss';

const INTERVAL = 200;
const PORT = 7621;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A listener, 20 connections held open, and a churn of short ones until stdin closes. */
const CHURN = `
import socket, sys, threading, time
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', ${PORT})); l.listen(1024)
held = []
def acc():
    while True:
        a, _ = l.accept(); held.append(a)
threading.Thread(target=acc, daemon=True).start()
keep = [socket.create_connection(('127.0.0.1', ${PORT})) for i in range(20)]
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
print('ready', flush=True)
while not done.is_set():
    c = socket.create_connection(('127.0.0.1', ${PORT})); c.sendall(b'x' * 100); c.close()
    time.sleep(0.002)
print('calm', flush=True)
time.sleep(3600)
`;

/** Every file of the folder and its size (the database and its side files). */
function sizes(dir: string): string {
  return readdirSync(dir).filter((f) => f !== 'filler').sort().map((f) => `${f}=${statSync(join(dir, f)).size}`).join(' ');
}

describe('a full disk while the helper records a view', { timeout: 120_000 }, () => {
  let ns: Netns;
  let dir: string;
  let mount: string | undefined;
  let client: HelperClient;
  const children = new Set<ChildProcess>();
  const logs: string[] = [];

  before(() => {
    buildHelper();
    dir = mkdtempSync(join(tmpdir(), 'sockscope-helper-full-'));
    const m = join(dir, 'small');
    mkdirSync(m);
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', m], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mount tmpfs: ${r.stderr}`);
    mount = m;
    ns = createNetns('hfull');
    client = new HelperClient({
      helperPath: HELPER_JS, nodePath: process.execPath, privilege: () => 'none', requestTimeoutMs: 20_000, restartDelayMs: 100,
      log: { info: (l) => logs.push(`info ${l}`), warn: (l) => logs.push(`warn ${l}`), error: (l) => logs.push(`error ${l}`) },
    });
  });
  after(async () => {
    await client?.stop();
    client?.dispose();
    for (const p of children) p.kill('SIGKILL');
    if (mount) spawnSync('umount', ['-l', mount]);
    ns?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says it once, stops recording, and the view keeps refreshing with the right counts', async () => {
    const db = join(mount!, 'history.db');
    closeSync(openSync(db, 'wx', 0o600));
    // Most of the 1 MB taken already, so the churn fills the rest in a few seconds.
    writeFileSync(join(mount!, 'filler'), Buffer.alloc(640 * 1024));
    const stopped: string[] = [];
    client.onHistoryStopped((p) => stopped.push(`${p.path}: ${p.message}`));
    const notes: ViewChangedNotification[] = [];
    const view = client.openView({ intervalMs: INTERVAL, query: { netns: { name: ns.name }, netids: ['tcp'] }, groupBy: 'state' }, (n) => { notes.push(n); });
    const churn = spawn('ip', ['netns', 'exec', ns.name, 'python3', '-c', CHURN], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.add(churn);
    let out = '';
    churn.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    try {
      while (!out.includes('ready') || notes.length === 0) await sleep(25);
      await client.request(HISTORY_REQUESTS['history/record'], { path: db, viewId: view.id, netns: { name: ns.name }, maxAgeMs: 3600_000, maxBytes: 64 << 20 });
      const deadline = Date.now() + 60_000;
      while (stopped.length === 0 && Date.now() < deadline) await sleep(50);
      assert.equal(stopped.length, 1, `history/stopped: ${JSON.stringify(stopped)} (files: ${sizes(mount!)})`);
      assert.match(stopped[0], /history\.db: .*history\.db: the disk is full; history is not being written/);

      // The churn stops (what is left is steady: the listener, 20 connections and their accepted ends).
      churn.stdin!.end();
      while (!out.includes('calm')) await sleep(25);
      // Room again: a recording still running would write now; a stopped one writes nothing.
      rmSync(join(mount!, 'filler'));
      await sleep(3 * INTERVAL);
      const before = sizes(mount!);
      const seqBefore = notes[notes.length - 1].seq;
      await sleep(8 * INTERVAL);
      assert.equal(sizes(mount!), before, 'nothing written after the recording stopped');
      assert.equal(stopped.length, 1, 'said once');

      // The view goes on: three more connections show in its next refreshes, with ss's ESTAB count.
      const more = spawn('ip', ['netns', 'exec', ns.name, 'python3', '-c',
        `import socket, time\nk = [socket.create_connection(('127.0.0.1', ${PORT})) for i in range(3)]\nprint('open', flush=True)\ntime.sleep(3600)`], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.add(more);
      let moreOut = '';
      more.stdout!.on('data', (d: Buffer) => { moreOut += d.toString(); });
      while (!moreOut.includes('open')) await sleep(25);
      const listed = runSs(ns.name, ['-tanH', 'state', 'established']).stdout.split('\n').filter((l) => l.trim()).length;
      assert.equal(listed, 46, 'ss: 23 connections, both ends');
      const until = Date.now() + 10_000;
      const estab = (n: ViewChangedNotification): number => n.counts.find(([s]) => s === 'ESTAB')?.[1] ?? 0;
      while (Date.now() < until && !(notes[notes.length - 1].seq > seqBefore && estab(notes[notes.length - 1]) === listed)) await sleep(50);
      const last = notes[notes.length - 1];
      assert.ok(last.seq > seqBefore, 'the view still refreshes');
      assert.equal(last.error, undefined);
      assert.equal(estab(last), listed, `view ESTAB ${estab(last)}, ss ${listed}`);
      assert.equal(client.state, 'running');
      assert.equal(logs.filter((l) => /disk is full/.test(l)).length <= 1, true, logs.join('\n'));
    } finally {
      view.dispose();
      churn.kill('SIGKILL');
    }
  });
});
