// The firewall parsers on random input: they return a Ruleset or throw FirewallFormatError (never
// anything else), and the evaluator always answers one of its outcomes, quickly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FirewallFormatError, evaluateExposure, parseIptablesSave, parseNftJson, type Ruleset } from '../../../src/findings/index';
import { prng } from '../../lib/prng';
import { fixture } from './snapshot-builder';

const OUTCOMES = new Set(['accepted', 'dropped', 'filtered', 'unfiltered', 'unknown']);

function checkRuleset(rs: Ruleset): void {
  for (const proto of ['tcp', 'udp'] as const) {
    for (const port of [0, 22, 443, 65535]) {
      for (const family of [4, 6] as const) assert.ok(OUTCOMES.has(evaluateExposure([rs], { proto, port, family }).exposure));
    }
  }
}

function parseOrFormatError(f: () => Ruleset, input: string): void {
  try { checkRuleset(f()); } catch (e) {
    if (!(e instanceof FirewallFormatError)) assert.fail(`${(e as Error).stack}\non ${JSON.stringify(input.slice(0, 300))}`);
  }
}

const WORDS = ['-A', 'INPUT', 'SVC', '-p', 'tcp', 'udp', '!', '--dport', '22', '1:3', '80,443', '-m', 'multiport', '--dports', 'conntrack',
  '--ctstate', 'NEW,ESTABLISHED', '-i', 'lo', 'eth+', '-s', '10.0.0.0/8', '0.0.0.0/0', '-j', 'ACCEPT', 'DROP', 'RETURN', 'SVC', 'LOG',
  '-g', '--comment', '"x y"', '"', 'limit', '--limit', '5/s', '--syn', '--tcp-flags', 'SYN', '-f', '--weird', '99999', ''];

test('iptables-save: random lines', () => {
  const rnd = prng(20261201);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  for (let i = 0; i < 2000; i++) {
    const lines = ['*filter', ':INPUT ' + pick(['ACCEPT', 'DROP', '-', 'x']) + ' [0:0]', ':SVC - [0:0]'];
    const n = Math.floor(rnd() * 6);
    for (let k = 0; k < n; k++) lines.push(Array.from({ length: 1 + Math.floor(rnd() * 10) }, () => pick(WORDS)).join(' '));
    if (rnd() < 0.9) lines.push('COMMIT');
    const text = lines.join('\n');
    parseOrFormatError(() => parseIptablesSave(text), text);
  }
});

test('iptables-save: random bytes and mutations of the captured file', () => {
  const rnd = prng(7);
  const base = fixture('iptables-save.txt');
  for (let i = 0; i < 1500; i++) {
    const chars = [...base];
    for (let k = 0; k < 1 + Math.floor(rnd() * 8); k++) chars[Math.floor(rnd() * chars.length)] = String.fromCharCode(Math.floor(rnd() * 128));
    const text = chars.join('');
    parseOrFormatError(() => parseIptablesSave(text), text);
  }
});

/** A random JSON value, biased toward nft's shapes. */
function randomJson(rnd: () => number, depth: number): unknown {
  const keys = ['match', 'op', 'left', 'right', 'payload', 'protocol', 'field', 'meta', 'key', 'ct', 'set', 'range', 'prefix', 'len',
    'accept', 'drop', 'jump', 'goto', 'target', 'vmap', 'data', 'elem', 'val', 'counter', 'xt', 'limit', 'return', 'reject'];
  const leaves: unknown[] = [null, 0, 22, 65535, 70000, -1, 'tcp', 'udp', 'th', 'dport', 'saddr', 'ip', 'iif', 'lo', 'state', 'new', '==', '!=', 'in', '@s', 'input', true];
  const r = rnd();
  if (depth <= 0 || r < 0.3) return leaves[Math.floor(rnd() * leaves.length)];
  if (r < 0.55) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomJson(rnd, depth - 1));
  const o: Record<string, unknown> = {};
  for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) o[keys[Math.floor(rnd() * keys.length)]] = randomJson(rnd, depth - 1);
  return o;
}

test('nft JSON: random documents and random rule expressions', () => {
  const rnd = prng(99);
  const base = JSON.parse(fixture('nft-ruleset.json'));
  for (let i = 0; i < 1500; i++) {
    const doc = structuredClone(base);
    const items = doc.nftables as Record<string, unknown>[];
    // Replace some rules' expressions, chains' fields, or whole items.
    for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) {
      const j = Math.floor(rnd() * items.length);
      const it = items[j] as { rule?: { expr: unknown }; chain?: Record<string, unknown> };
      if (it.rule && rnd() < 0.7) it.rule.expr = randomJson(rnd, 4);
      else if (it.chain && rnd() < 0.5) it.chain[['hook', 'policy', 'prio', 'type', 'name'][Math.floor(rnd() * 5)]] = randomJson(rnd, 1);
      else items[j] = randomJson(rnd, 3) as Record<string, unknown>;
    }
    const text = JSON.stringify(doc);
    parseOrFormatError(() => parseNftJson(text), text);
  }
  for (let i = 0; i < 500; i++) {
    const text = JSON.stringify(randomJson(rnd, 5));
    parseOrFormatError(() => parseNftJson(text), text);
  }
});

test('deep jump chains and loops end', () => {
  const lines = ['*filter', ':INPUT ACCEPT [0:0]', ':A - [0:0]', ':B - [0:0]', '-A INPUT -j A', '-A A -j B', '-A B -j A', 'COMMIT'];
  assert.equal(evaluateExposure([parseIptablesSave(lines.join('\n'))], { proto: 'tcp', port: 1, family: 4 }).exposure, 'unknown');
});
