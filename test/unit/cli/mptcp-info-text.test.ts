// ss's -i text for MPTCP sockets, from src/fields' mptcp_info table: set fields in the struct's order,
// flags as words, sequence numbers and the token in hex, fields ss never prints left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mptcpInfoText } from '../../../src/cli/mptcp-info-text';

test('mptcp_info text as ss 6.1 prints it', () => {
  const m = {
    subflows: 2, add_addr_signal: 0, add_addr_accepted: 1, subflows_max: 8, add_addr_signal_max: 0, add_addr_accepted_max: 8,
    flags: 3, token: 0xdeadbeef, write_seq: 0x1234n, snd_una: 0n, rcv_nxt: 0xffffffffffn, retransmits: 5, bytes_sent: 99n,
  };
  assert.equal(mptcpInfoText(m),
    ' subflows:2 add_addr_accepted:1 subflows_max:8 add_addr_accepted_max:8 fallback remote_key token:deadbeef write_seq:1234 rcv_nxt:ffffffffff');
});
