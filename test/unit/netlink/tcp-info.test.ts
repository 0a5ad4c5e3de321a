import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tcpInfoView, fullTcpInfo } from '../../../src/netlink/tcp-info';
import { TCP_INFO_FIELDS, TCP_INFO_SIZE as TCP_INFO_SIZE_6_18 } from '../../../src/fields/index';

test('the layout is contiguous and ends at sizeof(struct tcp_info) of 6.18', () => {
  let end = 0;
  for (const f of TCP_INFO_FIELDS) {
    assert.ok(f.offset <= end, `${f.name} leaves a hole`);
    assert.equal(f.offset % Math.min(f.size, 8), 0, `${f.name} is misaligned`);
    end = Math.max(end, f.offset + f.size);
  }
  assert.equal(end, TCP_INFO_SIZE_6_18);
  assert.equal(new Set(TCP_INFO_FIELDS.map((f) => f.name)).size, TCP_INFO_FIELDS.length);
});

test('an older kernel\'s shorter struct yields only the fields present', () => {
  const buf = Buffer.alloc(TCP_INFO_SIZE_6_18, 1);
  const old = tcpInfoView(buf, 0, 104); // Linux 4.x before pacing_rate: 104 bytes
  assert.equal(old.total_retrans, 0x01010101);
  assert.equal(old.pacing_rate, undefined);
  assert.equal(old.has('pacing_rate'), false);
  assert.equal(old.has('total_retrans'), true);
  assert.deepEqual(Object.keys(old.toObject()).at(-1), 'total_retrans');
  const v67 = tcpInfoView(buf, 0, 248); // Linux 6.7 .. 6.17
  assert.equal(v67.total_rto_time, 0x01010101);
  assert.equal(v67.received_ce, undefined);
  assert.equal(tcpInfoView(buf, 0, 0).state, undefined);
});

test('64-bit fields are bigint, ~0 pacing rate is "unlimited", bit fields are split', () => {
  const buf = Buffer.alloc(TCP_INFO_SIZE_6_18 + 8);
  const base = 8;
  buf.writeBigUInt64LE(0xffffffffffffffffn, base + 104);
  buf.writeBigUInt64LE(12345678901234567n, base + 112);
  buf.writeBigUInt64LE(0xfffffffffffffffen, base + 120);
  buf[base + 6] = 0x7a; // snd_wscale 10, rcv_wscale 7
  buf[base + 7] = 0x05; // app_limited 1, fastopen_client_fail 2
  buf.writeUInt32LE(((0xabcdef << 8) | (0x9 << 4) | (0x2 << 2) | 0x3) >>> 0, base + 276);
  const ti = tcpInfoView(buf, base, TCP_INFO_SIZE_6_18);
  assert.equal(ti.pacing_rate, 'unlimited');
  assert.equal(ti.max_pacing_rate, 12345678901234567n);
  assert.equal(ti.bytes_acked, 0xfffffffffffffffen, 'only pacing rates have "unlimited"');
  assert.equal(ti.snd_wscale, 10);
  assert.equal(ti.rcv_wscale, 7);
  assert.equal(ti.delivery_rate_app_limited, 1);
  assert.equal(ti.fastopen_client_fail, 2);
  assert.equal(ti.ecn_mode, 3);
  assert.equal(ti.accecn_opt_seen, 2);
  assert.equal(ti.accecn_fail_mode, 9);
  assert.equal(ti.options2, 0xabcdef);
});

test('fullTcpInfo: a shorter struct reads as if copied into a zeroed full-size one (as ss does)', () => {
  const buf = Buffer.alloc(400, 0xff);
  const short = fullTcpInfo(buf, 8, 104);
  assert.equal(short.base, 0);
  assert.equal(short.buf.length, TCP_INFO_SIZE_6_18);
  assert.equal(short.buf.readUInt32LE(100), 0xffffffff);
  assert.equal(short.buf.readUInt32LE(104), 0);
  assert.equal(short.buf.readUInt32LE(TCP_INFO_SIZE_6_18 - 4), 0);
  const full = fullTcpInfo(buf, 8, TCP_INFO_SIZE_6_18);
  assert.equal(full.buf, buf);
  assert.equal(full.base, 8);
});
