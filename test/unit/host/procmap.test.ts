// The /proc process map: our own sockets appear with our pid, name and descriptors, the same from
// the synchronous scan and from the worker-thread scan.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { ProcessMapJob, readProcessMap } from '../../../src/host/process-map';

let server: Server;

function ownSocketInodes(): Map<number, number> {
  const out = new Map<number, number>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) out.set(Number(m[1]), Number(fd));
    } catch { /* closed meanwhile */ }
  }
  return out;
}

describe('process map', () => {
  before(async () => {
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  });
  after(() => server.close());

  for (const [name, read] of [['readProcessMap', () => readProcessMap()], ['ProcessMapJob', () => new ProcessMapJob().join()]] as const) {
    it(`${name} finds this process's sockets`, () => {
      const own = ownSocketInodes();
      assert.ok(own.size > 0);
      const comm = readFileSync('/proc/self/comm', 'utf8').trim();
      const map = read().byInode;
      for (const [inode, fd] of own) {
        const refs = map.get(inode) ?? [];
        assert.ok(refs.some((p) => p.pid === process.pid && p.fd === fd && p.name === comm), `inode ${inode} fd ${fd}: ${JSON.stringify(refs)}`);
      }
    });
  }

  it('a missing /proc gives an empty map, not an error', () => {
    assert.equal(readProcessMap('/nonexistent-proc').byInode.size, 0);
    assert.equal(new ProcessMapJob('/nonexistent-proc').join().byInode.size, 0);
  });
});
