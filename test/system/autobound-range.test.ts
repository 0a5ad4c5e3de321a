// `autobound` in a namespace whose ip_local_port_range is not the default: ss tests ports against
// the range of the namespace it dumps (on top of the kernel's bind-lock test), so the CLI, with
// -N or inside the namespace, and the helper must read that namespace's range too.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SockDiag } from '../../src/netlink';
import type { DumpChunkNotification } from '../../src/protocol/helper-protocol';
import type { SocketRecord } from '../../src/protocol/socket-record';
import { buildHelper, HelperRpc, REPO, startHelper } from './lib/helper-rpc';
import type { Netns } from './lib/netns';
import { PopulationBuilder, startInNewNetns, type PopulatedNetns } from './lib/population';

const CLI = join(REPO, 'dist', 'cli.js');
const FILTERS = ['autobound', 'not autobound', 'autobound or sport = :5555', '! autobound and sport > :1000'];

describe('autobound against the namespace\'s ip_local_port_range', () => {
  let env: PopulatedNetns | undefined;
  let ns: Netns;
  let h: HelperRpc | undefined;

  before(async () => {
    buildHelper();
    env = await startInNewNetns('autobound', new PopulationBuilder()
      .tcpListener('127.0.0.1', 5555)
      .tcpListener('127.0.0.1', 40000)
      .tcpConnection('127.0.0.1', 40000)
      .udpBound('127.0.0.1', 0));
    ns = env.ns;
    // The default range is 32768-60999: 5555 is outside it, inside this one.
    ns.exec('sysctl', ['-q', '-w', 'net.ipv4.ip_local_port_range=1024 65000']);
    h = await startHelper();
  });

  after(async () => {
    await h?.close();
    await env?.stop();
  });

  it('the engine reads the namespace\'s range, and its own', () => {
    const d = SockDiag.open({ netnsPath: ns.path });
    try {
      assert.deepEqual(d.localPortRange(), [1024, 65000]);
    } finally {
      d.close();
    }
    const own = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const here = SockDiag.open({ procfsOnly: true });
    try {
      assert.deepEqual(here.localPortRange(), own);
    } finally {
      here.close();
    }
  });

  it('sockscope prints what ss prints, inside the namespace and with -N', () => {
    for (const f of FILTERS) {
      const ss = ns.exec('ss', ['-tuna', f]);
      assert.equal(ns.exec(process.execPath, [CLI, '-tuna', f]), ss, `inside: ${f}`);
      const viaN = spawnSync(process.execPath, [CLI, '-N', ns.name, '-tuna', f], { encoding: 'utf8' });
      assert.equal(viaN.status, 0, viaN.stderr);
      assert.equal(viaN.stdout, ss, `-N: ${f}`);
    }
    // The range matters here: 5555 counts as autobound only in this namespace.
    assert.match(ns.exec('ss', ['-tuna', 'not autobound']), /^Netid[^\n]*\n$/, 'ss shows no socket for `not autobound`');
  });

  it('the helper filters like ss -N', async () => {
    for (const f of FILTERS) {
      const stream = `s${Math.random().toString(36).slice(2, 10)}`;
      const records: SocketRecord[] = [];
      h!.onMessage((m) => {
        if (m.method === 'dump/chunk' && (m.params as DumpChunkNotification).stream === stream) records.push(...(m.params as DumpChunkNotification).records);
      });
      const r = await h!.call('dump', { netns: { name: ns.name }, netids: ['tcp', 'udp'], filter: f, stream });
      assert.equal(r.error, undefined, f);
      const ss = execFileSync('ss', ['-N', ns.name, '-tuaenH', ...f.split(' ')], { encoding: 'utf8' });
      const cookies = [...ss.matchAll(/ sk:([0-9a-f]+)/g)].map((m) => m[1]);
      assert.deepEqual(records.map((rec) => rec.cookie).sort(), cookies.sort(), f);
    }
  });
});
