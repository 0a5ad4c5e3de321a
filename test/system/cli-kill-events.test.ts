// -K closes the sockets it prints (like ss -K); -E prints sockets as the kernel destroys them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Netns } from './lib/netns';
import { PopulationBuilder, startInNewNetns, type PopulatedNetns } from './lib/population';
import { CLI, buildCli, parseSs, runCli, runSs } from './lib/ss';

let ns: Netns;
let env: PopulatedNetns | undefined;

describe('sockscope -K and -E', { timeout: 60_000 }, () => {
  before(async () => {
    buildCli();
    ({ ns } = env = await startInNewNetns('clikill', new PopulationBuilder()
      .tcpListener('127.0.0.1', 7101).tcpConnection('127.0.0.1', 7101)
      .tcpListener('127.0.0.1', 7102).tcpConnection('127.0.0.1', 7102)));
  });
  after(async () => {
    await env?.stop();
  });

  it('-K closes exactly the matching sockets and prints them', () => {
    const r = runCli(['-N', ns.name, '-K', '-tn', 'dport', '=', ':7101']);
    assert.equal(r.status, 0, r.stderr);
    const killed = parseSs(r.stdout, 'tcp');
    assert.equal(killed.length, 1);
    assert.equal(killed[0].peerPort, 7101);
    const left = parseSs(runSs(ns.name, ['-tn']).stdout, 'tcp');
    assert.ok(!left.some((s) => s.peerPort === 7101 && s.state === 'ESTAB'), 'the client side toward 7101 is still open');
    assert.ok(left.some((s) => s.peerPort === 7102 && s.state === 'ESTAB'), 'the other connection was closed too');
  });

  it('-E prints a socket when the kernel destroys it', async () => {
    const child = spawn(process.execPath, [CLI, '-N', ns.name, '-E', '-tn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    try {
      await new Promise((r) => setTimeout(r, 1000));
      // A connection opened and closed: its sockets are destroyed once their last reference goes.
      ns.exec('python3', ['-c', "import socket\nl=socket.socket(); l.bind(('127.0.0.1',7103)); l.listen()\nc=socket.socket(); c.connect(('127.0.0.1',7103)); a,_=l.accept()\nc.close(); a.close(); l.close()"]);
      const deadline = Date.now() + 10_000;
      while (!/:7103\b/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /^State +Recv-Q/);
      assert.match(out, /127\.0\.0\.1:7103\b/);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
    assert.equal(child.exitCode, 0);
  });

  it('-E --json prints one JSON object per line as sockets are destroyed', async () => {
    const child = spawn(process.execPath, [CLI, '-N', ns.name, '-E', '-tn', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    try {
      await new Promise((r) => setTimeout(r, 1000));
      ns.exec('python3', ['-c', "import socket\nl=socket.socket(); l.bind(('127.0.0.1',7104)); l.listen()\nc=socket.socket(); c.connect(('127.0.0.1',7104)); a,_=l.accept()\nc.close(); a.close(); l.close()"]);
      const deadline = Date.now() + 10_000;
      while (!/"localPort":7104\b[^\n]*\n/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
    assert.equal(child.exitCode, 0);
    const lines = out.split('\n').filter((l) => l !== '');
    assert.ok(lines.length >= 1, out);
    const records = lines.map((l) => JSON.parse(l) as { netid: string; localPort: number; peerPort: number });
    assert.ok(records.every((r) => r.netid === 'tcp'));
    assert.ok(records.some((r) => r.localPort === 7104 || r.peerPort === 7104), out);
    assert.ok(out.endsWith('\n') && !out.startsWith('['), 'JSON Lines: no array brackets');
  });
});
