// LiveProcessMap over a /proc-shaped directory tree (pid/stat, pid/fd/N -> 'socket:[inode]'), so
// every step is deterministic: what an update re-reads, new/exited/reused processes, and the search
// for inodes a descriptor swap hid. test/system/helper-procmap-live.test.ts runs it on real /proc.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LiveProcessMap } from '../../../src/host/live-process-map';
import { ProcessMapJob, readProcessMap } from '../../../src/host/process-map';

const root = mkdtempSync(join(tmpdir(), 'sockscope-liveprocmap-'));
after(() => rmSync(root, { recursive: true, force: true }));

let treeNo = 0;
function tree(): { dir: string; proc(pid: number, start: number, name: string): void; open(pid: number, fd: number, inode: number | string): void; close(pid: number, fd: number): void; exit(pid: number): void } {
  const dir = join(root, String(treeNo++));
  mkdirSync(dir);
  return {
    dir,
    proc(pid, start, name) {
      rmSync(join(dir, String(pid)), { recursive: true, force: true });
      mkdirSync(join(dir, String(pid), 'fd'), { recursive: true });
      // Fields 3..22 after "(name) ": state, then 18 numbers, then the start time.
      writeFileSync(join(dir, String(pid), 'stat'), `${pid} (${name}) S ${'0 '.repeat(18)}${start} 0 0\n`);
      writeFileSync(join(dir, String(pid), 'comm'), `${name}\n`);
    },
    open(pid, fd, inode) {
      symlinkSync(typeof inode === 'number' ? `socket:[${inode}]` : inode, join(dir, String(pid), 'fd', String(fd)));
    },
    close(pid, fd) {
      unlinkSync(join(dir, String(pid), 'fd', String(fd)));
    },
    exit(pid) {
      rmSync(join(dir, String(pid)), { recursive: true, force: true });
    },
  };
}

const held = (m: LiveProcessMap, inode: number): string[] => (m.map.byInode.get(inode) ?? []).map((r) => `${r.pid}:${r.name}:${r.fd}`);

