// The language client's helpers that need no VS Code: shell word splitting/quoting for pasted
// queries, and the live values offered to completion.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { cgroups, interfaces, listeningPorts, namespaceValues, peerAddresses } from '../../src/client/language/live-values-provider';
import type { SocketRecord } from '../../src/protocol/socket-record';
import { shellQuote, shellWords } from '../../src/client/language/shell-words';
import { ROOT } from './harness';

test('shellWords splits a pasted command line like a POSIX shell', () => {
  assert.deepEqual(shellWords(`ss -tanp state established '( dport = :443 )'`), ['ss', '-tanp', 'state', 'established', '( dport = :443 )']);
  assert.deepEqual(shellWords(`src "/tmp/a b" dst\\ x ''`), ['src', '/tmp/a b', 'dst x', '']);
  assert.deepEqual(shellWords('  -t\n  sport = :22  '), ['-t', 'sport', '=', ':22']);
});

test('shellQuote quotes only what needs it', () => {
  assert.equal(shellQuote('-tan'), '-tan');
  assert.equal(shellQuote('( dport = :443 )'), `'( dport = :443 )'`);
  assert.equal(shellQuote(`it's`), `'it'\\''s'`);
  assert.deepEqual(shellWords(shellQuote(`a 'b' "c"`)), [`a 'b' "c"`]);
});

test('live values from real sockets: listening ports with their process, peers, interfaces, netns, cgroups', { skip: !existsSync(`${ROOT}/dist/cli.js`) && 'dist/cli.js is not built' }, async () => {
  const server = createServer((s) => s.on('error', () => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const client = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  const ns = `sockscope-lsp-${process.pid}-1`;
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    const dump = (args: string[]): SocketRecord[] => JSON.parse(spawnSync(process.execPath, [`${ROOT}/dist/cli.js`, '--json', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout);
    const ports = listeningPorts(dump(['-tlp']));
    const mine = ports.find((v) => v.port === port);
    assert.ok(mine, `port ${port} in ${ports.map((p) => p.value).join(' ')}`);
    assert.equal(mine.value, `:${port}`);
    assert.match(mine.detail ?? '', new RegExp(`^:${port} — node \\(pid ${process.pid}\\), tcp LISTEN$`));
    const peers = peerAddresses(dump(['-tnp']));
    assert.match(peers.find((v) => v.value === '127.0.0.1')?.detail ?? '', /^127\.0\.0\.1 — \d+ connections? \(.*node/);
    assert.ok(interfaces().some((v) => v.value === 'lo' && /index 1\b/.test(v.detail ?? '')));
    assert.ok(namespaceValues([]).some((v) => v.value === ns));
    const cg = cgroups();
    assert.equal(cg[0].value, '/');
    assert.ok(cg.every((v) => v.value.startsWith('/')));
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
    client.destroy();
    server.close();
  }
});
