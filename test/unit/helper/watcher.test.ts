// The helper's Watch: first tick a snapshot in chunks, then only deltas (added / changed / removed
// keys), nothing for an unchanged tick, one error message per distinct failure; applying the
// messages with WatchState reproduces the source's latest set.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WatchUpdateNotification } from '../../../src/protocol/helper-protocol';
import type { Notify } from '../../../src/helper/rpc-server';
import type { SocketRecord } from '../../../src/protocol/socket-record';
import { WatchState } from '../../../src/protocol/watch-state';
import type { SocketSource } from '../../../src/helper/socket-engine';
import { Watch } from '../../../src/helper/watcher';

const rec = (cookie: string, recvQ = 0): SocketRecord => ({
  netid: 'tcp', state: 'ESTAB', family: 'inet', recvQ, sendQ: 0, localAddress: '127.0.0.1', localPort: 1,
  peerAddress: '127.0.0.1', peerPort: 2, iface: null, inode: 5, uid: 0, cookie,
});

function source(current: () => SocketRecord[] | Error): SocketSource {
  return {
    check: () => undefined,
    dump: (_q, on) => {
      const c = current();
      if (c instanceof Error) throw c;
      for (const r of c) on(r);
      return { count: c.length, invisibleProcesses: 0 };
    },
    lookup: () => null,
    kill: () => ({ killed: [], failed: [] }),
    subscribeDestroyed: () => ({ close: () => undefined }),
  };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 30));

describe('Watch', () => {
  it('sends a chunked snapshot, then deltas, and nothing when nothing changed', async () => {
    let set: SocketRecord[] | Error = [rec('1'), rec('2'), rec('3'), rec('4'), rec('5')];
    const sent: WatchUpdateNotification[] = [];
    const notify: Notify = async (_type, p) => { sent.push(p as WatchUpdateNotification); };
    const w = new Watch({ watchId: 'w', intervalMs: 10_000, query: {}, chunkSize: 2 }, source(() => set), notify);
    const state = new WatchState();
    const tick = async (): Promise<void> => { await (w as unknown as { tick(): Promise<void> }).tick(); };
    await tick();
    assert.deepEqual(sent.map((u) => [u.seq, u.part, u.last, u.snapshot, u.added.length]), [[0, 0, false, true, 2], [0, 1, false, true, 2], [0, 2, true, true, 1]]);
    for (const u of sent) state.apply(u);
    assert.equal(state.records.size, 5);

    sent.length = 0;
    await tick();
    assert.equal(sent.length, 0, 'unchanged tick not sent');

    set = [rec('2', 7), rec('3'), rec('4'), rec('6'), rec('7')];
    await tick();
    assert.ok(sent.every((u) => !u.snapshot));
    assert.deepEqual(sent.flatMap((u) => u.added.map((r) => r.cookie)).sort(), ['6', '7']);
    assert.deepEqual(sent.flatMap((u) => u.changed.map((r) => r.cookie)), ['2']);
    assert.deepEqual(sent.flatMap((u) => u.removed).sort(), ['1', '5']);
    assert.ok(sent.every((u) => u.added.length + u.changed.length + u.removed.length <= 2));
    for (const u of sent) state.apply(u);
    assert.deepEqual([...state.records.values()].map((r) => JSON.stringify(r)).sort(), set.map((r) => JSON.stringify(r)).sort());

    sent.length = 0;
    set = new Error('namespace gone');
    await tick();
    await tick();
    assert.equal(sent.length, 1, 'one message per distinct error');
    assert.equal(sent[0].error, 'namespace gone');
    assert.equal(sent[0].last, true);

    sent.length = 0;
    set = [rec('3')];
    await tick();
    for (const u of sent) state.apply(u);
    assert.deepEqual([...state.records.keys()], ['3']);
    assert.equal(state.error, undefined);
    w.stop();
  });

  it('ticks on its timer until stopped', async () => {
    let n = 0;
    const w = new Watch({ watchId: 'w', intervalMs: 100, query: {} }, source(() => { n++; return [rec(String(n))]; }), async () => undefined);
    w.start();
    await settle();
    await new Promise((r) => setTimeout(r, 250));
    w.stop();
    const seen = n;
    await new Promise((r) => setTimeout(r, 250));
    assert.ok(seen >= 2, `ticked ${seen} times`);
    assert.equal(n, seen, 'no tick after stop');
  });

  it('keyed dumps: builds only changed records, and a tick failing half-way changes nothing', async () => {
    // [cookie, content]; 'fail' throws after the sockets before it were seen.
    let set: [string, number][] = [['1', 0], ['2', 0], ['3', 0]];
    let failAfter = -1;
    let built = 0;
    const src = source(() => []);
    src.dumpKeyed = (_q, on) => {
      set.forEach(([cookie, q], i) => {
        if (i === failAfter) throw new Error('netlink failed');
        on({ key: Number(cookie), fingerprint: `q${q}`, build: () => { built++; return rec(cookie, q); } });
      });
      return { count: set.length, invisibleProcesses: 0 };
    };
    const sent: WatchUpdateNotification[] = [];
    const notify: Notify = async (_type, p) => { sent.push(p as WatchUpdateNotification); };
    const w = new Watch({ watchId: 'k', intervalMs: 10_000, query: {} }, src, notify);
    const state = new WatchState();
    const tick = async (): Promise<void> => { await (w as unknown as { tick(): Promise<void> }).tick(); for (const u of sent) state.apply(u); sent.length = 0; };
    await tick();
    assert.equal(built, 3);
    await tick();
    assert.equal(built, 3, 'unchanged sockets are not built');

    // Changes and a new socket seen, then the dump fails: none of it may count as sent.
    set = [['1', 5], ['4', 0], ['2', 0], ['3', 0]];
    failAfter = 2;
    await tick();
    assert.equal(state.error, 'netlink failed');
    failAfter = -1;
    set = [['1', 5], ['4', 0], ['3', 0]];
    await tick();
    assert.deepEqual([...state.records.values()].map((r) => `${r.cookie}:${r.recvQ}`).sort(), ['1:5', '3:0', '4:0']);
    assert.equal(state.error, undefined);
    w.stop();
  });
});
