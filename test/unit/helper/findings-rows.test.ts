// The view store as the findings rules' rows (findings-rows.ts): the rules over a store's columns
// give exactly the findings they give over the same sockets as objects (the CLI's path), processes
// are named by identity, and a socket object is made only for the rows a finding names.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SocketStore } from '../../../src/helper/socket-store';
import { storePids, storeRows } from '../../../src/helper/findings-rows';
import { findingsDiag } from '../../../src/helper/findings-runner';
import { runFindings, type SocketRows } from '../../../src/findings/index';
import { fakeSocket, type FakeSpec } from './fake-sockets';
import { snapshot } from '../findings/snapshot-builder';
import type { ProcessRef } from '../../../src/protocol/socket-record';

/** tcp_info with segs_out too (the fake writes rtt, retrans, acked, received). */
function withSegs(f: FakeSpec, segsOut: number) {
  const s = fakeSocket(f);
  s.buf.writeUInt32LE(segsOut, s.attrs.info + 136);
  return s;
}

function store(): SocketStore {
  const st = new SocketStore({ tcpFacts: true });
  const sockets = [
    // Five CLOSE-WAIT sockets of pid 42.
    ...[1, 2, 3, 4, 5].map((c) => fakeSocket({ cookie: c, state: 'CLOSE-WAIT', inode: 100 + c, localPort: 8080, peerPort: 50000 + c })),
    // A listener on 0.0.0.0.
    fakeSocket({ cookie: 10, state: 'LISTEN', local: [0, 0, 0, 0], peer: [0, 0, 0, 0], localPort: 8080, peerPort: 0, inode: 110 }),
    // Connections to 10.0.0.9 that retransmit 10% of 1000 segments, and one to another peer that does not.
    withSegs({ cookie: 20, peer: [10, 0, 0, 9], inode: 120, info: { acked: 0, received: 0, retrans: 60, rtt: 100 } }, 500),
    withSegs({ cookie: 21, peer: [10, 0, 0, 9], inode: 121, info: { acked: 0, received: 0, retrans: 40, rtt: 100 } }, 500),
    withSegs({ cookie: 22, peer: [10, 0, 0, 8], inode: 122, info: { acked: 0, received: 0, retrans: 0, rtt: 100 } }, 5000),
    // Many plain connections nobody names.
    ...Array.from({ length: 200 }, (_x, i) => fakeSocket({ cookie: 1000 + i, peerPort: 443, inode: 2000 + i })),
  ];
  st.refresh((on) => { for (const s of sockets) on(s); });
  return st;
}

const byInode = new Map<number, ProcessRef[]>();
for (const i of [101, 102, 103, 104, 105, 110]) byInode.set(i, [{ pid: 42, name: 'MainThread', fd: i }]);
for (const i of [120, 121, 122]) byInode.set(i, [{ pid: 43, name: 'MainThread', fd: i }]);
const labelOf = (pid: number): string | undefined => (pid === 42 ? 'node server.js' : undefined);

