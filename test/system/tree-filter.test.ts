// "Copy as ss filter" against the oracle: for every socket of a varied population in a fresh
// namespace, the filter the Sockets view copies is accepted by real `ss` and selects exactly
// that socket (checked by the cookie ss -e prints), and the view's port/peer filters are
// accepted by ss too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createNetns, type Netns } from './lib/netns';
import { PopulationBuilder, type RunningPopulation } from './lib/population';
import type { SocketRecord } from '../../src/protocol/socket-record';
import { peerFilterFor, portFilterFor, ssFilterFor } from '../../src/client/tree/model-ss-filter';

let ns: Netns;
let pop: RunningPopulation | undefined;
let records: SocketRecord[] = [];

function ss(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ss', args, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Our filters only quote words with shell metacharacters; this population has none. */
const words = (filter: string): string[] => filter.split(' ').filter(Boolean);

before(async () => {
  ns = createNetns('treefilter');
  try {
    pop = await new PopulationBuilder()
      .loAddresses('10.66.0.1/32', 'fd66::1/128')
      .tcpListener('0.0.0.0', 7101)
      .tcpListener('127.0.0.1', 7102)
      .tcpListener('::', 7103, { v6only: false })
      .tcpListener('fd66::1', 7104)
      .tcpListener('10.66.0.1', 7105)
      .tcpConnection('127.0.0.1', 7102)
      .tcpConnection('127.0.0.1', 7102)
      .tcpConnection('fd66::1', 7104)
      .tcpConnection('10.66.0.1', 7105, { unread: 100 })
      .python(`c6, a6 = connection(L['l_::_7103'], '127.0.0.1', 7103)`)
      .tcpTimeWait('127.0.0.1', 7101, 'l_0.0.0.0_7101')
      .tcpHalfClosed('10.66.0.1', 7105)
      .udpBound('0.0.0.0', 7201)
      .udpBound('127.0.0.1', 7202)
      .udpConnected('127.0.0.1', 7202)
      .unixStream('/tmp/sockscope-treefilter.sock')
      .start(ns);
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '-N', ns.name, '-tuxan', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(cli.status, 0, cli.stderr);
    records = JSON.parse(cli.stdout) as SocketRecord[];
  } catch (e) {
    await pop?.stop();
    ns.remove();
    throw e;
  }
});

after(async () => {
  await pop?.stop();
  ns?.remove();
});

test('the population is there', () => {
  const inet = records.filter((r) => r.netid === 'tcp' || r.netid === 'udp');
  assert.ok(inet.length >= 18, `only ${inet.length} inet sockets`);
  assert.ok(records.some((r) => r.state === 'TIME-WAIT'));
  assert.ok(records.some((r) => r.family === 'inet6' && r.localAddress?.startsWith('::ffff:')));
});

test('Copy as ss filter selects exactly that socket in real ss', () => {
  let checked = 0;
  for (const r of records) {
    const filter = ssFilterFor(r, { netns: ns.name });
    if (!filter) {
      assert.ok(r.family === 'unix' && !r.localAddress, `no filter for ${JSON.stringify(r)}`);
      continue;
    }
    const out = ss(['-H', '-n', '-e', ...words(filter)]);
    assert.equal(out.status, 0, `ss rejected: ss ${filter}\n${out.stderr}`);
    const lines = out.stdout.split('\n').filter((l) => l.trim());
    const cookies = lines.map((l) => /sk:([0-9a-f]+)/.exec(l)?.[1]);
    if (r.family === 'unix') {
      // ss matches unix sockets by path only: the filter narrows to the sockets with that path and
      // state; ss prints no cookie for them, so look for the inode.
      assert.ok(lines.some((l) => new RegExp(`\\s${r.inode}\\s`).test(l)), `ss ${filter} missed inode ${r.inode}: ${out.stdout}`);
    } else {
      assert.equal(lines.length, 1, `ss ${filter} selected ${lines.length} sockets:\n${out.stdout}`);
      if (cookies[0] !== undefined) assert.equal(cookies[0], r.cookie, `ss ${filter} selected another socket`);
    }
    checked++;
  }
  assert.ok(checked >= 18, `checked ${checked}`);
});

test('Filter to this port / this peer produce filters real ss accepts and that include the socket', () => {
  for (const r of records.filter((x) => x.netid === 'tcp' && x.state === 'ESTAB')) {
    for (const f of [portFilterFor(r), peerFilterFor(r)]) {
      assert.ok(f, `no filter for ${r.localAddress}:${r.localPort}`);
      const out = ss(['-N', ns.name, '-H', '-n', '-e', '-t', '-a', ...words(f)]);
      assert.equal(out.status, 0, `ss rejected: ${f}\n${out.stderr}`);
      assert.ok(out.stdout.includes(`sk:${r.cookie}`), `ss ${f} does not include ${r.cookie}:\n${out.stdout}`);
    }
  }
});
