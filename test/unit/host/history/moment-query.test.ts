// The sockets at a moment come back whole from socketsAt's packed read: every field, nulls included,
// as `sockets` holds them.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyBatch } from '../../../../src/host/history/batch';
import { Recording } from '../../../../src/host/history/queries';
import { hasNodeSqlite } from '../../../../src/host/history/sqlite';
import { HistoryWriter } from '../../../../src/host/history/writer';

const dir = mkdtempSync(join(tmpdir(), 'sockscope-moment-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ENGINES = (['wasm', 'node:sqlite'] as const).filter((e) => e === 'wasm' || hasNodeSqlite());

for (const engine of ENGINES) {
  describe(`sockets at a moment (${engine})`, () => {
    it('every field of every listed socket, with its state then, nulls and large values included', () => {
      const path = join(dir, `${engine}.db`);
      const w = new HistoryWriter(path, { engine });
      const b = emptyBatch();
      const t0 = 1_800_000_000_000;
      const want = [];
      for (let i = 1; i <= 40; i++) {
        const o = {
          id: i, netid: i % 10, netns: null, localAddress: i % 3 ? `10.0.${i}.1` : null, localPort: i % 4 ? 65535 - i : 0,
          peerAddress: i % 5 ? `fd00::${i}` : null, peerPort: i * 1000, pid: i % 6 ? 4_194_304 - i : null, command: i % 7 ? `cmd-${i}` : null,
          state: 1 + (i % 11), openedAt: t0 - i, seenFrom: t0 - 1000,
        };
        b.opened.push(o);
        if (i % 2) b.states.push([i, t0 - 500, 6]);
        want.push({ id: i, netid: ['tcp', 'udp', 'raw', 'mptcp', 'u_str', 'u_dgr', 'u_seq', 'p_raw', 'p_dgr', 'nl'][o.netid], state: i % 2 ? 6 : o.state,
          localAddress: o.localAddress, localPort: o.localPort, peerAddress: o.peerAddress, peerPort: o.peerPort, pid: o.pid, command: o.command, openedAt: o.openedAt });
      }
      b.ticks.push([t0 - 1000, 40, 1], [t0, 40, 0]);
      w.write(b, 0);
      w.close();
      const rec = new Recording(path, { engine });
      const got = rec.socketsAt(t0);
      rec.close();
      assert.equal(got.at, t0);
      assert.deepEqual(got.sockets, want);
    });
  });
}
