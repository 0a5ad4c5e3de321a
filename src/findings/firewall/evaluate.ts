// "What happens to a new connection from outside the host to local port P?" over every ruleset
// read. The packet: a new flow (conntrack state new), arriving on an interface other than lo, from
// an arbitrary non-local source, to a local address. A condition is then true for all such
// packets, none, some (a source prefix, a rate limit), or unknown (not understood).
//
// Every base chain on the way in sees the packet (an accept ends only its own chain); a drop
// anywhere is final. Outcomes: `dropped` (every such packet is dropped), `accepted` (a rule about
// this port lets it in), `filtered` (let in for some packets only), `unfiltered` (nothing about the
// port; a chain policy or a catch-all rule lets everything in), `unknown` (a rule on the way could
// not be understood: never guessed either way).
import type { Chain, Cond, IpFamily, Proto, Rule, Ruleset, Table } from './model';

export type Exposure = 'accepted' | 'dropped' | 'filtered' | 'unfiltered' | 'unknown';

export interface Packet {
  proto: Proto;
  port: number;
  family: IpFamily;
}

export interface ExposureResult {
  exposure: Exposure;
  /** The rule or policy that decided, as text ("inet filter input: tcp dport 22 accept", "policy drop"). */
  because: string;
}

type Match = 'all' | 'none' | 'some' | 'unknown';

function condMatch(c: Cond, p: Packet): { m: Match; port: boolean } {
  const flip = (m: Match, negate: boolean): Match => (!negate ? m : m === 'all' ? 'none' : m === 'none' ? 'all' : m);
  switch (c.kind) {
    case 'proto': return { m: flip(c.protos.includes(p.proto) ? 'all' : 'none', c.negate), port: false };
    case 'dport': {
      if (c.proto && c.proto !== p.proto) return { m: 'none', port: false };
      const inside = c.ranges.some(([a, b]) => p.port >= a && p.port <= b);
      // Only a positive match names the port ("! --dport 3" is about port 3, not the others).
      return { m: flip(inside ? 'all' : 'none', c.negate), port: !c.negate };
    }
    case 'sport': {
      if (c.proto && c.proto !== p.proto) return { m: 'none', port: false };
      const whole = c.ranges.some(([a, b]) => a === 0 && b === 65535);
      return { m: whole ? flip('all', c.negate) : 'some', port: false };
    }
    case 'iif': {
      // Traffic from outside arrives on any interface but lo.
      if (c.names.every((n) => n === 'lo')) return { m: c.negate ? 'all' : 'none', port: false };
      return { m: 'some', port: false };
    }
    case 'ctstate': return { m: flip(c.states.includes('new') ? 'all' : 'none', c.negate), port: false };
    case 'saddr': case 'daddr': return { m: c.any ? flip('all', c.negate) : 'some', port: false };
    case 'family': return { m: c.family === p.family ? 'all' : 'none', port: false };
    case 'some': return { m: 'some', port: false };
    case 'unknown': return { m: 'unknown', port: false };
  }
}

function ruleMatch(r: Rule, p: Packet): { m: Match; port: boolean } {
  let m: Match = 'all';
  let port = false;
  for (const c of r.conds) {
    const x = condMatch(c, p);
    if (x.m === 'none') return { m: 'none', port: false };
    if (x.port) port = true;
    if (x.m === 'unknown') m = 'unknown';
    else if (x.m === 'some' && m === 'all') m = 'some';
  }
  return { m, port };
}

interface ChainOutcome {
  /** What happened to the packets every rule so far matched in full. */
  result: 'accept' | 'drop' | 'fallthrough' | 'unknown';
  /** Verdicts some packets (a partial match) got on the way. */
  partial: Set<'accept' | 'drop'>;
  /** The deciding rule matched on the port. */
  aboutPort: boolean;
  because: string;
}

const MAX_DEPTH = 32;

