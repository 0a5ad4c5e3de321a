// Process labels from argv: what the program is, never a thread name; random argv never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_LABEL, processLabel } from '../../../src/host/process-label';
import { prng } from '../../lib/prng';

const CASES: Array<[string[], string, string]> = [
  [['node', 'server.js'], 'MainThread', 'node server.js'],
  [['/usr/bin/node', '--inspect=9229', '-r', 'ts-node/register', '/srv/app/dist/server.js', '--port', '3000'], 'MainThread', 'node server.js'],
  [['node', '/work/x/node_modules/.bin/vite', 'dev'], 'MainThread', 'node vite dev'],
  [['node', '-e', 'require("http").createServer().listen(0)'], 'node', 'node -e require("http").createServer(…'],
  [['java', '-Xmx1g', '-cp', 'lib/*', '-jar', 'orders.jar'], 'java', 'java -jar orders.jar'],
  [['java', '-Dx=y', 'com.example.Main', 'serve'], 'java', 'java com.example.Main serve'],
  [['python3', '-m', 'http.server', '8000'], 'python3', 'python3 -m http.server 8000'],
  [['/usr/bin/python3.11', '-u', '-X', 'dev', 'app.py'], 'python3.11', 'python3.11 app.py'],
  [['bash', '-c', 'node server.js & wait'], 'bash', 'bash -c node server.js & wait'],
  [['/bin/sh', './run.sh', 'prod'], 'sh', 'sh run.sh prod'],
  [['/usr/sbin/sshd', '-D'], 'sshd', 'sshd'],
  [['redis-server', '*:6379'], 'redis-server', 'redis-server *:6379'],
  [['nginx: worker process'], 'nginx', 'nginx: worker process'],
  [[], 'kworker/0:1', '[kworker/0:1]'],
];

test('labels name the program and its identifying arguments', () => {
  for (const [argv, comm, want] of CASES) assert.equal(processLabel(argv, comm), want, JSON.stringify(argv));
});

test('a label never shows the thread name when there is a command line', () => {
  assert.doesNotMatch(processLabel(['node', 'app.js'], 'MainThread'), /MainThread/);
});

test('random argv never throws and stays within MAX_LABEL', () => {
  const rnd = prng(4242);
  const words = ['node', 'python3', 'java', '-m', '-jar', '-c', '-e', '--', '-r', 'x.js', '/a/b/c.py', '', ' ', 'a b', '-X', 'bash', '…', 'x'.repeat(200)];
  for (let i = 0; i < 5000; i++) {
    const argv = Array.from({ length: Math.floor(rnd() * 8) }, () => words[Math.floor(rnd() * words.length)]);
    const label = processLabel(argv, 'comm');
    assert.ok(label.length > 0 && label.length <= MAX_LABEL + 2, JSON.stringify({ argv, label }));
  }
});