describe('LiveProcessMap', () => {
  it('equals a full read, and an unchanged tick reads no descriptor', () => {
    const t = tree();
    t.proc(10, 100, 'server');
    t.open(10, 0, '/dev/null');
    t.open(10, 3, 500);
    t.open(10, 4, 501);
    t.proc(11, 101, 'worker');
    t.open(11, 5, 500);
    const m = new LiveProcessMap({ procRoot: t.dir });
    m.update();
    assert.deepEqual([...m.map.byInode].sort(), [...readProcessMap(t.dir).byInode].sort());
    assert.deepEqual(held(m, 500), ['10:server:3', '11:worker:5']);
    assert.deepEqual([m.pidOf(500), m.pidOf(501), m.pidOf(502), m.nameOf(11)], [-1, 10, 0, 'worker'], 'several holders, one, none');
    const links = m.stats.linksRead;
    m.update();
    assert.equal(m.stats.linksRead, links, 'nothing re-read');
  });

  it('seeded with a one-pass read (the helper warm-up), equals a full read and re-reads no socket link', () => {
    const t = tree();
    t.proc(30, 300, 'db');
    t.open(30, 0, '/dev/null');
    for (let fd = 3; fd < 100; fd++) t.open(30, fd, 3000 + fd);
    t.proc(31, 301, 'tiny');
    t.open(31, 3, 3003);
    const m = new LiveProcessMap({ procRoot: t.dir });
    const seed = readProcessMap(t.dir);
    m.seed(seed);
    assert.deepEqual(held(m, 3003), ['30:db:3', '31:tiny:3']);
    // A list the seed had as it is kept is the seed's own (no copy per socket, no room to grow).
    assert.equal(m.map.byInode.get(3004), seed.byInode.get(3004));
    t.open(30, 100, 4000); // opened after the warm-up's read
    m.update();
    assert.deepEqual([...m.map.byInode].sort(), [...readProcessMap(t.dir).byInode].sort());
    // The large process: its listing, then only the numbers the seed lacked (fd 0 and the new one).
    assert.equal(m.stats.linksRead, 2 + 1, 'the small process is re-read whole (1 link)');
    const links = m.stats.linksRead;
    m.update();
    assert.equal(m.stats.linksRead, links, 'nothing re-read');
    // A holder renamed since the read: its list is a copy with the new name, the seed's left as it was.
    const r = new LiveProcessMap({ procRoot: t.dir });
    const older = readProcessMap(t.dir);
    t.proc(31, 301, 'renamed');
    r.seed(older);
    assert.deepEqual(held(r, 3003), ['30:db:3', '31:renamed:3']);
    assert.deepEqual(older.byInode.get(3003)?.map((p) => p.name), ['db', 'tiny']);
    t.proc(31, 301, 'tiny');
    t.open(31, 3, 3003);
    // A ProcessMapJob's read carries each process's count: the update after it reads nothing.
    const j = new LiveProcessMap({ procRoot: t.dir });
    j.seed(new ProcessMapJob(t.dir).join());
    j.update();
    assert.equal(j.stats.linksRead, 0);
    assert.equal(j.stats.pidsListed, 0);
    assert.deepEqual([...j.map.byInode].sort(), [...readProcessMap(t.dir).byInode].sort());
  });

  it('finds a socket opened after the first scan, reading only the new descriptor', () => {
    const t = tree();
    t.proc(20, 200, 'srv');
    for (let fd = 3; fd < 100; fd++) t.open(20, fd, 1000 + fd); // large: read by new numbers only
    const m = new LiveProcessMap({ procRoot: t.dir });
    m.update();
    const links = m.stats.linksRead;
    const before = m.map.byInode.get(1003);
    t.open(20, 100, 2000);
    m.update();
    assert.deepEqual(held(m, 2000), ['20:srv:100']);
    assert.equal(m.stats.linksRead, links + 1, 'one link read');
    assert.equal(m.map.byInode.get(1003), before, 'unchanged lists keep their identity');
    const serial = m.serialOf(1003);
    assert.ok(serial > 0);
    assert.equal(m.serialOf(99999), 0, 'unknown inode');
    t.open(20, 101, 1003); // a dup
    m.update();
    assert.deepEqual(held(m, 1003), ['20:srv:3', '20:srv:101']);
    assert.equal(m.pidOf(1003), 20, 'one process holding it twice');
    assert.ok(m.serialOf(1003) > 0 && m.serialOf(1003) !== serial, 'a changed list gets a new serial');
  });

  it('re-reads a small process whole when its count changes (a reused number is seen at once)', () => {
    const t = tree();
    t.proc(25, 250, 'small');
    t.open(25, 3, 2500);
    const m = new LiveProcessMap({ procRoot: t.dir });
    m.update();
    t.close(25, 3);
    t.open(25, 3, 2501);
    t.open(25, 4, 2502);
    m.update();
    assert.deepEqual(held(m, 2501), ['25:small:3']);
    assert.equal(m.map.byInode.has(2500), false);
  });

  it('forgets a process that exits and a descriptor that closes', () => {
    const t = tree();
    t.proc(30, 300, 'a');
    t.open(30, 3, 3000);
    t.open(30, 4, 3001);
    t.proc(31, 301, 'b');
    t.open(31, 3, 3001);
    const m = new LiveProcessMap({ procRoot: t.dir });
    m.update();
    t.exit(31);
    t.close(30, 4);
    m.update();
    assert.deepEqual(held(m, 3000), ['30:a:3']);
    assert.equal(m.map.byInode.has(3001), false);
  });

  it('does not confuse a reused pid with the process that had it', () => {
    const t = tree();
    t.proc(40, 400, 'old');
    t.open(40, 3, 4000);
    const m = new LiveProcessMap({ procRoot: t.dir });
    m.update();
    // Same pid, same descriptor count, another process (start time differs).
    t.proc(40, 999, 'new');
    t.open(40, 3, 4001);
    m.update();
    assert.equal(m.map.byInode.has(4000), false);
    assert.deepEqual(held(m, 4001), ['40:new:3']);
  });

  it('searches for an inode hidden by a descriptor swap, and remembers one nobody holds', () => {
    const t = tree();
    t.proc(50, 500, 'p');
    t.open(50, 3, 5000);
    t.proc(51, 501, 'q');
    t.open(51, 3, 5100);
    const m = new LiveProcessMap({ procRoot: t.dir });
    m.update();
    // Closed and reused under the same number: the count did not change.
    t.close(51, 3);
    t.open(51, 3, 5101);
    m.update();
    assert.deepEqual(held(m, 5101), [], 'an update alone cannot see it');
    assert.equal(m.resolve([5101], true), 1);
    assert.deepEqual(held(m, 5101), ['51:q:3']);
    assert.equal(m.map.byInode.has(5100), false, 'the closed socket is gone');
    // A socket no process holds (say, of a process we cannot read): one round, then remembered.
    assert.equal(m.resolve([7777], true), 0);
    const searched = m.stats.searched;
    assert.equal(m.resolve([7777], true), 0);
    assert.equal(m.stats.searched, searched, 'not searched for again');
  });

  it('takes a changed process name from stat', () => {
    const t = tree();
    t.proc(60, 600, 'before');
    t.open(60, 3, 6000);
    const m = new LiveProcessMap({ procRoot: t.dir });
    m.update();
    writeFileSync(join(t.dir, '60', 'stat'), `60 (after) S ${'0 '.repeat(18)}600 0 0\n`);
    m.update();
    assert.deepEqual(held(m, 6000), ['60:after:3']);
  });

  it('searches on a budget', () => {
    const t = tree();
    for (let pid = 70; pid < 80; pid++) { t.proc(pid, pid, 'x'); t.open(pid, 3, pid * 100); }
    let now = 0;
    // At most 40 ms saved up; each whole-process re-read costs 10 ms of this clock.
    const m = new LiveProcessMap({ procRoot: t.dir, clock: () => now, maxCreditMs: 40 });
    m.update();
    const inner = m as unknown as { scan: (...a: unknown[]) => boolean };
    const scan = inner.scan.bind(m);
    inner.scan = (...a) => { now += 10; return scan(...a); };
    now += 10_000;
    const before = m.stats.searched;
    m.resolve([123456]);
    assert.equal(m.stats.searched - before, 4, 'four re-reads fit in 40 ms');
    m.resolve([123456]);
    const second = m.stats.searched - before - 4;
    assert.ok(second <= 1, `the budget is spent (${second} more; the 40 ms spent earned 1.2 ms)`);
    now += 1000;
    m.resolve([123456]);
    const third = m.stats.searched - before - 4 - second;
    assert.ok(third >= 2 && third <= 4, `3% of 1 s buys about 30 ms (${third} re-reads)`);
  });

  it('searches first where it found sockets before', () => {
    const t = tree();
    for (let pid = 80; pid < 90; pid++) { t.proc(pid, pid, 'x'); t.open(pid, 3, pid * 100); }
    let now = 0;
    const m = new LiveProcessMap({ procRoot: t.dir, clock: () => now, maxCreditMs: 1000 });
    m.update();
    const inner = m as unknown as { scan: (...a: unknown[]) => boolean };
    const scan = inner.scan.bind(m);
    inner.scan = (...a) => { now += 10; return scan(...a); };
    // pid 89 swaps a socket under the same number, twice.
    t.close(89, 3); t.open(89, 3, 1);
    m.update();
    now += 100_000;
    assert.equal(m.resolve([1]), 1);
    t.close(89, 3); t.open(89, 3, 2);
    m.update();
    now += 400;
    const before = m.stats.searched;
    assert.equal(m.resolve([2]), 1, 'found in the process that had the last one');
    assert.equal(m.stats.searched - before, 1);
  });
});
