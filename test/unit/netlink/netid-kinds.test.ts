// One netid -> dump table for the CLI, the helper and the host: every netid the engine produces maps to
// the dump it comes from; the ss tables Sockscope does not dump map to nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KIND_OF_NETID, SOCK_KINDS, SS_DUMP_ORDER, kindOfNetid } from '../../../src/netlink/index';
import { SSQ_KINDS } from '../../../src/ssq/query';

test('every ss table names its dump, or none when Sockscope does not dump it', () => {
  assert.deepEqual([...new Set(Object.values(KIND_OF_NETID))].sort(), [...SOCK_KINDS].sort());
  assert.deepEqual([...SS_DUMP_ORDER].sort(), [...SOCK_KINDS].sort());
  for (const k of SSQ_KINDS) assert.equal(kindOfNetid(k), (KIND_OF_NETID as Record<string, string>)[k], k);
  assert.equal(kindOfNetid('u_seq'), 'unix');
  assert.equal(kindOfNetid('v_str'), undefined);
  assert.equal(kindOfNetid('toString'), undefined);
});
