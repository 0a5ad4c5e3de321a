// sockscope doctor against real conditions made in a namespace: each finding appears with the
// right sockets, processes and numbers, and is absent before the condition (or past a threshold).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, type Netns } from './lib/netns';
import { buildCli } from './lib/ss';
import { Scenario, doctor, ssCookies } from './lib/findings-scenario';

describe('sockscope doctor finds', { timeout: 180_000 }, () => {
  const namespaces: Netns[] = [];
  const scenarios: Scenario[] = [];
  const netns = (): Netns => { const ns = createNetns('findings'); namespaces.push(ns); return ns; };
  const start = async (...a: Parameters<typeof Scenario.start>): Promise<Scenario> => { const s = await Scenario.start(...a); scenarios.push(s); return s; };

  before(() => buildCli());
  after(async () => {
    for (const s of scenarios) await s.stop();
    for (const ns of namespaces) ns.remove();
  });

  it('a full accept queue (a server that never calls accept)', async () => {
    const ns = netns();
    const sc = await start(ns, String.raw`
l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(2); keep.append(l)
info['port'] = l.getsockname()[1]
ok = socket.socket(); ok.bind(('127.0.0.1', 0)); ok.listen(16); keep.append(ok)
info['okPort'] = ok.getsockname()[1]
`, {
      flood: String.raw`
for i in range(5):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(('127.0.0.1', info['port']))
    except BlockingIOError: pass
    keep.append(c)
`,
    });
    const port = sc.info.port as number;
    const id = `listen-overflow/127.0.0.1:${port}`;
    const before = doctor(ns);
    assert.equal(before.findings.find((f) => f.id === id), undefined, 'no overflow before clients connect');
    assert.equal(before.status, 0);
    await sc.step('flood');
    const { status, findings } = doctor(ns);
    const f = findings.find((x) => x.id === id);
    assert.ok(f, `no ${id} in ${findings.map((x) => x.id).join(', ')}`);
    assert.equal(f.severity, 'error');
    assert.equal(status, 1, 'an error finding makes exit status 1');
    assert.deepEqual(f.sockets, ssCookies(ns, ['-tl', `sport = :${port}`]));
    assert.deepEqual(f.processes, [sc.info.pid]);
    assert.match(f.detail, /Recv-Q 3 waiting for accept\(\), backlog \(Send-Q\) 2/);
    assert.ok(!findings.some((x) => x.id === `listen-overflow/127.0.0.1:${sc.info.okPort as number}`), 'the listener with room is not named');
  });

  it('CLOSE-WAIT sockets of a server that does not close what its peers closed', async () => {
    const ns = netns();
    const sc = await start(ns, String.raw`
l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(16); keep.append(l)
info['port'] = l.getsockname()[1]
clients = []
for i in range(5):
    c = socket.socket(); c.connect(('127.0.0.1', info['port'])); a, _ = l.accept(); keep.append(a); clients.append(c)
`, { close: 'for c in clients: c.close()' });
    const id = `close-wait/pid:${sc.info.pid}`;
    assert.equal(doctor(ns).findings.find((f) => f.id === id), undefined, 'no CLOSE-WAIT while the peers are open');
    await sc.step('close');
    const { findings } = doctor(ns);
    const f = findings.find((x) => x.id === id);
    assert.ok(f, `no ${id} in ${findings.map((x) => x.id).join(', ')}`);
    assert.equal(f.severity, 'warning');
    assert.deepEqual([...f.sockets].sort(), ssCookies(ns, ['-t', 'state', 'close-wait']));
    assert.equal(f.sockets.length, 5);
    assert.deepEqual(f.processes, [sc.info.pid]);
    assert.match(f.detail, /^5 CLOSE-WAIT \(warning at 5, error at 100\)/);
    // One over the count: not a finding.
    assert.equal(doctor(ns, '--threshold', 'close-wait.count=6').findings.find((x) => x.id === id), undefined);
  });

  it('a process near its open-file limit (ulimit -n 64)', async () => {
    const ns = netns();
    const grow = String.raw`
for i in range(50):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0)); keep.append(u)
info['fds'] = len(os.listdir('/proc/self/fd'))
`;
    const low = await start(ns, '', { grow }, ['sh', '-c', 'ulimit -n 64; exec "$@"', 'sh']);
    const roomy = await start(ns, grow);
    const id = `fd-limit/pid:${low.info.pid}`;
    assert.equal(doctor(ns).findings.find((f) => f.id === id), undefined, 'no finding while it holds few descriptors');
    await low.step('grow');
    const { findings } = doctor(ns);
    const f = findings.find((x) => x.id === id);
    assert.ok(f, `no ${id} in ${findings.map((x) => x.id).join(', ')}`);
    assert.deepEqual(f.processes, [low.info.pid]);
    assert.match(f.title, /of 64 open files/);
    assert.equal(f.sockets.length, 50);
    assert.ok(!findings.some((x) => x.id === `fd-limit/pid:${roomy.info.pid}`), 'the process with a high limit is not named');
  });

  it('connections to one destination nearing a narrowed ip_local_port_range', async () => {
    const ns = netns();
    ns.exec('sysctl', ['-qw', 'net.ipv4.ip_local_port_range=40000 40019']);
    const connect = (n: number): string => String.raw`
for i in range(${n}):
    c = socket.socket(); c.connect(('127.0.0.1', info['port'])); a, _ = l.accept(); keep.extend([c, a])
`;
    const sc = await start(ns, String.raw`
l = socket.socket(); l.bind(('127.0.0.1', 9000)); l.listen(64); keep.append(l)
info['port'] = 9000
` + connect(10), { more: connect(7) });
    const id = 'port-exhaustion/127.0.0.1>127.0.0.1:9000';
    assert.equal(doctor(ns).findings.find((f) => f.id === id), undefined, '10 of 20 ports is below the threshold');
    await sc.step('more');
    const { findings } = doctor(ns);
    const f = findings.find((x) => x.id === id);
    assert.ok(f, `no ${id} in ${findings.map((x) => x.id).join(', ')}`);
    assert.equal(f.severity, 'warning');
    assert.equal(f.sockets.length, 17);
    assert.deepEqual([...f.sockets].sort(), ssCookies(ns, ['-t', 'dst', '127.0.0.1:9000']));
    assert.match(f.detail, /40000-40019 has 20 ports/);
  });
});
