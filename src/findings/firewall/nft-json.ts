// `nft -j list ruleset` -> the neutral Ruleset. Only what decides whether a packet from outside the
// host reaches a local port is read: base chains on the prerouting/input/ingress hooks (type
// filter), the chains they jump to, and the matches on protocol, ports, interface, conntrack state
// and addresses. Anything else in a rule becomes an `unknown` condition, so the evaluator says "not
// understood" instead of guessing. A document that is not nft's JSON at all is a FirewallFormatError.
import { FirewallFormatError, type Chain, type Cond, type Hook, type IpFamily, type Proto, type Rule, type Ruleset, type Table, type Verdict } from './model';

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

const FAMILIES: Record<string, IpFamily[] | undefined> = { ip: [4], ip6: [6], inet: [4, 6], netdev: [4, 6] };
const HOOKS = new Set(['prerouting', 'input', 'ingress']);
const L4 = new Set(['tcp', 'udp', 'th', 'sctp', 'dccp', 'udplite']);
const IP_PROTO_NUMBERS: Record<string, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'ipv6-icmp', 132: 'sctp', 33: 'dccp', 136: 'udplite' };
/** Statements that change nothing about whether the packet goes on. */
const NEUTRAL = new Set(['counter', 'log', 'mangle', 'notrack', 'flow', 'ct count', 'synproxy', 'dup', 'fwd', 'tproxy', 'set', 'map', 'meter', 'xt-target-noop']);
const PARTIAL = new Set(['limit', 'quota', 'numgen']);

/** A named set's elements, per `family table name`. */
type Sets = Map<string, Json[]>;

function short(v: Json): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** Port values of a match's right side: a number, a range, a set (anonymous or named); undefined: not ports. */
function portRanges(right: Json, sets: Sets, setKey: (name: string) => string): [number, number][] | undefined {
  const out: [number, number][] = [];
  const add = (v: Json): boolean => {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535) { out.push([v, v]); return true; }
    if (typeof v === 'string' && /^\d{1,5}$/.test(v) && Number(v) <= 65535) { out.push([Number(v), Number(v)]); return true; }
    if (typeof v === 'string' && v.startsWith('@')) {
      const elems = sets.get(setKey(v.slice(1)));
      return elems !== undefined && elems.every(add);
    }
    if (isObj(v) && Array.isArray(v.range) && v.range.length === 2) {
      const [a, b] = v.range;
      if (typeof a === 'number' && typeof b === 'number' && a <= b && a >= 0 && b <= 65535) { out.push([a, b]); return true; }
      return false;
    }
    if (isObj(v) && Array.isArray(v.set)) return v.set.every(add);
    // Set elements with options (timeouts, counters): {"elem": {"val": 22, ...}}
    if (isObj(v) && isObj(v.elem)) return add(v.elem.val);
    return false;
  };
  return add(right) ? out : undefined;
}

/** Plain string values (a string, a set of strings). */
function stringValues(right: Json): string[] | undefined {
  if (typeof right === 'string' && !right.startsWith('@')) return [right];
  if (typeof right === 'number') return [String(right)];
  if (Array.isArray(right)) return right.every((x) => typeof x === 'string' || typeof x === 'number') ? right.map(String) : undefined;
  if (isObj(right) && Array.isArray(right.set)) return stringValues(right.set);
  return undefined;
}

/** Address values: any() when one of them is the whole space. */
function addressCond(kind: 'saddr' | 'daddr', right: Json, negate: boolean): Cond {
  const whole = (v: Json): boolean => isObj(v) && isObj(v.prefix) && v.prefix.len === 0;
  const items = isObj(right) && Array.isArray(right.set) ? right.set : [right];
  return { kind, any: items.some(whole), negate, text: short(right) };
}

