// INET_DIAG_REQ_BYTECODE: ss's golden vectors byte for byte, and the jump layout of and/or/not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileBytecode, parseQuery, staticResolver } from '../../../src/ssq/index';
import { bytecodeHex } from '../../../src/ssq/bytecode';

const resolver = staticResolver({ hosts: { twohost: ['10.0.0.1', '10.0.0.2'] }, interfaces: { lo: 1 }, cgroups: { '/a': 0x1122334455n } });
const hex = (q: string): string | null => {
  const p = parseQuery(q, { resolver });
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 'error'), [], q);
  const c = compileBytecode(p.expr);
  return c ? bytecodeHex(c) : null;
};

test('golden vectors from ss (x86-64)', () => {
  assert.equal(hex('sport = 22'), '07101400 00000000 16000000 00000000');
  assert.equal(hex('dport >= 1024'), '04080c00 00000004');
  assert.equal(hex('dport > 1024'), '05080c00 00000004 01040800');
  assert.equal(hex('dport != 22'), '08101400 00000000 16000000 00000000 01040800');
  assert.equal(hex('src 10.0.0.1'), '07101400 02200000 ffffffff 0a000001');
  assert.equal(hex('dst 10.0.0.0/8'), '08101400 02080000 ffffffff 0a000000');
  assert.equal(hex('not sport = 22'), '07101400 00000000 16000000 00000000 01040800');
  assert.equal(hex('autobound'), '06040800');
  assert.equal(hex('fwmark = 0x10/0xff'), '0a0c1000 10000000 ff000000');
});

test('every spelling compiles to the same bytes', () => {
  for (const q of ['sport == 22', 'sport eq :22', 'sport 22', 'sport = 0x16', 'sport = 026', 'sport = ssh']) assert.equal(hex(q), hex('sport = 22'), q);
  assert.equal(hex('! sport = 22'), hex('not sport = 22'));
  assert.equal(hex('sport ne 22'), hex('not sport = 22'));
  assert.equal(hex('src != 10.0.0.1'), hex('not src 10.0.0.1'));
});

test('comparisons: < and <= on both ports', () => {
  assert.equal(hex('sport < 1024'), '02080c00 00000004 01040800');
  assert.equal(hex('sport <= 1024'), '03080c00 00000004');
  assert.equal(hex('sport ge 80'), '02080c00 00005000');
  assert.equal(hex('dport lt 80'), '04080c00 00005000 01040800');
});

test('and / or / not layout: ss jump offsets', () => {
  // or: A, JMP {4, len(B)+4}, B
  assert.equal(hex('autobound or autobound'), '06040800 01040800 06040800');
  // and: A's reject jump moved past B
  assert.equal(hex('autobound and autobound'), '06040c00 06040800');
  assert.equal(hex('autobound autobound'), hex('autobound and autobound'));
  // (a or b) and c: both reject exits of the or move past c
  assert.equal(hex('( autobound or autobound ) and autobound'), '06040800 01040800 06040c00 06040800');
});

test('hosts: ports, any address, IPv6, several addresses of a name', () => {
  assert.equal(hex('dst *:443'), '08101400 00000000 bb010000 00000000');
  assert.equal(hex('dst :443'), hex('dst *:443'));
  assert.equal(hex('src 10.0.0.1:22'), '07101400 02200000 16000000 0a000001');
  assert.equal(hex('src [::1]'), '071c2000 0a800000 ffffffff 00000000 00000000 00000000 00000001');
  assert.equal(hex('src [fd00::]/8'.replace('[fd00::]/8', '[fd00::/8]')), '071c2000 0a080000 ffffffff fd000000 00000000 00000000 00000000');
  assert.equal(hex('dst twohost'), '08101400 02200000 ffffffff 0a000001 01041400 08101400 02200000 ffffffff 0a000002');
});

test('dev, cgroup compile (unlike ss); unix and unresolved names do not', () => {
  assert.equal(hex('dev = lo'), '09080c00 01000000');
  assert.equal(hex('dev != 3'), '09080c00 03000000 01040800');
  assert.equal(hex('cgroup = /a'), '0d0c1000 55443322 11000000');
  assert.equal(hex('fwmark != 1'), '0a0c1000 01000000 ffffffff 01040800');
  assert.equal(compileBytecode(parseQuery('src unix:/tmp/*').expr), null);
  assert.equal(compileBytecode(parseQuery('dev = eth0').expr), null);
  assert.equal(compileBytecode(parseQuery('src somehost').expr), null);
  assert.equal(compileBytecode(parseQuery('sport = 1 or src unix:/x').expr), null);
  assert.equal(compileBytecode(null), null);
});
