// The language server and the helper read /etc/services and /etc/hosts with the same parser and
// answer the same: a diagnostic in the editor agrees with what the CLI and the Sockets view resolve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSystemResolver, services } from '../../../src/language-server/system-resolver';
import { NameResolver } from '../../../src/host/name-resolver';

test('host names: /etc/hosts, compared without case, the same in the server and the helper', () => {
  const server = createSystemResolver();
  const helper = new NameResolver();
  for (const name of ['localhost', 'LocalHost', 'LOCALHOST']) {
    assert.ok(server.host(name).includes('127.0.0.1'), `server: ${name}`);
    assert.deepEqual(server.host(name), helper.hostsFileAddresses(name), name);
  }
  assert.deepEqual(server.host('no-such-host.invalid'), []);
});

test('services: the server and the helper give the same port for every name the server lists', () => {
  const server = createSystemResolver();
  const helper = new NameResolver();
  const list = services();
  assert.ok(list.some((s) => s.name === 'ssh' && s.port === 22));
  assert.ok(!list.some((s) => s.name === 'rtmp'), 'a service of another protocol (rtmp is ddp) is not a filter port');
  // As the CLI resolves them (its ssq resolver asks the helper's NameResolver for tcp, then udp).
  for (const s of list) {
    assert.equal(server.service(s.name), helper.servicePorts(s.name, ['tcp', 'udp'])[0], s.name);
    assert.equal(server.service(s.name, 'udp'), helper.servicePorts(s.name, ['udp'])[0], `${s.name}/udp`);
  }
});
