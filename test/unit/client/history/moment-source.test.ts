// The Sockets view's source at a recorded moment: groups (process, state, flat) and pages as the
// helper's live view sends them, group filters through history/moment, the view's own query, read
// only; and the times time travel reads and shows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryMomentParams, HistoryMomentResult, MomentRow } from '../../../../src/protocol/history-requests';
import type { ViewChangedNotification } from '../../../../src/protocol/view-protocol';
import { MomentSource, NO_RECORDED_PROCESS_LABEL } from '../../../../src/client/history/moment-source';
import { momentLabel, parseMomentText } from '../../../../src/client/history/moment-time';
import type { OpenRecording } from '../../../../src/client/history/history-client';
import { SocketTreeModel } from '../../../../src/client/tree/model';

const AT = 1_800_000_000_000;
const row = (id: number, state: number, localPort: number, peerPort: number, pid: number | null, command: string | null = null): MomentRow => ({
  id, netid: 'tcp', state, localAddress: '10.0.0.1', localPort, peerAddress: peerPort ? '10.0.0.2' : '0.0.0.0', peerPort, pid, command, openedAt: AT - 1000,
});
const ROWS = [row(1, 10, 80, 0, 7, 'nginx'), row(2, 1, 80, 40001, 7, 'nginx'), row(3, 1, 80, 40002, 7, 'nginx'), row(4, 6, 5555, 80, null), row(5, 1, 9000, 40003, 9, 'api')];

/** A recording whose moment filter understands `dport = :N` and `sport = :N` (the helper evaluates the real language). */
function recording(): { rec: OpenRecording; asked: HistoryMomentParams[] } {
  const asked: HistoryMomentParams[] = [];
  const rec = {
    id: 'rec-1', path: '/tmp/x.db',
    moment: (p: HistoryMomentParams): Promise<HistoryMomentResult> => {
      asked.push(p);
      const m = /^(d|s)port = :(\d+)$/.exec(p.filter ?? '');
      const keep = m ? ROWS.filter((r) => (m[1] === 'd' ? r.peerPort : r.localPort) === Number(m[2])) : ROWS;
      return Promise.resolve({ at: AT, total: keep.length, sockets: keep });
    },
  } as unknown as OpenRecording;
  return { rec, asked };
}
const live = { capabilities: () => Promise.reject(new Error('no')), listNamespaces: () => Promise.resolve([]) };
const next = (): { wait: Promise<ViewChangedNotification>; on: (n: ViewChangedNotification) => void } => {
  let on!: (n: ViewChangedNotification) => void;
  const wait = new Promise<ViewChangedNotification>((r) => { on = r; });
  return { wait, on: (n) => on(n) };
};

describe('MomentSource (time travel in the Sockets view)', () => {
  it('groups by process with the unknown group last, pages in address order, as the tree model reads them', async () => {
    const { rec } = recording();
    const src = new MomentSource(rec, AT + 500, { live });
    const first = next();
    const model = new SocketTreeModel('process');
    const h = src.openView({ intervalMs: 1000, query: {}, groupBy: 'process', expanded: [{ group: 'p:7', offset: 0, limit: 2 }] }, (n) => { model.apply(n); first.on(n); });
    const n = await first.wait;
    assert.equal(n.reset, true);
    assert.equal(n.total, 5);
    assert.deepEqual(n.groups!.map((g) => [g.key, g.label, g.count]), [['p:7', 'nginx (7)', 3], ['p:9', 'api (9)', 1], ['p:unknown', NO_RECORDED_PROCESS_LABEL, 1]]);
    assert.deepEqual(n.counts, [['ESTAB', 3], ['LISTEN', 1], ['TIME-WAIT', 1]]);
    assert.equal(n.pages[0].total, 3);
    assert.deepEqual(n.pages[0].rows.map((r) => [r.record.state, r.record.peerPort, r.record.processes?.[0]?.name]), [['ESTAB', 40001, 'nginx'], ['ESTAB', 40002, 'nginx']]);
    assert.equal(model.groups().length, 3);
    assert.equal(src.shownAt, AT);
    h.dispose();
  });

  it('regroups by state and flat, filters a group through the recording, and keeps the view\'s query', async () => {
    const { rec, asked } = recording();
    const src = new MomentSource(rec, AT, { live });
    const seen: ViewChangedNotification[] = [];
    const h = src.openView({ intervalMs: 1000, query: { filter: 'sport = :80' }, groupBy: 'state' }, (n) => seen.push(n));
    await h.update({ expanded: [{ group: 's:ESTAB', offset: 0, limit: 10, filter: 'dport = :40002' }] });
    const last = seen[seen.length - 1];
    assert.deepEqual(last.groups!.map((g) => [g.key, g.count]), [['s:ESTAB', 2], ['s:LISTEN', 1]]);
    assert.deepEqual(last.pages[0].rows.map((r) => r.record.peerPort), [40002]);
    assert.equal(last.pages[0].total, 1);
    assert.ok(asked.some((p) => p.filter === 'sport = :80'));
    await h.update({ groupBy: 'flat', expanded: [{ group: 'all', offset: 0, limit: 10 }] });
    assert.deepEqual(seen[seen.length - 1].groups, [{ key: 'all', kind: 'flat', label: 'All sockets', count: 3 }]);
    const rows = await h.rows({ group: 'all', offset: 1, limit: 1 });
    assert.equal(rows.total, 3);
    await assert.rejects(src.kill([]), /read only/);
    assert.equal(await src.lookup(), null);
    h.dispose();
  });

  it('reads typed times and labels them', () => {
    const now = new Date(2026, 11, 2, 14, 0, 0).getTime();
    assert.equal(parseMomentText('5m', now), now - 300_000);
    assert.equal(parseMomentText('90s ago', now), now - 90_000);
    assert.equal(parseMomentText('13:05:07', now), new Date(2026, 11, 2, 13, 5, 7).getTime());
    assert.equal(parseMomentText('2026-12-01T22:00:00Z', now), Date.parse('2026-12-01T22:00:00Z'));
    for (const bad of ['', 'soon', '25:00', '12:61', '5 parsecs']) assert.equal(parseMomentText(bad, now), undefined, bad);
    assert.equal(momentLabel(new Date(2026, 11, 2, 1, 23, 4).getTime(), now), '01:23:04');
    assert.equal(momentLabel(new Date(2026, 10, 30, 1, 2, 3).getTime(), now), '2026-11-30 01:02:03');
  });
});
