import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIPv6, formatIPv4, parseAddress, isV4Mapped } from '../../../src/netlink/address';

const v6 = (t: string): string => formatIPv6(parseAddress(t)!, 0);

test('IPv6 text matches inet_ntop', () => {
  assert.equal(v6('::'), '::');
  assert.equal(v6('::1'), '::1');
  assert.equal(v6('fe80:0:0:0:0:0:0:1'), 'fe80::1');
  assert.equal(v6('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1', 'a single zero group is not compressed');
  assert.equal(v6('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1', 'the first of equal runs wins');
  assert.equal(v6('1:0:0:0:0:0:0:0'), '1::');
  assert.equal(v6('::ffff:10.0.0.1'), '::ffff:10.0.0.1');
  assert.equal(v6('::10.0.0.1'), '::10.0.0.1');
  assert.equal(v6('::ffff:0:1'), '::ffff:0.0.0.1', 'as glibc prints it');
  assert.equal(v6('ABCD::EF'), 'abcd::ef');
});

test('IPv4 text and parsing', () => {
  assert.equal(formatIPv4(Uint8Array.from([127, 0, 0, 1]), 0), '127.0.0.1');
  assert.equal(parseAddress('256.0.0.1'), null);
  assert.equal(parseAddress('1::2::3'), null);
  assert.equal(parseAddress('1:2:3:4:5:6:7:8:9'), null);
  assert.equal(parseAddress('hello'), null);
  assert.ok(isV4Mapped(parseAddress('::ffff:1.2.3.4')!, 0));
  assert.ok(!isV4Mapped(parseAddress('::1')!, 0));
});
