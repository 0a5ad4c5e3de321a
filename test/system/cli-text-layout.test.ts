// ss's column layout in the cases the small populations of cli-text.test.ts do not reach: a listing
// larger than ss's output buffer (it renders every ~4 MiB of cells, widths measured per render),
// the last row's Process cell (which ss leaves out of the column's width), and -e, which shows
// timers and TCP options as -o does; and MPTCP's -i line. Byte for byte against ss in the same namespace.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, type Netns } from './lib/netns';
import { PopulationBuilder, type RunningPopulation } from './lib/population';
import { spawnSync } from 'node:child_process';
import { buildCli, CLI } from './lib/ss';

/**
 * Both run inside the namespace with `ip netns exec`, which also gives them the same /sys (ss -N
 * remounts it, so its cgroup paths differ from what sockscope -N reads).
 */
function inNs(ns: Netns, cmd: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns.name, ...cmd], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => l && !/cgroup2 mount/.test(l)).join('\n') };
}

function same(ns: Netns, args: string[]): void {
  const ss = inNs(ns, ['ss', ...args]);
  const mine = inNs(ns, [process.execPath, CLI, ...args]);
  assert.equal(mine.status, 0, mine.stderr);
  assert.equal(ss.status, 0, ss.stderr);
  if (mine.stdout === ss.stdout) return;
  const a = mine.stdout.split('\n');
  const b = ss.stdout.split('\n');
  const i = a.findIndex((line, k) => line !== b[k]);
  assert.fail(`first difference at line ${i + 1} of ${b.length}:\n  ss:        ${JSON.stringify(b[i])}\n  sockscope: ${JSON.stringify(a[i])}`);
}

/** Up to 9,900 loopback connections per process (the hard fd limit here is 20,000). */
const MANY = (port: number, count: number) => String.raw`
import resource
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 2 * ${count} + 64), hard))
l = listener('127.0.0.1', ${port}, backlog=4096)
for _ in range(${count}):
    connection(l, '127.0.0.1', ${port})
`;

describe('ss column layout', { timeout: 180_000 }, () => {
  let ns: Netns;
  const pops: RunningPopulation[] = [];

  before(async () => {
    buildCli();
    ns = createNetns('layout');
    ns.ip('addr', 'add', 'fd00:5eed:0:1234:5678:9abc:def0:1/64', 'dev', 'lo', 'nodad');
    // ~39,600 IPv4 sockets, then a few IPv6 ones with wider addresses: ss prints IPv4 first and
    // renders between them, so the IPv4 rows keep the narrower columns.
    pops.push(await new PopulationBuilder().python(MANY(7001, 9900)).start(ns, 60_000));
    pops.push(await new PopulationBuilder().python(MANY(7002, 9900)).start(ns, 60_000));
    pops.push(await new PopulationBuilder()
      .tcpListener('fd00:5eed:0:1234:5678:9abc:def0:1', 7003)
      .tcpConnection('fd00:5eed:0:1234:5678:9abc:def0:1', 7003)
      .tcpListener('127.0.0.2', 7004)
      .python(String.raw`
c, a = connection(L['l_127.0.0.2_7004'], '127.0.0.2', 7004)
c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
m = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
m.bind(('127.0.0.3', 7005)); m.listen(); keep.append(m)
mc = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
mc.connect(('127.0.0.3', 7005)); ma, _ = m.accept(); keep.extend([mc, ma])
mc.sendall(b'hello'); ma.recv(5)`)
      .start(ns));
  });

  after(async () => {
    await Promise.all(pops.map((p) => p.stop()));
    ns?.remove();
  });

  it('a listing of 40,000 sockets renders where ss does (-tane, -tan)', () => {
    same(ns, ['-tane']);
    same(ns, ['-tan']);
  });

  it('-M -i prints the mptcp_info line as ss does', () => {
    same(ns, ['-Mni']);
    same(ns, ['-Mnie']);
  });

  it('-e shows timers and TCP options as -o does, and a longer last Process cell prints unpadded', () => {
    // One row: its Process cell is longer than the header, and ss does not count it in the width.
    same(ns, ['-tne', 'src', '127.0.0.2', 'and', 'dport', '=', ':7004']);
    same(ns, ['-tnoe', 'src', '127.0.0.2']);
  });
});
