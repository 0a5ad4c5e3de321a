// `iptables-save` / `ip6tables-save` text -> the neutral Ruleset. Reads the tables whose chains can
// stop a packet from outside on its way in (filter INPUT, mangle PREROUTING/INPUT, raw PREROUTING)
// and the user chains they jump to; nat is ignored. Options it does not know make the rule's
// condition `unknown`. A line that is not iptables-save's format is a FirewallFormatError naming it.
import { FirewallFormatError, type Chain, type Cond, type Hook, type Rule, type Ruleset, type Table, type Verdict } from './model';

const ENTRY: Record<string, Partial<Record<string, Hook>>> = {
  filter: { INPUT: 'input' },
  mangle: { PREROUTING: 'prerouting', INPUT: 'input' },
  raw: { PREROUTING: 'prerouting' },
  security: { INPUT: 'input' },
};
/** iptables' priorities, so tables run in the kernel's order. */
const PRIORITY: Record<string, number> = { raw: -300, mangle: -150, filter: 0, security: 50 };
/** Targets that let the packet go on. */
const NON_TERMINAL = new Set(['LOG', 'NFLOG', 'ULOG', 'MARK', 'CONNMARK', 'CT', 'NOTRACK', 'TRACE', 'AUDIT', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HL', 'SET', 'TCPMSS']);
/** Matches that hold for some packets of a flow only. */
const PARTIAL = new Set(['limit', 'hashlimit', 'recent', 'connlimit', 'time', 'statistic', 'quota', 'length', 'string', 'u32', 'bpf', 'owner', 'mark', 'connmark', 'set', 'geoip', 'mac', 'ttl', 'hl', 'iprange', 'physdev', 'pkttype', 'icmp', 'icmp6', 'tcpmss', 'dscp', 'tos', 'ecn']);

/** Splits a rule line into words as the shell that wrote it would (double quotes, backslash escapes). */
export function splitWords(line: string, where: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '\\' && i + 1 < line.length) { cur += line[++i]; continue; }
      if (c === '"') { quoted = false; continue; }
      cur += c;
      continue;
    }
    if (c === '"') { quoted = true; inWord = true; continue; }
    if (c === ' ' || c === '\t') { if (inWord) { words.push(cur); cur = ''; inWord = false; } continue; }
    cur += c;
    inWord = true;
  }
  if (quoted) throw new FirewallFormatError('iptables-save', where, 'unterminated quote');
  if (inWord) words.push(cur);
  return words;
}

function parsePorts(text: string): [number, number][] | undefined {
  const out: [number, number][] = [];
  for (const part of text.split(',')) {
    const m = /^(\d{1,5})(?::(\d{1,5}))?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a > 65535 || b > 65535 || a > b) return undefined;
    out.push([a, b]);
  }
  return out.length ? out : undefined;
}

const isAny = (addr: string): boolean => /^(0\.0\.0\.0|::)\/0$/.test(addr);

function parseRuleWords(words: string[], where: string): { chain: string; rule: Rule } {
  let verdict: Verdict = { kind: 'continue' };
  const conds: Cond[] = [];
  let proto: 'tcp' | 'udp' | undefined;
  let negate = false;
  let chain: string | undefined;
  const text = words.join(' ');
  const need = (i: number): string => {
    if (i >= words.length) throw new FirewallFormatError('iptables-save', where, `${words[i - 1]} needs a value`);
    return words[i];
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '!') { negate = true; continue; }
    const neg = negate;
    negate = false;
    switch (w) {
      case '-A': chain = need(++i); break;
      case '-p': case '--protocol': {
        const p = need(++i).toLowerCase();
        const name = p === '6' ? 'tcp' : p === '17' ? 'udp' : p;
        if (!neg && (name === 'tcp' || name === 'udp')) proto = name;
        if (name !== 'all' && name !== '0') conds.push({ kind: 'proto', protos: [name], negate: neg });
        else if (neg) conds.push({ kind: 'proto', protos: [], negate: false }); // "! -p all": matches nothing
        break;
      }
      case '-s': case '--source': case '-d': case '--destination': {
        const a = need(++i);
        conds.push({ kind: w === '-s' || w === '--source' ? 'saddr' : 'daddr', any: a.split(',').some(isAny), negate: neg, text: a });
        break;
      }
      case '-i': case '--in-interface': {
        const name = need(++i);
        // iptables' "+" suffix is a wildcard: "eth+" is some interfaces, "+" is all.
        if (name === '+') { if (neg) conds.push({ kind: 'proto', protos: [], negate: false }); }
        else conds.push({ kind: 'iif', names: [name], negate: neg });
        break;
      }
      case '-o': case '--out-interface': i++; break; // no output interface on the input path
      case '-m': case '--match': {
        const mod = need(++i);
        if (PARTIAL.has(mod)) conds.push({ kind: 'some', what: `-m ${mod}` });
        else if (!['tcp', 'udp', 'multiport', 'conntrack', 'state', 'comment', 'addrtype'].includes(mod)) conds.push({ kind: 'unknown', what: `-m ${mod}` });
        break;
      }
      case '--dport': case '--destination-port': case '--sport': case '--source-port':
      case '--dports': case '--destination-ports': case '--sports': case '--source-ports': case '--ports': {
        const v = need(++i);
        const ranges = parsePorts(v);
        if (!ranges) { conds.push({ kind: 'unknown', what: `${w} ${v}` }); break; }
        if (w === '--ports') { conds.push({ kind: 'some', what: `${w} ${v}` }); break; } // either port: not decidable per destination alone
        const kind = w.startsWith('--d') ? 'dport' : 'sport';
        conds.push({ kind, ranges, negate: neg, ...(proto ? { proto } : {}) });
        break;
      }
      case '--ctstate': case '--state': {
        const v = need(++i);
        conds.push({ kind: 'ctstate', states: v.toLowerCase().split(','), negate: neg });
        break;
      }
      case '--comment': i++; break;
      case '--syn': if (neg) conds.push({ kind: 'some', what: '! --syn' }); break; // a new connection from outside starts with a SYN
      case '--tcp-flags': i += 2; conds.push({ kind: 'some', what: '--tcp-flags' }); break;
      case '--dst-type': {
        const v = need(++i);
        // Traffic to a local port is addressed to a LOCAL address.
        const local = v.split(',').includes('LOCAL');
        if (local === neg) conds.push({ kind: 'proto', protos: [], negate: false });
        break;
      }
      case '--src-type': conds.push({ kind: 'some', what: `--src-type ${need(++i)}` }); break;
      case '-f': case '--fragment': conds.push({ kind: 'some', what: 'fragments' }); break;
      case '-c': i += 2; break;
      case '-j': case '--jump': case '-g': case '--goto': {
        const t = need(++i);
        if (t === 'ACCEPT') verdict = { kind: 'accept' };
        else if (t === 'DROP' || t === 'REJECT') verdict = { kind: 'drop' };
        else if (t === 'RETURN') verdict = { kind: 'return' };
        else if (NON_TERMINAL.has(t)) verdict = { kind: 'continue' };
        else if (t === 'NFQUEUE' || t === 'QUEUE') verdict = { kind: 'unknown', what: `-j ${t}` };
        else verdict = { kind: w === '-g' || w === '--goto' ? 'goto' : 'jump', chain: t };
        // Whatever follows a target are its own options.
        i = words.length;
        break;
      }
      default:
        if (w.startsWith('-')) {
          // An option of a match we do not know: skip its value, if it has one.
          conds.push({ kind: 'unknown', what: w });
          if (i + 1 < words.length && !words[i + 1].startsWith('-') && words[i + 1] !== '!') i++;
        } else {
          throw new FirewallFormatError('iptables-save', where, `unexpected word "${w.slice(0, 40)}"`);
        }
    }
  }
  if (!chain) throw new FirewallFormatError('iptables-save', where, 'a rule line must start with -A CHAIN');
  return { chain, rule: { conds, verdict, text } };
}