function matchCond(m: Record<string, Json>, family: IpFamily[], sets: Sets, setKey: (name: string) => string): Cond {
  const op = m.op;
  const what = `match ${short(m.left)} ${String(op)} ${short(m.right)}`;
  if (op !== '==' && op !== '!=' && op !== 'in') return { kind: 'unknown', what };
  const negate = op === '!=';
  const left = m.left;
  if (!isObj(left)) return { kind: 'unknown', what };
  if (isObj(left.payload)) {
    const { protocol, field } = left.payload;
    if (typeof protocol === 'string' && L4.has(protocol) && (field === 'dport' || field === 'sport')) {
      const ranges = portRanges(m.right, sets, setKey);
      if (!ranges) return { kind: 'unknown', what };
      const proto: Proto | undefined = protocol === 'tcp' || protocol === 'udp' ? protocol : undefined;
      if (protocol !== 'th' && !proto) return { kind: 'proto', protos: [protocol], negate: false };
      return { kind: field, ranges, negate, ...(proto ? { proto } : {}) };
    }
    if ((protocol === 'ip' || protocol === 'ip6') && (field === 'saddr' || field === 'daddr')) return addressCond(field, m.right, negate);
    if ((protocol === 'ip' && field === 'protocol') || (protocol === 'ip6' && field === 'nexthdr')) {
      const v = stringValues(m.right);
      return v ? { kind: 'proto', protos: v.map((p) => IP_PROTO_NUMBERS[p] ?? p), negate } : { kind: 'unknown', what };
    }
    return { kind: 'unknown', what };
  }
  if (isObj(left.meta)) {
    const key = left.meta.key;
    const v = stringValues(m.right);
    if (!v) return { kind: 'unknown', what };
    if (key === 'l4proto') return { kind: 'proto', protos: v.map((p) => IP_PROTO_NUMBERS[p] ?? p), negate };
    if (key === 'iif' || key === 'iifname') return { kind: 'iif', names: v, negate };
    if (key === 'nfproto' && !negate && v.length === 1 && (v[0] === 'ipv4' || v[0] === 'ipv6')) return { kind: 'family', family: v[0] === 'ipv4' ? 4 : 6 };
    if (key === 'oif' || key === 'oifname') return { kind: 'some', what }; // output interface: not on the input path
    return { kind: 'unknown', what };
  }
  if (isObj(left.ct) && left.ct.key === 'state') {
    const v = stringValues(m.right);
    return v ? { kind: 'ctstate', states: v.map((s) => s.toLowerCase()), negate } : { kind: 'unknown', what };
  }
  void family;
  return { kind: 'unknown', what };
}

/** A rule's statements -> conditions and its verdict; a verdict map expands into one rule per entry. */
function parseRule(expr: Json, family: IpFamily[], sets: Sets, setKey: (name: string) => string, where: string): Rule[] {
  if (!Array.isArray(expr)) throw new FirewallFormatError('nft', where, 'a rule without an expr array');
  const conds: Cond[] = [];
  let verdict: Verdict = { kind: 'continue' };
  const parts: string[] = [];
  for (const stmt of expr) {
    if (!isObj(stmt) || Object.keys(stmt).length !== 1) { conds.push({ kind: 'unknown', what: short(stmt) }); continue; }
    const [key] = Object.keys(stmt);
    const val = stmt[key];
    parts.push(key === 'match' && isObj(val) ? `${short(val.left)} ${String(val.op)} ${short(val.right)}` : key);
    if (verdict.kind !== 'continue') continue; // statements after a verdict never run
    if (key === 'match' && isObj(val)) conds.push(matchCond(val, family, sets, setKey));
    else if (key === 'accept' || key === 'drop' || key === 'return' || key === 'continue') verdict = { kind: key };
    else if (key === 'reject') verdict = { kind: 'drop' };
    else if ((key === 'jump' || key === 'goto') && isObj(val) && typeof val.target === 'string') verdict = { kind: key, chain: val.target };
    else if (key === 'vmap' && isObj(val)) return expandVmap(conds, val, family, sets, setKey, parts.join(' '));
    else if (key === 'queue') verdict = { kind: 'unknown', what: 'queue to userspace' };
    else if (NEUTRAL.has(key)) continue;
    else if (PARTIAL.has(key)) conds.push({ kind: 'some', what: key });
    else conds.push({ kind: 'unknown', what: `${key} ${short(val)}`.trim() });
  }
  return [{ conds, verdict, text: parts.join(' ') }];
}

