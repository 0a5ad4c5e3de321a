// LiveProcessMap on the real /proc: a process that opens a socket after the first scan is found
// by the next update, one that swaps a socket under the same descriptor number is found by the
// search for unknown inodes, and one that exits disappears. (The fake-tree cases, pid reuse and
// budgets included, are in test/unit/helper/liveProcessMap.test.ts.)
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { LiveProcessMap } from '../../src/host/live-process-map';
import { readProcessMap } from '../../src/host/process-map';

// Unconnected sockets only: nothing reaches a network, so no namespace is needed.
const CHILD = String.raw`
import os, socket, sys
keep = []
for line in sys.stdin:
    cmd = line.strip()
    if cmd == 'open':
        keep.append(socket.socket())
    elif cmd == 'swap':
        fd = keep[-1].fileno(); keep.pop().close()
        s = socket.socket(); keep.append(s)
        assert s.fileno() == fd
    s = keep[-1]
    print(s.fileno(), os.fstat(s.fileno()).st_ino, flush=True)
`;

describe('LiveProcessMap on /proc', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  after(() => { child?.kill('SIGKILL'); });

  let out = '';
  const ask = (cmd: string): Promise<{ fd: number; inode: number }> => new Promise((resolve) => {
    // python -u writes print()'s parts separately: wait for the whole line.
    const onData = (d: Buffer): void => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const [fd, inode] = out.slice(0, nl).split(' ').map(Number);
      out = out.slice(nl + 1);
      child!.stdout.off('data', onData);
      resolve({ fd, inode });
    };
    child!.stdout.on('data', onData);
    child!.stdin.write(cmd + '\n');
  });

  it('follows a process opening, swapping and closing sockets', async () => {
    const m = new LiveProcessMap();
    m.update();
    child = spawn('python3', ['-u', '-c', CHILD]);
    const pid = child.pid!;
    const first = await ask('open');
    m.update();
    assert.deepEqual(m.map.byInode.get(first.inode), [{ pid, name: 'python3', fd: first.fd }], 'found by the next update');

    const second = await ask('open');
    m.update();
    assert.deepEqual(m.map.byInode.get(second.inode), [{ pid, name: 'python3', fd: second.fd }]);

    // Same descriptor number, same count: an update may not see it; the search does.
    const swapped = await ask('swap');
    assert.equal(swapped.fd, second.fd);
    m.update();
    assert.equal(m.resolve([swapped.inode], true), 1);
    assert.deepEqual(m.map.byInode.get(swapped.inode), [{ pid, name: 'python3', fd: swapped.fd }]);
    assert.equal(m.map.byInode.has(second.inode), false, 'the closed socket is forgotten');

    // The same as a full read for this process.
    const full = readProcessMap();
    for (const inode of [first.inode, swapped.inode]) assert.deepEqual(m.map.byInode.get(inode), full.byInode.get(inode));

    const exited = new Promise((r) => child!.once('exit', r));
    child.stdin.end();
    await exited;
    child = undefined;
    m.update();
    assert.equal(m.map.byInode.has(first.inode), false, 'an exited process disappears');
    assert.equal(m.map.byInode.has(swapped.inode), false);
  });
});
