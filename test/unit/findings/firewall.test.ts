// The firewall parsers on captured output, and the exposure evaluator's outcomes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FirewallFormatError, evaluateExposure, parseIptablesSave, parseNftJson, type Ruleset } from '../../../src/findings/index';
import type { Packet } from '../../../src/findings/firewall/evaluate';
import { fixture } from './snapshot-builder';

const tcp = (port: number, family: 4 | 6 = 4) => ({ proto: 'tcp' as const, port, family });
const udp = (port: number, family: 4 | 6 = 4) => ({ proto: 'udp' as const, port, family });
const exposure = (rs: Ruleset[], p: Packet) => evaluateExposure(rs, p).exposure;

describe('nft -j list ruleset (captured)', () => {
  const rs = [parseNftJson(fixture('nft-ruleset.json'))];
  it('reads tables, base chains, sets and verdict maps', () => {
    const t = rs[0].tables[0];
    assert.equal(t.name, 'inet filter');
    assert.deepEqual(t.chains.input.base, { hook: 'input', policy: 'drop', priority: 0 });
    assert.equal(t.chains.other.base, undefined);
  });
  it('evaluates each rule kind', () => {
    assert.equal(exposure(rs, tcp(22)), 'accepted');
    assert.equal(exposure(rs, tcp(8050)), 'dropped');
    assert.equal(exposure(rs, tcp(9000)), 'dropped');
    assert.equal(exposure(rs, tcp(443)), 'accepted', 'named set @allowed');
    assert.equal(exposure(rs, udp(53)), 'filtered', 'accepted from 10.0.0.0/8 only');
    assert.equal(exposure(rs, udp(123)), 'dropped', 'reject');
    assert.equal(exposure(rs, tcp(7000)), 'accepted', 'vmap accept');
    assert.equal(exposure(rs, tcp(7001)), 'dropped', 'vmap drop');
    assert.equal(exposure(rs, tcp(7)), 'accepted', 'through jump');
    assert.equal(exposure(rs, tcp(12345)), 'dropped', 'policy drop');
    assert.match(evaluateExposure(rs, tcp(12345)).because, /policy drop/);
  });
  it('with policy accept, an unmentioned port is unfiltered', () => {
    const doc = JSON.parse(fixture('nft-ruleset.json'));
    for (const it of doc.nftables) if (it.chain?.policy) it.chain.policy = 'accept';
    assert.equal(exposure([parseNftJson(doc)], tcp(12345)), 'unfiltered');
    assert.equal(exposure([parseNftJson(doc)], tcp(22)), 'accepted');
  });
  it('an empty ruleset leaves everything unfiltered', () => {
    assert.equal(exposure([parseNftJson('{"nftables":[{"metainfo":{}}]}')], tcp(1)), 'unfiltered');
  });
  it('xt expressions (iptables-nft) are not understood', () => {
    assert.equal(exposure([parseNftJson(fixture('nft-iptables-nft.json'))], tcp(8080)), 'unknown');
  });
  it('not nft JSON: a FirewallFormatError saying where', () => {
    assert.throws(() => parseNftJson('{'), FirewallFormatError);
    assert.throws(() => parseNftJson('{"x":1}'), /top level: expected \{"nftables": \[\.\.\.\]\}/);
    assert.throws(() => parseNftJson('{"nftables":[1]}'), /nftables\[0\]: expected an object/);
  });
});

describe('iptables-save (captured)', () => {
  it('reads the nf_tables backend and the filter table', () => {
    const rs = parseIptablesSave(fixture('iptables-save.txt'));
    assert.equal(rs.backend, 'nf_tables');
    assert.deepEqual(rs.tables.map((t) => t.name), ['iptables filter']);
    assert.equal(exposure([rs], tcp(22)), 'accepted');
    assert.equal(exposure([rs], tcp(443)), 'dropped', 'multiport');
    assert.equal(exposure([rs], tcp(8080)), 'unfiltered', 'policy ACCEPT');
    assert.equal(exposure([rs], tcp(22, 6)), 'unfiltered', 'an IPv4 table says nothing about IPv6');
  });
  it('negations, interfaces, sources, user chains, RETURN', () => {
    const rs = [parseIptablesSave([
      '*filter', ':INPUT DROP [0:0]', ':SVC - [0:0]',
      '-A INPUT -i eth0 -p tcp --dport 1 -j ACCEPT',
      '-A INPUT -s 0.0.0.0/0 -p tcp --dport 2 -j ACCEPT',
      '-A INPUT -p tcp ! --dport 3 -j SVC',
      '-A INPUT -p tcp --dport 3 -m comment --comment "a \\"quoted\\" comment" -j ACCEPT',
      '-A SVC -p tcp --dport 4 -j RETURN',
      '-A SVC -p tcp --dport 5:6 -j ACCEPT',
      'COMMIT',
    ].join('\n'))];
    assert.equal(exposure(rs, tcp(1)), 'filtered', 'one interface only');
    assert.equal(exposure(rs, tcp(2)), 'accepted');
    assert.equal(exposure(rs, tcp(3)), 'accepted');
    assert.equal(exposure(rs, tcp(4)), 'dropped', 'RETURN to a policy drop');
    assert.equal(exposure(rs, tcp(5)), 'accepted', 'in a user chain');
    assert.equal(exposure(rs, udp(5)), 'dropped');
    const all = [parseIptablesSave('*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp ! --dport 3 -j ACCEPT\nCOMMIT\n')];
    assert.equal(exposure(all, tcp(5)), 'unfiltered', 'accepted by a rule that does not name the port');
    assert.equal(exposure(all, tcp(3)), 'dropped');
  });
  it('unknown matches and targets are not guessed', () => {
    const rs = [parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m frobnicate --frob 1 -j DROP\nCOMMIT\n')];
    assert.equal(exposure(rs, tcp(1)), 'unknown');
    const t = [parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j NFQUEUE --queue-num 1\nCOMMIT\n')];
    assert.equal(exposure(t, tcp(1)), 'unknown');
  });
  it('legacy and nf_tables rulesets combine: a drop anywhere wins', () => {
    const a = parseIptablesSave('# Generated by iptables-save v1.8.9 (legacy)\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 9 -j DROP\nCOMMIT\n');
    assert.equal(a.backend, 'legacy');
    const b = parseNftJson(fixture('nft-ruleset.json'));
    assert.equal(exposure([a, b], tcp(9)), 'dropped');
  });
  it('malformed text: a FirewallFormatError naming the line', () => {
    assert.throws(() => parseIptablesSave('-A INPUT -j ACCEPT\n'), /line 1: a line outside a \*table/);
    assert.throws(() => parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n-A FOO -j ACCEPT\nCOMMIT\n'), /line 3: rule for undeclared chain FOO/);
    assert.throws(() => parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n'), /has no COMMIT/);
    assert.throws(() => parseIptablesSave('*filter\n-A INPUT -m comment --comment "x\nCOMMIT\n'), /unterminated quote/);
  });
});
