// The kernel text parsers on captured files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNetstat, parseNofileLimit, parseSockstat } from '../../../src/findings/index';
import { fixture } from './snapshot-builder';

test('netstat and snmp: Group.Name pairs', () => {
  const n = parseNetstat(fixture('netstat.txt'));
  assert.equal(typeof n['TcpExt.ListenOverflows'], 'number');
  assert.equal(typeof n['TcpExt.SyncookiesSent'], 'number');
  const s = parseNetstat(fixture('snmp.txt'));
  assert.equal(typeof s['Tcp.RetransSegs'], 'number');
  assert.equal(typeof s['Tcp.OutSegs'], 'number');
  assert.throws(() => parseNetstat('TcpExt: A B\nIpExt: 1 2\n', 'netstat'), /netstat: line 1: expected a "TcpExt:" names line followed by its values/);
  assert.throws(() => parseNetstat('TcpExt: A B\nTcpExt: 1\n'), /2 names but 1 values/);
});

test('sockstat', () => {
  const s = parseSockstat(fixture('sockstat.txt'));
  assert.equal(s['sockstat.TCP.orphan'], 0);
  assert.equal(s['sockstat.TCP.tw'], 0);
  assert.equal(typeof s['sockstat.TCP.alloc'], 'number');
  assert.equal(parseSockstat('TCP6: inuse 3\n')['sockstat.TCP6.inuse'], 3);
});

test('/proc/PID/limits: the soft open-file limit', () => {
  assert.equal(typeof parseNofileLimit(fixture('limits.txt')), 'number');
  assert.equal(parseNofileLimit('Max open files            unlimited            unlimited            files\n'), null);
  assert.equal(parseNofileLimit('Max open files            64                   1024                 files\n'), 64);
  assert.equal(parseNofileLimit('nothing\n'), undefined);
});
