// Evaluator: ss's userspace semantics (v4-mapped rules, unix globs, autobound per family, ...).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMatcher, matches, parseQuery, staticResolver, type SsqSocket } from '../../../src/ssq/index';
import { fnmatch } from '../../../src/ssq/glob';

const resolver = staticResolver({ hosts: { both: ['10.0.0.1', 'fd00::1'] }, interfaces: { lo: 1, eth0: 2 }, cgroups: { '/a': 7n } });
const expr = (q: string) => {
  const p = parseQuery(q, { resolver });
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 'error'), [], q);
  return p.expr;
};
const tcp = (local: string, lport: number, peer: string, pport: number, extra: Partial<SsqSocket> = {}): SsqSocket => ({
  family: local.includes(':') ? 'inet6' : 'inet', netid: 'tcp', state: 1, localAddr: local, localPort: lport, peerAddr: peer, peerPort: pport, ...extra,
});
const m = (q: string, s: SsqSocket) => matches(expr(q), s);

test('ports and comparisons', () => {
  const s = tcp('10.0.0.1', 22, '10.0.0.2', 50000);
  assert.equal(m('sport = :22', s), true);
  assert.equal(m('sport = :ssh', s), true);
  assert.equal(m('dport = 22', s), false);
  assert.equal(m('dport > 1024', s), true);
  assert.equal(m('dport >= 50000', s), true);
  assert.equal(m('dport > 50000', s), false);
  assert.equal(m('sport < 23', s), true);
  assert.equal(m('sport <= 21', s), false);
  assert.equal(m('sport != 22', s), false);
  assert.equal(m('sport = *', s), true);
  assert.equal(matches(parseQuery('dport = nosuchservice').expr, s), false);
});

test('inet hosts: prefixes, ports, v4-mapped rules, names', () => {
  const v4 = tcp('10.0.0.1', 22, '192.168.1.5', 40000);
  const mapped = tcp('::ffff:10.0.0.1', 22, '::ffff:192.168.1.5', 40000);
  const v6 = tcp('fd00::1', 22, 'fe80::2', 40000);
  assert.equal(m('src 10.0.0.1', v4), true);
  assert.equal(m('src 10.0.0.1', mapped), true, 'v4 rule matches v4-mapped socket');
  assert.equal(m('src [::ffff:10.0.0.1]', mapped), true);
  assert.equal(m('src [::ffff:10.0.0.1]', v4), false, 'v4-mapped rule matches only v4-mapped sockets');
  assert.equal(m('dst 192.168/16', v4), true);
  assert.equal(m('dst 192.168/16', mapped), true);
  assert.equal(m('dst 192.169/16', v4), false);
  assert.equal(m('src 10.0.0.1:22', v4), true);
  assert.equal(m('src 10.0.0.1:23', v4), false);
  assert.equal(m('src *:22', v6), true);
  assert.equal(m('src :22', v4), true);
  assert.equal(m('src [fd00::/16]', v6), true);
  assert.equal(m('src [fd00::/16]', v4), false);
  assert.equal(m('src 10.0.0.0/8', v6), false);
  assert.equal(m('src both', v4), true);
  assert.equal(m('src both', v6), true);
  assert.equal(m('src inet:any', v4), true);
  assert.equal(m('src any', v6), true);
  assert.equal(m('not dst 192.168.1.5', v4), false);
  assert.equal(m('dst != 192.168.1.5', v4), false);
  const bytes: SsqSocket = { ...v4, localAddr: new Uint8Array([10, 0, 0, 1]) };
  assert.equal(m('src 10.0.0.1', bytes), true);
  const unix: SsqSocket = { family: 'unix', state: 1, localAddr: '/tmp/x', peerAddr: null, localPort: 5, peerPort: 6 };
  assert.equal(m('src 10.0.0.1', unix), false);
  assert.equal(matches(parseQuery('src unknownhost', { resolver }).expr, v4), false);
});

test('unix globs (fnmatch, no flags) and abstract names', () => {
  const u = (local: string | null, peer: string | null = null): SsqSocket => ({ family: 'unix', state: 1, localAddr: local, peerAddr: null, peerPath: peer, localPort: 100, peerPort: 101 });
  assert.equal(m('src unix:/tmp/*', u('/tmp/a/b.sock')), true, '* matches / too');
  assert.equal(m('src unix:/tmp/?.sock', u('/tmp/a.sock')), true);
  assert.equal(m('src unix:/tmp/[ab].sock', u('/tmp/c.sock')), false);
  assert.equal(m('src unix:/tmp/[!ab].sock', u('/tmp/c.sock')), true);
  assert.equal(m('src unix:@abs*', u('@abstract')), true);
  assert.equal(m('src unix:*', u(null)), true);
  assert.equal(m('src unix:/x', u(null)), false);
  assert.equal(m('dst unix:/run/*', u('/tmp/a', '/run/b')), true);
  assert.equal(m('-x src /run/*.sock', u('/run/foo.sock')), true);
  assert.equal(fnmatch('a\\*b', 'a*b'), true);
  assert.equal(fnmatch('a\\*b', 'axb'), false);
  assert.equal(fnmatch('[a-c]x', 'bx'), true);
  assert.equal(fnmatch('[', '['), true);
});

