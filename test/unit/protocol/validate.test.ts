// The helper's request validators: good params pass, anything else is refused with reasons.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Limits } from '../../../src/protocol/helper-protocol';
import { HELPER_METHODS, isHelperMethod, validateParams } from '../../../src/protocol/helper-requests';
import type { SocketRecord } from '../../../src/protocol/socket-record';

const record: SocketRecord = {
  netid: 'tcp', state: 'ESTAB', family: 'inet', recvQ: 0, sendQ: 0, localAddress: '127.0.0.1', localPort: 22,
  peerAddress: '127.0.0.1', peerPort: 40000, iface: null, inode: 1234, uid: 0, cookie: 'a1b2',
  processes: [{ pid: 1, name: 'sshd', fd: 3 }], tcpInfo: { rtt: 10 },
};

function ok(method: Parameters<typeof validateParams>[0], params: unknown): void {
  const r = validateParams(method, params);
  assert.ok(r.ok, `${method} ${JSON.stringify(params)?.slice(0, 80)}: ${r.ok ? '' : r.errors.join('; ')}`);
}

function bad(method: Parameters<typeof validateParams>[0], params: unknown, pattern?: RegExp): void {
  const r = validateParams(method, params);
  assert.equal(r.ok, false, `${method} ${JSON.stringify(params)?.slice(0, 80)} should be refused`);
  if (pattern && !r.ok) assert.match(r.errors.join('\n'), pattern);
}

describe('helper protocol validators', () => {
  it('knows exactly the whitelisted methods', () => {
    for (const m of HELPER_METHODS) assert.ok(isHelperMethod(m));
    for (const m of ['exec', 'readFile', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'DUMP']) assert.equal(isHelperMethod(m), false, m);
  });

  it('initialize', () => {
    ok('initialize', { protocolVersion: 1 });
    ok('initialize', { protocolVersion: 1, clientName: 'x' });
    bad('initialize', {}, /protocolVersion: missing/);
    bad('initialize', { protocolVersion: '1' }, /expected integer/);
    bad('initialize', { protocolVersion: 1, clientName: 'x'.repeat(201) });
    bad('initialize', null);
    bad('initialize', [1]);
  });

  it('dump: kinds, families, states, filter, extensions, netns', () => {
    ok('dump', { stream: 's' });
    ok('dump', {
      stream: 'a-b_c.1:2', netids: ['tcp', 'u_str'], families: ['inet6'], states: ['LISTEN', 'TIME-WAIT'],
      filter: 'dport = :443', extensions: { processes: true, tcpInfo: false }, netns: { name: 'blue' }, chunkSize: 10,
    });
    ok('dump', { stream: 's', netns: { pid: 1 } });
    bad('dump', undefined);
    bad('dump', { stream: '' });
    bad('dump', { stream: 'a b' });
    bad('dump', { stream: 'x'.repeat(65) });
    bad('dump', { stream: 's', netids: ['tcp', 'sctp'] });
    bad('dump', { stream: 's', states: ['established'] });
    bad('dump', { stream: 's', families: 'inet' });
    bad('dump', { stream: 's', filter: 'x'.repeat(Limits.maxFilterLength + 1) });
    bad('dump', { stream: 's', extensions: { processes: 'yes' } });
    bad('dump', { stream: 's', extensions: { shell: true } }, /unknown property "shell"/);
    bad('dump', { stream: 's', chunkSize: 0 });
    bad('dump', { stream: 's', chunkSize: Limits.maxChunkSize + 1 });
    bad('dump', { stream: 's', chunkSize: 1.5 });
    bad('dump', { stream: 's', cmd: 'ls' }, /unknown property "cmd"/);
    bad('dump', JSON.parse('{"stream":"s","__proto__":{"polluted":true}}'));
  });

  it('netns: a plain name under /run/netns or a pid, nothing else', () => {
    for (const name of ['blue', 'sockscope-x-1-2', 'a.b', '..a', 'A_1']) ok('dump', { stream: 's', netns: { name } });
    for (const name of ['', '.', '..', '../x', 'a/b', '/run/netns/x', 'a\0b', 'a b', 'x'.repeat(256), 'ü']) bad('dump', { stream: 's', netns: { name } });
    for (const pid of [0, -1, 1.5, 2 ** 40, '1', null]) bad('dump', { stream: 's', netns: { pid } });
    bad('dump', { stream: 's', netns: { name: 'a', pid: 1 } });
    bad('dump', { stream: 's', netns: { path: '/proc/1/ns/net' } });
    bad('dump', { stream: 's', netns: 'blue' });
  });

  it('lookup and kill take a key or a whole record', () => {
    ok('lookup', { socket: record });
    ok('lookup', { socket: { netid: 'u_str', family: 'unix', localAddress: null, localPort: 9, peerAddress: null, peerPort: 0, inode: 9, cookie: '0' } });
    ok('kill', { sockets: [record, record], netns: { name: 'x' } });
    bad('lookup', { socket: { ...record, cookie: 'XYZ' } });
    bad('lookup', { socket: { ...record, cookie: '0x1' } });
    bad('lookup', { socket: { ...record, cookie: '1'.repeat(17) } });
    bad('lookup', { socket: { ...record, localPort: -1 } });
    bad('lookup', { socket: { ...record, netid: 'sctp' } });
    bad('lookup', { socket: { cookie: '1' } });
    bad('lookup', { socket: record, extra: 1 });
    bad('kill', { sockets: record });
    bad('kill', { sockets: Array.from({ length: Limits.maxKill + 1 }, () => record) });
  });

  it('watch: interval bounds and exactly one of query/socket', () => {
    ok('watch', { watchId: 'w', intervalMs: 2000, query: {} });
    ok('watch', { watchId: 'w', intervalMs: 100, socket: record, extensions: { tcpInfo: true } });
    bad('watch', { watchId: 'w', intervalMs: 2000 }, /exactly one/);
    bad('watch', { watchId: 'w', intervalMs: 2000, query: {}, socket: record }, /exactly one/);
    bad('watch', { watchId: 'w', intervalMs: 99, query: {} });
    bad('watch', { watchId: 'w', intervalMs: Limits.maxIntervalMs + 1, query: {} });
    bad('watch', { watchId: 'w', intervalMs: 1000, query: { filter: 5 } });
    ok('unwatch', { watchId: 'w' });
    bad('unwatch', {});
  });

  it('subscriptions, and methods without params', () => {
    ok('subscribeDestroyed', { subscriptionId: 's' });
    ok('subscribeDestroyed', { subscriptionId: 's', netids: ['tcp'], netns: { pid: 10 } });
    bad('subscribeDestroyed', { subscriptionId: 's', netids: ['unix'] });
    ok('unsubscribeDestroyed', { subscriptionId: 's' });
    for (const m of ['listNamespaces', 'capabilities', 'shutdown'] as const) {
      ok(m, undefined);
      ok(m, null);
      ok(m, {});
      ok(m, []);
      bad(m, { x: 1 });
      bad(m, [1]);
      bad(m, 'x');
    }
  });

  it('caps the number of reported problems', () => {
    const r = validateParams('kill', { sockets: Array.from({ length: 500 }, () => ({})) });
    assert.equal(r.ok, false);
    if (!r.ok) assert.ok(r.errors.length <= 20);
  });
});