describe('findings over a view store', () => {
  it('the same findings as over the sockets as objects', () => {
    const st = store();
    const rows = storeRows(st, { byInode, labelOf });
    const objects = [];
    for (let i = 0; i < rows.end; i++) if (rows.live(i)) objects.push(rows.socket(i));
    const fromRows = runFindings(snapshot({ sockets: [], rows: storeRows(st, { byInode, labelOf }) }));
    const fromObjects = runFindings(snapshot({ sockets: objects }));
    assert.deepEqual(fromRows, fromObjects);
    const cw = fromRows.find((f) => f.id === 'close-wait/pid:42');
    assert.ok(cw, fromRows.map((f) => f.id).join(', '));
    assert.deepEqual([...cw.sockets].sort(), ['1', '2', '3', '4', '5']);
    assert.match(cw.title, /^node server\.js \(pid 42\) holds 5 CLOSE-WAIT/, 'named by what the process is');
    const rt = fromRows.find((f) => f.id === 'retransmits/peer:10.0.0.9');
    assert.ok(rt, fromRows.map((f) => f.id).join(', '));
    assert.match(rt.detail, /^100 retransmitted of 1000 segments/);
    assert.deepEqual(rt.processes, [43]);
    assert.equal(fromRows.some((f) => f.id === 'retransmits/peer:10.0.0.8'), false);
  });

  it('makes objects only for the rows findings name', () => {
    const st = store();
    const rows = storeRows(st, { byInode, labelOf });
    let made = 0;
    const counting: SocketRows = { ...rows, socket: (i) => { made++; return rows.socket(i); } };
    runFindings(snapshot({ sockets: [], rows: counting }));
    assert.ok(made <= 12, `${made} objects for ${st.size} sockets`);
  });

  it('the holders of the store\'s sockets, for the per-process reads', () => {
    // As the live process map answers: one holder by a typed lookup, several (-1) through byInode.
    const pidOf = (inode: number): number => { const l = byInode.get(inode); return !l ? 0 : new Set(l.map((p) => p.pid)).size === 1 ? l[0].pid : -1; };
    const nameOf = (pid: number): string | undefined => [...byInode.values()].flat().find((p) => p.pid === pid)?.name;
    const pids = storePids(store(), { byInode, pidOf, nameOf });
    assert.deepEqual([...pids.keys()].sort(), [42, 43]);
    assert.deepEqual([...pids.values()], ['MainThread', 'MainThread']);
  });
});

describe('findingsDiag', () => {
  it('keeps what the view\'s dump says about tcp and udp and interrupted dumps, not about other kinds', () => {
    assert.deepEqual(findingsDiag(undefined), { notes: [], procfs: [], skipped: [] });
    const d = findingsDiag({ notes: ['raw sockets read from /proc/net/raw', 'tcp sockets read from /proc/net/tcp', 'dump inconsistent (interrupted): retried'], procfs: ['raw', 'tcp'], skipped: ['netlink'] });
    assert.deepEqual(d, { notes: ['tcp sockets read from /proc/net/tcp', 'dump inconsistent (interrupted): retried'], procfs: ['tcp'], skipped: [] });
    assert.deepEqual(findingsDiag({ notes: ['raw sockets read from /proc/net/raw'], procfs: ['raw'], skipped: [] }), { notes: [], procfs: [], skipped: [] });
  });
});

describe("the store's tcp_info columns: byte counts", () => {
  it('payload bytes sent (sent less retransmitted, or acked on kernels before 4.19) and received', () => {
    const st = new SocketStore({ tcpFacts: true });
    const recent = fakeSocket({ cookie: 1, inode: 201, info: { acked: 9999, received: 7000, retrans: 0, rtt: 100 } });
    recent.buf.writeUInt32LE(4000, recent.attrs.info + 200); // bytes_sent (u64, low word)
    recent.buf.writeUInt32LE(1, recent.attrs.info + 204); // high word: 2^32 + 4000
    recent.buf.writeUInt32LE(500, recent.attrs.info + 208); // bytes_retrans
    const old = fakeSocket({ cookie: 2, inode: 202, localPort: 40001, info: { acked: 1234, received: 4321, retrans: 0, rtt: 100 } });
    old.attrs.infoLen = 160; // no bytes_sent (before 4.19)
    const none = fakeSocket({ cookie: 3, inode: 203, localPort: 40002 });
    st.refresh((on) => { on(recent); on(old); on(none); });
    const f = st.facts!;
    const at = (inode: number): number => { for (let i = 0; i < st.end; i++) if (st.inode[i] === inode) return i; return -1; };
    assert.deepEqual([f.bytesSent[at(201)], f.bytesReceived[at(201)]], [2 ** 32 + 3500, 7000]);
    assert.deepEqual([f.bytesSent[at(202)], f.bytesReceived[at(202)]], [1234, 4321]);
    assert.equal(f.info[at(203)], 0, 'no tcp_info: the columns are not read');
  });
});