test('autobound per family', () => {
  const e = expr('autobound');
  const ctx = { ephemeralPorts: [32768, 60999] as [number, number] };
  const f = compileMatcher(e, ctx);
  assert.equal(f(tcp('10.0.0.1', 40000, '10.0.0.2', 80)), true);
  assert.equal(f(tcp('10.0.0.1', 22, '10.0.0.2', 80)), false);
  assert.equal(f(tcp('10.0.0.1', 40000, '10.0.0.2', 80, { bindPortLocked: true })), false);
  assert.equal(compileMatcher(e, { ephemeralPorts: [1000, 2000] })(tcp('10.0.0.1', 1500, '0.0.0.0', 0)), true);
  const unix = (n: string | null): SsqSocket => ({ family: 'unix', state: 7, localAddr: n, peerAddr: null, localPort: 1, peerPort: 0 });
  assert.equal(f(unix(null)), true);
  assert.equal(f(unix('@0001a')), true);
  assert.equal(f(unix('@0001A')), false);
  assert.equal(f(unix('@00001a')), false);
  assert.equal(f(unix('/tmp/s')), false);
  assert.equal(f({ family: 'netlink', state: 7, localAddr: null, peerAddr: null, localPort: -4000, peerPort: 0 }), true);
  assert.equal(f({ family: 'netlink', state: 7, localAddr: null, peerAddr: null, localPort: 1234, peerPort: 0 }), false);
  assert.equal(f({ family: 'packet', state: 7, localAddr: null, peerAddr: null, localPort: 0, peerPort: 0, protocol: 0 }), true);
  assert.equal(f({ family: 'packet', state: 7, localAddr: null, peerAddr: null, localPort: 2, peerPort: 0, protocol: 0x800 }), false);
  assert.equal(f({ family: 'vsock', state: 1, localAddr: null, peerAddr: null, localPort: 1024, peerPort: 0 }), true);
});

test('dev, fwmark, cgroup, link/netlink/vsock hosts', () => {
  const s = tcp('10.0.0.1', 22, '10.0.0.2', 5, { ifindex: 2, mark: 0x1234, cgroupId: 7n });
  assert.equal(m('dev = eth0', s), true);
  assert.equal(m('dev = lo', s), false);
  assert.equal(m('dev != lo', s), true);
  assert.equal(m('dev 2', s), true);
  assert.equal(m('fwmark = 0x34/0xff', s), true);
  assert.equal(m('fwmark = 0x1234', s), true);
  assert.equal(m('fwmark = 0x35/0xff', s), false);
  assert.equal(m('fwmark != 0x35/0xff', s), true);
  assert.equal(m('cgroup = /a', s), true);
  assert.equal(m('cgroup != /a', s), false);
  const pk: SsqSocket = { family: 'packet', state: 7, localAddr: null, peerAddr: null, localPort: 2, peerPort: 0, protocol: 0x0800 };
  assert.equal(m('src link:ip:eth0', pk), true);
  assert.equal(m('src link:ipv6', pk), false);
  assert.equal(m('src link:*:2', pk), true);
  const nl: SsqSocket = { family: 'netlink', state: 7, localAddr: null, peerAddr: null, localPort: 0, peerPort: 0, protocol: 0 };
  assert.equal(m('src netlink:rtnl:kernel', nl), true);
  assert.equal(m('src netlink:audit', nl), false);
  const vs: SsqSocket = { family: 'vsock', state: 1, localAddr: null, peerAddr: null, localPort: 1024, peerPort: 5, localCid: 3, peerCid: 2 };
  assert.equal(m('src vsock:3:1024', vs), true);
  assert.equal(m('dst vsock:2:*', vs), true);
  assert.equal(m('dst vsock:3', vs), false);
});

test('boolean structure and a null expression', () => {
  const s = tcp('10.0.0.1', 22, '10.0.0.2', 443);
  assert.equal(m('sport = 1 or sport = 22 and dport = 443', s), true);
  assert.equal(m('sport = 22 or sport = 1 and dport = 1', s), false, '(a or b) and c');
  assert.equal(m('! ( sport = 1 or dport = 1 )', s), true);
  assert.equal(matches(null, s), true);
  assert.equal(matches(parseQuery('sport = ').expr, s), false, 'error nodes match nothing');
});