/** `KEY vmap { a : accept, b : drop }`: one rule per element (ports only; other keys are not understood). */
function expandVmap(conds: Cond[], vmap: Record<string, Json>, family: IpFamily[], sets: Sets, setKey: (name: string) => string, text: string): Rule[] {
  const data = isObj(vmap.data) && Array.isArray(vmap.data.set) ? vmap.data.set : undefined;
  const unknown: Rule = { conds: [...conds, { kind: 'unknown', what: `vmap ${short(vmap)}` }], verdict: { kind: 'drop' }, text };
  if (!data) return [unknown];
  const rules: Rule[] = [];
  for (const entry of data) {
    if (!Array.isArray(entry) || entry.length !== 2) return [unknown];
    const cond = matchCond({ op: '==', left: vmap.key, right: entry[0] }, family, sets, setKey);
    const v = parseRule([entry[1]], family, sets, setKey, 'vmap');
    if (v.length !== 1 || v[0].conds.length) return [unknown];
    rules.push({ conds: [...conds, cond], verdict: v[0].verdict, text: `${text} ${short(entry[0])} : ${Object.keys(entry[1] as object)[0] ?? '?'}` });
  }
  return rules;
}

/** Parses nft's JSON output (the text or the parsed value). */
export function parseNftJson(input: string | Json): Ruleset {
  let doc: Json = input;
  if (typeof input === 'string') {
    try { doc = JSON.parse(input); } catch (e) { throw new FirewallFormatError('nft', 'JSON', (e as Error).message); }
  }
  if (!isObj(doc) || !Array.isArray(doc.nftables)) throw new FirewallFormatError('nft', 'top level', 'expected {"nftables": [...]}');
  const items = doc.nftables;
  const tables = new Map<string, Table>();
  const sets: Sets = new Map();
  const tableKey = (family: Json, name: Json): string => `${String(family)} ${String(name)}`;
  // Tables and sets first: rules may come before the sets they use.
  items.forEach((item, i) => {
    if (!isObj(item)) throw new FirewallFormatError('nft', `nftables[${i}]`, 'expected an object');
    if (isObj(item.table)) {
      const { family, name } = item.table;
      if (typeof family !== 'string' || typeof name !== 'string') throw new FirewallFormatError('nft', `nftables[${i}].table`, 'family and name must be strings');
      const fams = FAMILIES[family];
      if (fams) tables.set(tableKey(family, name), { name: `${family} ${name}`, families: fams, chains: {} });
    } else if (isObj(item.set)) {
      const { family, table, name, elem } = item.set;
      sets.set(`${tableKey(family, table)} ${String(name)}`, Array.isArray(elem) ? elem : []);
    }
  });
  items.forEach((item, i) => {
    const it = item as Record<string, Json>;
    if (isObj(it.chain)) {
      const c = it.chain;
      const t = tables.get(tableKey(c.family, c.table));
      if (!t) return; // arp, bridge: not on the IP input path
      if (typeof c.name !== 'string') throw new FirewallFormatError('nft', `nftables[${i}].chain`, 'a chain without a name');
      const chain: Chain = t.chains[c.name] ?? { name: c.name, rules: [] };
      if (typeof c.hook === 'string' && HOOKS.has(c.hook) && (c.type === 'filter' || c.type === undefined)) {
        const prio = typeof c.prio === 'number' ? c.prio : 0;
        chain.base = { hook: c.hook as Hook, policy: c.policy === 'drop' ? 'drop' : 'accept', priority: prio };
      }
      t.chains[c.name] = chain;
    }
  });
  items.forEach((item, i) => {
    const it = item as Record<string, Json>;
    if (!isObj(it.rule)) return;
    const r = it.rule;
    const t = tables.get(tableKey(r.family, r.table));
    if (!t) return;
    if (typeof r.chain !== 'string') throw new FirewallFormatError('nft', `nftables[${i}].rule`, 'a rule without a chain');
    const chain = t.chains[r.chain] ?? (t.chains[r.chain] = { name: r.chain, rules: [] });
    const key = (name: string): string => `${tableKey(r.family, r.table)} ${name}`;
    chain.rules.push(...parseRule(r.expr, t.families, sets, key, `nftables[${i}].rule.expr`));
  });
  return { source: 'nftables', tables: [...tables.values()] };
}
