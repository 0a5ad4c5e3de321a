import { test } from 'node:test';
import assert from 'node:assert/strict';
import { peerFilterFor, portFilterFor, ssFilterFor } from '../../../src/client/tree/model-ss-filter';
import { sock } from './fixtures';

test('ss filter for tcp connections, listeners, v6, udp, unix', () => {
  assert.equal(ssFilterFor(sock({ localPort: 5432, peerPort: 40312 })), '-t -4 state established src 127.0.0.1:5432 dst 127.0.0.1:40312');
  assert.equal(ssFilterFor(sock({ state: 'LISTEN', localAddress: '0.0.0.0', localPort: 22, peerAddress: '0.0.0.0', peerPort: 0 })), '-t -4 state listening src 0.0.0.0:22');
  assert.equal(ssFilterFor(sock({ family: 'inet6', localAddress: '::1', localPort: 443, peerAddress: '::ffff:10.0.0.2', peerPort: 5000 })), '-t -6 state established src [::1]:443 dst [::ffff:10.0.0.2]:5000');
  assert.equal(ssFilterFor(sock({ netid: 'udp', state: 'UNCONN', localAddress: '0.0.0.0', localPort: 68, peerAddress: '0.0.0.0', peerPort: 0 })), '-u -4 state closed src 0.0.0.0:68');
  assert.equal(ssFilterFor(sock({ family: 'inet6', localAddress: 'fe80::1', iface: 'eth0', localPort: 22, peerAddress: 'fe80::2', peerPort: 4000 })), '-t -6 state established src [fe80::1]:22 dst [fe80::2]:4000 dev eth0');
  assert.equal(ssFilterFor(sock({ state: 'TIME-WAIT' }), { netns: 'blue' }), '-N blue -t -4 state time-wait src 127.0.0.1:40000 dst 127.0.0.1:5432');
  assert.equal(ssFilterFor(sock({ netid: 'u_str', family: 'unix', state: 'LISTEN', localAddress: '/run/x.sock' })), '-A unix_stream state listening src unix:/run/x.sock');
  assert.equal(ssFilterFor(sock({ netid: 'u_str', family: 'unix', localAddress: null })), undefined);
  assert.equal(ssFilterFor(sock({ netid: 'nl', family: 'netlink', localAddress: 'rtnl' })), undefined);
});

test('filter to this port / this peer', () => {
  assert.equal(portFilterFor(sock({ localPort: 40312, peerPort: 5432 })), '( sport = :5432 or dport = :5432 )');
  assert.equal(portFilterFor(sock({ localPort: 5432, peerPort: 40312 })), '( sport = :5432 or dport = :5432 )');
  assert.equal(portFilterFor(sock({ state: 'LISTEN', localPort: 8080, peerPort: 0 })), '( sport = :8080 or dport = :8080 )');
  assert.equal(peerFilterFor(sock({ peerAddress: '10.1.2.3' })), 'dst 10.1.2.3');
  assert.equal(peerFilterFor(sock({ family: 'inet6', peerAddress: '2001:db8::1' })), 'dst [2001:db8::1]');
  assert.equal(peerFilterFor(sock({ state: 'LISTEN', peerAddress: '0.0.0.0', peerPort: 0 })), undefined);
});
