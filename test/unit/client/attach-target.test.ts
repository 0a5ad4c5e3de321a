// Which process an attach configuration attaches to: its processId (js-debug's `1234` or
// `1234:9229`), or the owner of the local inspector port it names; nothing for a launch, a
// remote address or a value that is no pid or port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachTarget, portOwner } from '../../../src/client/follow/attach-target';

test('attach configurations: processId first, else a local port', () => {
  assert.deepEqual(attachTarget({ request: 'attach', processId: 4242 }), { pid: 4242 });
  assert.deepEqual(attachTarget({ request: 'attach', processId: '4242' }), { pid: 4242 });
  assert.deepEqual(attachTarget({ request: 'attach', processId: '4242:9229', port: 9230 }), { pid: 4242 });
  assert.deepEqual(attachTarget({ request: 'attach', port: 9229 }), { port: 9229 });
  assert.deepEqual(attachTarget({ request: 'attach', port: '9229', address: '127.0.0.1' }), { port: 9229 });
  for (const address of ['localhost', 'LOCALHOST', '::1', '[::1]', '127.1.2.3', '0.0.0.0']) {
    assert.deepEqual(attachTarget({ request: 'attach', port: 9229, address }), { port: 9229 }, address);
  }
});

test('nothing to go by: a launch, a remote address, values that are no pid or port', () => {
  assert.deepEqual(attachTarget({ request: 'launch', processId: 4242, port: 9229 }), {});
  assert.deepEqual(attachTarget({ request: 'attach', port: 9229, address: '10.0.0.7' }), {});
  assert.deepEqual(attachTarget({ request: 'attach', port: 9229, address: 'db.example' }), {});
  assert.deepEqual(attachTarget({ request: 'attach', port: 9229, address: 42 }), {});
  assert.deepEqual(attachTarget({ request: 'attach' }), {});
  for (const processId of ['${command:PickProcess}', '0', '-1', '', ' 12 34', 1.5, -3, Number.MAX_VALUE, null, {}]) {
    assert.deepEqual(attachTarget({ request: 'attach', processId }), {}, String(processId));
  }
  for (const port of [0, 65536, -1, 9229.5, '9229x', '', null, [9229]]) {
    assert.deepEqual(attachTarget({ request: 'attach', port }), {}, String(port));
  }
});

test('fuzz: any configuration gives a positive pid, a port in range, or nothing; never throws', () => {
  let seed = 13;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const values = [undefined, null, 0, -1, 1, 9229, 70000, 1.5, NaN, '', '9229', '12:34', 'x', ' 7 ', '127.0.0.1', 'localhost', [], {}, true];
  for (let i = 0; i < 2000; i++) {
    const pick = (): unknown => values[rnd(values.length)];
    const t = attachTarget({ request: rnd(3) ? 'attach' : pick(), processId: pick(), port: pick(), address: pick() });
    assert.ok(Object.keys(t).length <= 1);
    if (t.pid !== undefined) assert.ok(Number.isSafeInteger(t.pid) && t.pid > 0);
    if (t.port !== undefined) assert.ok(Number.isSafeInteger(t.port) && t.port > 0 && t.port <= 65535);
  }
});

test('the inspector port\'s owner: the one holder, else the --inspect one, else the oldest', () => {
  const p = (pid: number, ports: number[] | undefined, cmdline: string[] = ['node', 'x.js'], startedAt = pid) => ({ pid, ports, cmdline, startedAt });
  assert.equal(portOwner([p(1, [22]), p(2, [9229, 40000]), p(3, undefined)], 9229), 2);
  assert.equal(portOwner([p(1, [22]), p(3, undefined)], 9229), undefined);
  assert.equal(portOwner([], 9229), undefined);
  // Another process's connection happens to use the same local port: the --inspect one wins.
  assert.equal(portOwner([p(5, [9229]), p(9, [9229], ['node', '--inspect=127.0.0.1:9229', 'server.js'])], 9229), 9);
  assert.equal(portOwner([p(5, [9229]), p(9, [9229], ['node', '--inspect-brk', 'server.js'])], 9229), 9);
  // A child that inherited the listener: the parent started first.
  assert.equal(portOwner([p(9, [9229], ['node', 'w.js'], 200), p(8, [9229], ['node', 'server.js'], 100)], 9229), 8);
});
