// Applying watch updates: a snapshot in parts replaces the state, deltas add/change/remove by key.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WatchUpdateNotification } from '../../../src/protocol/helper-protocol';
import type { SocketRecord } from '../../../src/protocol/socket-record';
import { recordKey, WatchState } from '../../../src/protocol/watch-state';

const rec = (cookie: string, recvQ = 0): SocketRecord => ({
  netid: 'tcp', state: 'ESTAB', family: 'inet', recvQ, sendQ: 0, localAddress: '127.0.0.1', localPort: 1,
  peerAddress: '127.0.0.1', peerPort: 2, iface: null, inode: 5, uid: 0, cookie,
});

function upd(p: Partial<WatchUpdateNotification>): WatchUpdateNotification {
  return { watchId: 'w', seq: 0, part: 0, last: true, snapshot: false, added: [], changed: [], removed: [], ...p };
}

describe('WatchState', () => {
  it('applies a snapshot in parts, then deltas', () => {
    const s = new WatchState();
    s.records.set('stale', rec('stale'));
    let t = s.apply(upd({ snapshot: true, last: false, added: [rec('1'), rec('2')] }));
    assert.equal(t.complete, false);
    assert.equal(s.records.has('stale'), false);
    t = s.apply(upd({ snapshot: true, part: 1, added: [rec('3')] }));
    assert.equal(t.complete, true);
    assert.equal(s.lastSeq, 0);
    assert.deepEqual([...s.records.keys()].sort(), ['1', '2', '3']);
    t = s.apply(upd({ seq: 1, added: [rec('4')], changed: [rec('2', 9)], removed: ['1', 'missing'] }));
    assert.deepEqual([...s.records.keys()].sort(), ['2', '3', '4']);
    assert.equal(s.records.get('2')!.recvQ, 9);
    assert.deepEqual(t.removed.map((r) => r.cookie), ['1']);
    s.apply(upd({ seq: 2, snapshot: true, added: [rec('9')] }));
    assert.deepEqual([...s.records.keys()], ['9']);
  });

  it('keys records without a cookie by kind, inode and addresses', () => {
    assert.equal(recordKey(rec('ab')), 'ab');
    assert.equal(recordKey(rec('0')), 'tcp/5/127.0.0.1/1/127.0.0.1/2');
  });
});
