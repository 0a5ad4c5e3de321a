// Transient parsing (DumpRequest.transient): every inet message parsed into one reused Socket must
// read exactly like a fresh Socket parsed from the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datagrams, manifest } from './fixtures';
import { parseDatagram, newDumpState } from '../../../src/netlink/parse';
import { ALL_STATES, AF_INET, Socket } from '../../../src/netlink/diag-socket';

const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v);

/** Everything a reader can see of a socket: own fields plus the lazy getters. */
function snapshot(s: Socket): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (k !== 'buf' && !k.endsWith('Cache')) out[k] = typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
  for (const k of ['cookie', 'cgroupId', 'stateName', 'localAddress', 'peerAddress', 'timer', 'congestion', 'skmem', 'meminfo', 'bbr', 'dctcp', 'vegas'] as const) {
    const v = s[k];
    out[k] = typeof v === 'bigint' ? `${v}n` : JSON.stringify(v, big);
  }
  out.tcpInfo = JSON.stringify(s.tcpInfo?.toObject(), big);
  return out;
}

for (const file of Object.keys(manifest.fixtures).filter((f) => /^(tcp|udp|raw|mptcp)/.test(f) && manifest.fixtures[f].sockets > 0)) {
  test(`${file}: a reused Socket reads like a fresh one for every message`, () => {
    const f = manifest.fixtures[file];
    const fresh: Record<string, unknown>[] = [];
    const reused: Record<string, unknown>[] = [];
    const st1 = newDumpState(f.kind, f.seq, ALL_STATES);
    for (const d of datagrams(file)) parseDatagram(d, d.length, st1, (s) => fresh.push(snapshot(s)));
    // A reuse object first dirtied by every message, so leftovers from a previous socket would show.
    const reuse = new Socket(f.kind, 'tcp', AF_INET, 0, Buffer.alloc(0));
    const st2 = newDumpState(f.kind, f.seq, ALL_STATES, reuse);
    for (const d of datagrams(file)) {
      parseDatagram(d, d.length, st2, (s) => {
        assert.equal(s, reuse);
        void s.localAddress; void s.peerAddress; // fill the address caches before the next message
        reused.push(snapshot(s));
      });
    }
    assert.ok(fresh.length > 0);
    assert.deepEqual(reused, fresh);
  });
}
