// The timeline's process picker reads every process the recording tied sockets to, not those at its end.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyBatch } from '../../../../src/host/history/batch';
import { Recording } from '../../../../src/host/history/queries';
import { recordedProcesses } from '../../../../src/host/history/recorded-processes';
import { hasNodeSqlite } from '../../../../src/host/history/sqlite';
import { HistoryWriter } from '../../../../src/host/history/writer';

const dir = mkdtempSync(join(tmpdir(), 'sockscope-processes-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ENGINES = (['wasm', 'node:sqlite'] as const).filter((e) => e === 'wasm' || hasNodeSqlite());

for (const engine of ENGINES) {
  describe(`recorded processes (${engine})`, () => {
    it('every process with sockets, exited ones and reused pids included, the busiest first', () => {
      const path = join(dir, `${engine}.db`);
      const w = new HistoryWriter(path, { engine });
      const t0 = 1_800_000_000_000;
      const b = emptyBatch();
      const open = (id: number, pid: number | null, command: string | null, openedAt: number): void => {
        b.opened.push({ id, netid: 0, netns: null, localAddress: '127.0.0.1', localPort: 1000 + id, peerAddress: '127.0.0.1', peerPort: 80, pid, command, state: 1, openedAt, seenFrom: openedAt });
      };
      // "old" ran early and exited: its two sockets closed long before the recording's end.
      open(1, 10, 'old', t0); open(2, 10, 'old', t0 + 1000);
      b.closed.push({ id: 1, at: t0 + 5000, by: 2, state: 7, bytesSent: null, bytesReceived: null, retrans: null });
      b.gone.push([2, t0 + 6000]);
      // pid 20 held by "db" (3 sockets, still open at the end), later reused by "cron" (1 socket).
      open(3, 20, 'db', t0); open(4, 20, 'db', t0); open(5, 20, 'db', t0 + 2000); open(6, 20, 'cron', t0 + 9000);
      // No process known, and one tied to its process later (an owner found at a later refresh).
      open(7, null, null, t0); open(8, null, null, t0 + 3000);
      b.owners.push([8, 30, 'late']);
      b.ticks.push([t0, 6, 1], [t0 + 10_000, 5, 0]);
      w.write(b, 0);
      w.close();
      const rec = new Recording(path, { engine });
      const all = recordedProcesses(rec, 100);
      const few = recordedProcesses(rec, 2);
      rec.close();
      assert.deepEqual(all.processes, [
        { pid: 20, command: 'db', sockets: 3, from: t0, to: t0 + 10_000 },
        { pid: 10, command: 'old', sockets: 2, from: t0, to: t0 + 6000 },
        { pid: 20, command: 'cron', sockets: 1, from: t0 + 9000, to: t0 + 10_000 },
        { pid: 30, command: 'late', sockets: 1, from: t0 + 3000, to: t0 + 10_000 },
      ]);
      assert.equal(all.total, 4);
      assert.deepEqual([few.total, few.processes.length], [4, 2], 'the limit keeps the total');
    });
  });
}