function evalChain(t: Table, chain: Chain, p: Packet, depth: number): ChainOutcome {
  const partial = new Set<'accept' | 'drop'>();
  if (depth > MAX_DEPTH) return { result: 'unknown', partial, aboutPort: false, because: `${t.name}: jumps nested deeper than ${MAX_DEPTH}` };
  for (const r of chain.rules) {
    const { m, port } = ruleMatch(r, p);
    if (m === 'none') continue;
    const v = r.verdict;
    if (v.kind === 'continue') continue;
    const because = `${t.name} ${chain.name}: ${r.text}`;
    if (m === 'unknown' || v.kind === 'unknown') return { result: 'unknown', partial, aboutPort: false, because: `${because} (${v.kind === 'unknown' ? v.what : 'not understood'})` };
    if (v.kind === 'jump' || v.kind === 'goto') {
      const target = t.chains[v.chain];
      if (!target) return { result: 'unknown', partial, aboutPort: false, because: `${because} (no chain ${v.chain})` };
      const sub = evalChain(t, target, p, depth + 1);
      if (sub.result === 'unknown') return { ...sub, partial };
      for (const x of sub.partial) partial.add(x);
      if (m === 'all') {
        if (sub.result !== 'fallthrough') return { ...sub, partial, aboutPort: sub.aboutPort || port };
        if (v.kind === 'goto') return { result: 'fallthrough', partial, aboutPort: false, because };
      } else if (sub.result !== 'fallthrough') {
        partial.add(sub.result);
      }
      continue;
    }
    if (v.kind === 'return') {
      if (m === 'all') return { result: 'fallthrough', partial, aboutPort: false, because };
      continue;
    }
    if (m === 'all') return { result: v.kind, partial, aboutPort: port, because };
    partial.add(v.kind);
  }
  return { result: 'fallthrough', partial, aboutPort: false, because: `${t.name} ${chain.name}` };
}

/** One base chain's verdict for the packet. */
function evalBase(t: Table, chain: Chain, p: Packet): ExposureResult {
  const base = chain.base!;
  const o = evalChain(t, chain, p, 0);
  if (o.result === 'unknown') return { exposure: 'unknown', because: o.because };
  const byPolicy = o.result === 'fallthrough';
  const result = byPolicy ? base.policy : o.result;
  const because = byPolicy ? `${t.name} ${chain.name}: policy ${base.policy}` : o.because;
  if (result === 'drop') return { exposure: o.partial.has('accept') ? 'filtered' : 'dropped', because };
  if (o.partial.has('drop')) return { exposure: 'filtered', because };
  return { exposure: !byPolicy && o.aboutPort ? 'accepted' : 'unfiltered', because };
}

const HOOK_ORDER: Record<string, number> = { ingress: 0, prerouting: 1, input: 2 };

/**
 * The outcome over every ruleset. `skipTables` names tables (as Table.name) to leave out: with
 * iptables-nft, the same tables appear in nft's output (with `xt` expressions it cannot decode)
 * and in iptables-save's; they are read from the latter.
 */
export function evaluateExposure(rulesets: readonly Ruleset[], p: Packet, skipTables: ReadonlySet<string> = new Set()): ExposureResult {
  const results: { order: number; r: ExposureResult }[] = [];
  for (const rs of rulesets) {
    for (const t of rs.tables) {
      if (skipTables.has(t.name) || !t.families.includes(p.family)) continue;
      for (const c of Object.values(t.chains)) {
        if (!c.base) continue;
        results.push({ order: HOOK_ORDER[c.base.hook] * 10_000 + c.base.priority, r: evalBase(t, c, p) });
      }
    }
  }
  results.sort((a, b) => a.order - b.order);
  const first = (e: Exposure): ExposureResult | undefined => results.find((x) => x.r.exposure === e)?.r;
  return first('dropped') ?? first('unknown') ?? first('filtered') ?? first('accepted')
    ?? first('unfiltered') ?? { exposure: 'unfiltered', because: `no IPv${p.family} firewall rules` };
}

/** Tables nft lists that iptables-nft manages, given the iptables rulesets read (see evaluateExposure). */
export function iptablesNftTables(rulesets: readonly Ruleset[]): Set<string> {
  const out = new Set<string>();
  for (const rs of rulesets) {
    if (rs.source === 'nftables' || rs.backend !== 'nf_tables') continue;
    for (const t of rs.tables) out.add(`${rs.source === 'iptables' ? 'ip' : 'ip6'} ${t.name.split(' ')[1]}`);
  }
  return out;
}
