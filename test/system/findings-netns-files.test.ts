// The findings read another namespace's counters and sysctls through files opened inside it once and
// read again at each pass: the values are that namespace's and current, no process is started per
// pass, and a namespace deleted and made again under the same name is read afresh.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import childProcess from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { createNetns, type Netns } from './lib/netns';
import { readFiles } from '../../src/host/findings/netns-read';
import { closeNetnsFiles } from '../../src/host/findings/netns-files';

const FIN = '/proc/sys/net/ipv4/tcp_fin_timeout';
const NETSTAT = '/proc/net/netstat';

describe('namespace files for the findings', () => {
  const namespaces: Netns[] = [];
  after(() => {
    closeNetnsFiles();
    for (const ns of namespaces) ns.remove();
  });
  const value = (m: ReturnType<typeof readFiles>, p: string): string => {
    const s = m.get(p)!;
    assert.ok('value' in s, `${p}: ${JSON.stringify(s)}`);
    return s.value;
  };

  it('reads the namespace\'s current values again without a process per pass', (t) => {
    const ns = createNetns('nsfiles');
    namespaces.push(ns);
    ns.exec('sysctl', ['-qw', 'net.ipv4.tcp_fin_timeout=17']);
    const first = readFiles([FIN, NETSTAT, '/proc/sys/net/ipv4/no_such_sysctl'], ns.path);
    assert.equal(value(first, FIN).trim(), '17');
    assert.match(value(first, NETSTAT), /^TcpExt: /m, "the namespace's own /proc/net/netstat");
    assert.deepEqual(first.get('/proc/sys/net/ipv4/no_such_sysctl'), { error: 'not present or not readable in the namespace' });
    const spawned = t.mock.method(childProcess, 'spawnSync');
    ns.exec('sysctl', ['-qw', 'net.ipv4.tcp_fin_timeout=23']);
    const again = readFiles([FIN, NETSTAT, '/proc/sys/net/ipv4/no_such_sysctl'], ns.path);
    assert.equal(value(again, FIN).trim(), '23', 'read again: the current value');
    assert.equal(spawned.mock.callCount(), 1, 'only the test\'s own sysctl call: the pass started no process');
    assert.notEqual(execFileSync('sysctl', ['-n', 'net.ipv4.tcp_fin_timeout'], { encoding: 'utf8' }).trim(), '23', 'the host\'s value is not the namespace\'s');
  });

  it('a namespace deleted and made again under the same name is read afresh', () => {
    const ns = createNetns('nsfiles');
    namespaces.push(ns);
    ns.exec('sysctl', ['-qw', 'net.ipv4.tcp_fin_timeout=31']);
    assert.equal(value(readFiles([FIN], ns.path), FIN).trim(), '31');
    ns.remove();
    execFileSync('ip', ['netns', 'add', ns.name]);
    execFileSync('ip', ['netns', 'exec', ns.name, 'sysctl', '-qw', 'net.ipv4.tcp_fin_timeout=37']);
    assert.equal(value(readFiles([FIN], ns.path), FIN).trim(), '37');
  });
});
