// exposed-no-firewall against real rulesets in a namespace: nftables (Debian's nft) and iptables
// (whichever Debian's `iptables` is: iptables-nft here, legacy elsewhere). Three wildcard listeners:
// one port accepted, one dropped, one that no rule mentions; only the last is exposed, and only
// while the chain's policy lets it in. A rule the evaluator does not understand gives an info
// finding, never an exposed one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, type Netns } from './lib/netns';
import { buildCli } from './lib/ss';
import { Scenario, doctor, ssCookies } from './lib/findings-scenario';
import type { Finding } from '../../src/protocol/findings';

const LISTENERS = String.raw`
for name in ('accepted', 'dropped', 'open'):
    l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(('0.0.0.0', 0)); l.listen(8); keep.append(l)
    info[name] = l.getsockname()[1]
`;

function exposedPorts(findings: Finding[]): number[] {
  return findings.filter((f) => f.rule === 'exposed-no-firewall' && f.severity === 'warning')
    .map((f) => Number(/:(\d+)$/.exec(f.id)![1])).sort((a, b) => a - b);
}

describe('exposed-no-firewall', { timeout: 180_000 }, () => {
  const namespaces: Netns[] = [];
  const scenarios: Scenario[] = [];
  before(() => buildCli());
  after(async () => {
    for (const s of scenarios) await s.stop();
    for (const ns of namespaces) ns.remove();
  });
  const setup = async (): Promise<{ ns: Netns; ports: { accepted: number; dropped: number; open: number }; sc: Scenario }> => {
    const ns = createNetns('findings-fw');
    namespaces.push(ns);
    const sc = await Scenario.start(ns, LISTENERS);
    scenarios.push(sc);
    return { ns, sc, ports: sc.info as unknown as { accepted: number; dropped: number; open: number } };
  };

  it('with nftables: accepted, dropped and unfiltered ports', async () => {
    const { ns, ports, sc } = await setup();
    assert.deepEqual(exposedPorts(doctor(ns).findings), [ports.accepted, ports.dropped, ports.open].sort((a, b) => a - b), 'no ruleset: all three are exposed');
    const nft = (...args: string[]): string => ns.exec('nft', args);
    nft('add', 'table', 'inet', 'filter');
    nft('add', 'chain', 'inet', 'filter', 'input', '{ type filter hook input priority 0; policy accept; }');
    nft('add', 'rule', 'inet', 'filter', 'input', 'iif', 'lo', 'accept');
    nft('add', 'rule', 'inet', 'filter', 'input', 'ct', 'state', 'established,related', 'accept');
    nft('add', 'rule', 'inet', 'filter', 'input', 'tcp', 'dport', String(ports.accepted), 'accept');
    nft('add', 'rule', 'inet', 'filter', 'input', 'tcp', 'dport', `{ ${ports.dropped}, 1-3 }`, 'drop');
    const { findings } = doctor(ns);
    assert.deepEqual(exposedPorts(findings), [ports.open]);
    const f = findings.find((x) => x.id === `exposed-no-firewall/tcp:0.0.0.0:${ports.open}`)!;
    assert.deepEqual(f.sockets, ssCookies(ns, ['-tl', `sport = :${ports.open}`]));
    assert.deepEqual(f.processes, [sc.info.pid]);
    assert.match(f.detail, /policy accept/);
    // The policy counts: with policy drop, nothing is exposed.
    nft('add', 'chain', 'inet', 'filter', 'input', '{ policy drop; }');
    assert.deepEqual(exposedPorts(doctor(ns).findings), []);
    // A rule it does not understand, before the verdict: not evaluated, and said so.
    nft('add', 'chain', 'inet', 'filter', 'input', '{ policy accept; }');
    nft('insert', 'rule', 'inet', 'filter', 'input', 'meta', 'mark', '0x1', 'drop');
    const unknown = doctor(ns).findings;
    assert.deepEqual(exposedPorts(unknown), []);
    const info = unknown.find((x) => x.id === 'exposed-no-firewall/not-evaluated');
    assert.ok(info, 'an info finding says what could not be evaluated');
    assert.equal(info.severity, 'info');
    assert.match(info.detail, /meta/);
  });

  it('with iptables: accepted, dropped and unfiltered ports', async () => {
    const { ns, ports } = await setup();
    const ipt = (...args: string[]): string => ns.exec('iptables', args);
    ipt('-A', 'INPUT', '-i', 'lo', '-j', 'ACCEPT');
    ipt('-A', 'INPUT', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT');
    ipt('-A', 'INPUT', '-p', 'tcp', '-m', 'tcp', '--dport', String(ports.accepted), '-j', 'ACCEPT');
    ipt('-N', 'BLOCK');
    ipt('-A', 'BLOCK', '-j', 'LOG', '--log-prefix', 'blocked: ');
    ipt('-A', 'BLOCK', '-j', 'DROP');
    ipt('-A', 'INPUT', '-p', 'tcp', '-m', 'multiport', '--dports', `${ports.dropped},1:3`, '-j', 'BLOCK');
    const { findings } = doctor(ns);
    assert.deepEqual(exposedPorts(findings), [ports.open]);
    assert.ok(!findings.some((f) => f.rule === 'exposed-no-firewall' && f.severity === 'info'), `iptables rules are understood: ${JSON.stringify(findings.filter((f) => f.severity === 'info'))}`);
    const f = findings.find((x) => x.id === `exposed-no-firewall/tcp:0.0.0.0:${ports.open}`)!;
    assert.deepEqual(f.sockets, ssCookies(ns, ['-tl', `sport = :${ports.open}`]));
    ipt('-P', 'INPUT', 'DROP');
    assert.deepEqual(exposedPorts(doctor(ns).findings), []);
  });
});
