// /etc/services and /etc/hosts text as the C library's files backend reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexHostsText, parseHostsText, parseServicesText } from '../../../src/ssq';

test('services: name, port/proto, aliases; comments, blank and malformed lines skipped', () => {
  const text = [
    '# Network services, Internet style',
    'ssh\t\t22/tcp\t\t\t\t# SSH Remote Login Protocol',
    'domain  53/udp',
    'http 80/tcp www www-http   # WorldWideWeb HTTP\r',
    '',
    '   # indented comment',
    'broken 80',
    'toolarge 70000/tcp',
    'nofields',
  ].join('\n');
  assert.deepEqual(parseServicesText(text), [
    { name: 'ssh', port: 22, proto: 'tcp', aliases: [] },
    { name: 'domain', port: 53, proto: 'udp', aliases: [] },
    { name: 'http', port: 80, proto: 'tcp', aliases: ['www', 'www-http'] },
  ]);
});

test('hosts: an address and its names in file order; lines without a name skipped', () => {
  const text = '127.0.0.1\tlocalhost\n::1     localhost ip6-localhost ip6-loopback # v6\r\n10.0.0.1\n# 10.0.0.2 gone\n\n192.0.2.7 web.example web\n';
  assert.deepEqual(parseHostsText(text), [
    { address: '127.0.0.1', names: ['localhost'] },
    { address: '::1', names: ['localhost', 'ip6-localhost', 'ip6-loopback'] },
    { address: '192.0.2.7', names: ['web.example', 'web'] },
  ]);
});

test('hosts index: names without case, addresses in file order once each; an address to its first name', () => {
  const { byName, byAddress } = indexHostsText('127.0.0.1 localhost\n::1 LocalHost ip6-localhost\n127.0.0.1 localhost.localdomain localhost\n');
  assert.deepEqual(byName.get('localhost'), ['127.0.0.1', '::1']);
  assert.deepEqual(byName.get('ip6-localhost'), ['::1']);
  assert.equal(byAddress.get('127.0.0.1'), 'localhost');
  assert.equal(byAddress.get('::1'), 'LocalHost');
});