/** Parses iptables-save (or ip6tables-save) output. */
export function parseIptablesSave(text: string, source: 'iptables' | 'ip6tables' = 'iptables'): Ruleset {
  const tables: Table[] = [];
  let table: Table | undefined;
  let tableName = '';
  let backend: Ruleset['backend'];
  const lines = text.split('\n');
  lines.forEach((raw, n) => {
    const where = `line ${n + 1}`;
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      if (/\(nf_tables\)/.test(line)) backend = 'nf_tables';
      else if (/\(legacy\)/.test(line)) backend = 'legacy';
      return;
    }
    if (line.startsWith('*')) {
      if (table) throw new FirewallFormatError(source + '-save', where, `table *${line.slice(1)} starts before COMMIT of *${tableName}`);
      tableName = line.slice(1);
      if (!/^[a-z_]+$/.test(tableName)) throw new FirewallFormatError(source + '-save', where, `bad table name "${tableName.slice(0, 40)}"`);
      table = { name: `${source} ${tableName}`, families: [source === 'iptables' ? 4 : 6], chains: {} };
      return;
    }
    if (!table) throw new FirewallFormatError(source + '-save', where, 'a line outside a *table ... COMMIT block');
    if (line === 'COMMIT') { tables.push(table); table = undefined; return; }
    if (line.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)(?:\s+\[\d+:\d+\])?$/.exec(line);
      if (!m) throw new FirewallFormatError(source + '-save', where, 'a chain line must be ":NAME POLICY [packets:bytes]"');
      const [, name, policy] = m;
      const chain: Chain = { name, rules: [] };
      const hook = ENTRY[tableName]?.[name];
      if (hook && policy !== '-') chain.base = { hook, policy: policy === 'DROP' ? 'drop' : 'accept', priority: PRIORITY[tableName] ?? 0 };
      table.chains[name] = chain;
      return;
    }
    if (line.startsWith('-A ')) {
      const { chain, rule } = parseRuleWords(splitWords(line, where), where);
      const c = table.chains[chain];
      if (!c) throw new FirewallFormatError(source + '-save', where, `rule for undeclared chain ${chain}`);
      c.rules.push(rule);
      return;
    }
    throw new FirewallFormatError(source + '-save', where, `unexpected line "${line.slice(0, 40)}"`);
  });
  if (table) throw new FirewallFormatError(source + '-save', `line ${lines.length}`, `table *${tableName} has no COMMIT`);
  // A jump to a name that is not a declared chain (iptables-save declares every user chain with a
  // `:NAME` line) is a target extension we do not know.
  for (const t of tables) {
    for (const c of Object.values(t.chains)) {
      for (const r of c.rules) {
        const v = r.verdict;
        if ((v.kind === 'jump' || v.kind === 'goto') && !t.chains[v.chain]) r.verdict = { kind: 'unknown', what: `-j ${v.chain}` };
      }
    }
  }
  return { source, tables: tables.filter((t) => ENTRY[t.name.split(' ')[1]] !== undefined), ...(backend ? { backend } : {}) };
}
