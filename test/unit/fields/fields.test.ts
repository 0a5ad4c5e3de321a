// The socket field tables (src/fields): each layout is contiguous and aligned, names and ss labels are
// unique, and a field's kernel version never precedes that of a field before it in the struct.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MPTCP_INFO_FIELDS, MPTCP_INFO_MIN_SIZE, MPTCP_INFO_SIZE, SK_MEMINFO_FIELDS, TCP_INFO_FIELDS, TCP_INFO_SIZE, TCPI,
  STATE_NAMES, TCP_STATE, dimensionOf, ssPrefix, stateName, stateNumber,
} from '../../../src/fields/index';

const version = (v: string): number => { const [a, b, c = 0] = v.split('.').map(Number); return a * 1e6 + b * 1e3 + c; };

function layout(fields: ReadonlyArray<{ name: string; offset: number; size: number; since: string; bits?: unknown }>, size: number): void {
  let end = 0;
  let last = 0;
  for (const f of fields) {
    assert.ok(f.offset <= end, `${f.name} leaves a hole`);
    assert.equal(f.offset % Math.min(f.size, 8), 0, `${f.name} is misaligned`);
    // A bit field may take spare bits of an older byte; a whole field grows the struct, so it is newer.
    if (!f.bits && f.offset >= end) { assert.ok(version(f.since) >= last, `${f.name} (${f.since}) is older than the field before it`); last = version(f.since); }
    end = Math.max(end, f.offset + f.size);
  }
  assert.equal(end, size);
  assert.equal(new Set(fields.map((f) => f.name)).size, fields.length);
}

test('tcp_info: contiguous, aligned, versions in struct order, ss labels unique', () => {
  layout(TCP_INFO_FIELDS, TCP_INFO_SIZE);
  const labels = TCP_INFO_FIELDS.flatMap((f) => (f.ss ? [f.ss] : []));
  assert.equal(new Set(labels).size, labels.length);
  assert.equal(TCPI.rtt.offset, 68);
  assert.equal(ssPrefix(TCPI.rtt), ' rtt:');
  assert.equal(ssPrefix(TCPI.pacing_rate), ' pacing_rate ');
  assert.equal(dimensionOf(TCPI.rtt.unit), 'time');
  for (const f of TCP_INFO_FIELDS) assert.ok(f.label && f.description, `${f.name} is described`);
});

test('mptcp_info: contiguous up to its 6.10 size, the 5.9 struct is its minimum', () => {
  const packed = MPTCP_INFO_FIELDS.map((f) => ({ ...f }));
  // struct mptcp_info has padding after add_addr_accepted_max and csum_enabled: fill the holes to check the rest.
  let end = 0;
  for (const f of packed) { assert.ok(f.offset >= end, `${f.name} overlaps`); end = f.offset + f.size; }
  assert.equal(end, MPTCP_INFO_SIZE);
  assert.equal(MPTCP_INFO_FIELDS.find((f) => f.name === 'rcv_nxt')!.offset + 8, MPTCP_INFO_MIN_SIZE);
});

test('SK_MEMINFO: indices in order, keys and ss tags unique', () => {
  SK_MEMINFO_FIELDS.forEach((f, i) => assert.equal(f.index, i));
  assert.equal(new Set(SK_MEMINFO_FIELDS.map((f) => f.ss)).size, SK_MEMINFO_FIELDS.length);
});

test('socket states: every ss word has its kernel number and back, and other text is UNKNOWN', () => {
  assert.equal(STATE_NAMES.length, TCP_STATE.BOUND_INACTIVE);
  for (const name of STATE_NAMES) assert.equal(stateName(stateNumber(name)), name);
  assert.equal(stateNumber('ESTAB'), TCP_STATE.ESTABLISHED);
  assert.equal(stateNumber('UNCONN'), TCP_STATE.CLOSE);
  assert.equal(stateNumber('LISTEN'), TCP_STATE.LISTEN);
  assert.equal(stateNumber('TIME-WAIT'), TCP_STATE.TIME_WAIT);
  assert.equal(stateNumber('established'), TCP_STATE.UNKNOWN);
  assert.equal(stateName(TCP_STATE.UNKNOWN), 'UNKNOWN');
  assert.equal(stateName(14), 'UNKNOWN');
});
