// Parser: options, states, every expression construct, errors with positions and fixes, recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgv, parseQuery, staticResolver, SS_ALL, SS_CONN, TCP_STATE, type Expr, type ParsedQuery } from '../../../src/ssq/index';

const resolver = staticResolver({ hosts: { localhost: ['127.0.0.1', '::1'] }, interfaces: { lo: 1, eth0: 2 }, cgroups: { '/system.slice': 42n } });
const parse = (q: string, extensions = true): ParsedQuery => parseQuery(q, { resolver, extensions });
const errors = (p: ParsedQuery) => p.diagnostics.filter((d) => d.severity === 'error');
const bit = (n: number) => 1 << n;

/** Compact structural view of an expression for assertions. */
function shape(e: Expr | null): string {
  if (!e) return '∅';
  switch (e.type) {
    case 'and': case 'or': return `(${shape(e.left)} ${e.type} ${shape(e.right)})`;
    case 'not': return `!${shape(e.operand)}`;
    case 'port': return `${e.dir}${e.cmp}${e.port.value ?? '*'}`;
    case 'host': return `${e.dir}:${e.host.text}`;
    case 'dev': return `dev${e.negated ? '!=' : '='}${e.ifindex}`;
    case 'fwmark': return `mark${e.negated ? '!=' : '='}${e.mark}/${e.mask}`;
    case 'cgroup': return `cgroup${e.negated ? '!=' : '='}${e.id}`;
    case 'autobound': return 'auto';
    case 'error': return 'ERR';
  }
}

test('options: combined short flags, long forms, prefixes and arguments', () => {
  const p = parse('-tna -p --info --mem -N blue -F /tmp/f --no-header -e -o -s -m');
  assert.deepEqual(errors(p), []);
  assert.deepEqual(p.options.kinds, ['tcp']);
  assert.equal(p.options.all, true);
  assert.equal(p.options.numeric, true);
  assert.equal(p.options.processes && p.options.info && p.options.memory && p.options.extended && p.options.timers && p.options.summary && p.options.noHeader, true);
  assert.equal(p.options.netns, 'blue');
  assert.equal(p.options.filterFile, '/tmp/f');
  assert.equal(p.options.states, SS_ALL);
  const q = parse('--tcp --udp --listening --numeric --net=red --filter=x.ssq --processes');
  assert.deepEqual(q.options.kinds, ['tcp', 'udp']);
  assert.equal(q.options.listening, true);
  assert.equal(q.options.states, bit(TCP_STATE.LISTEN) | bit(TCP_STATE.CLOSE));
  assert.equal(q.options.netns, 'red');
  assert.equal(q.options.filterFile, 'x.ssq');
  assert.equal(q.optionWords[4].arg?.text, 'red');
});

test('options: kinds and families as ss merges them', () => {
  // packet and netlink sockets are always UNCONN: ss only dumps them when the states include it
  assert.deepEqual(parse('').options.kinds, ['tcp', 'mptcp', 'udp', 'raw', 'dccp', 'sctp', 'u_str', 'u_dgr', 'u_seq', 'v_str', 'v_dgr']);
  assert.deepEqual(parse('-a').options.kinds, ['tcp', 'mptcp', 'udp', 'raw', 'dccp', 'sctp', 'u_str', 'u_dgr', 'u_seq', 'p_raw', 'p_dgr', 'nl', 'v_str', 'v_dgr']);
  assert.deepEqual(parse('state listening').options.kinds, ['tcp', 'mptcp', 'udp', 'raw', 'dccp', 'sctp', 'u_str', 'u_dgr', 'u_seq', 'v_str', 'v_dgr']);
  assert.deepEqual(parse('-l').options.kinds, parse('-a').options.kinds);
  assert.deepEqual(parse('-A netlink').options.kinds, []);
  assert.deepEqual(parse('-f netlink').options.kinds, ['nl']);
  assert.equal(parse('').options.states, SS_CONN);
  assert.equal(parse('').options.explicitKinds, false);
  assert.deepEqual(parse('-x').options.kinds, ['u_str', 'u_dgr', 'u_seq']);
  assert.deepEqual(parse('-t4').options.families, ['inet']);
  assert.deepEqual(parse('-6').options.kinds, ['tcp', 'mptcp', 'udp', 'raw', 'dccp', 'sctp']);
  assert.deepEqual(parse('-0').options.kinds, ['p_raw', 'p_dgr']);
  assert.deepEqual(parse('-w -M').options.kinds, ['tcp', 'mptcp', 'raw'].filter((k) => k !== 'tcp'));
  assert.deepEqual(parse('-A tcp,udp').options.kinds, ['tcp', 'udp']);
  assert.deepEqual(parse('-Aunix_dgram').options.kinds, ['u_dgr']);
  assert.deepEqual(parse('--query=inet,!tcp').options.kinds, ['mptcp', 'udp', 'raw', 'dccp', 'sctp']);
  assert.deepEqual(parse('-A all,!tcp,!udp').options.kinds, ['mptcp', 'raw', 'dccp', 'sctp', 'u_str', 'u_dgr', 'u_seq', 'v_str', 'v_dgr']);
  assert.deepEqual(parse('-A !tcp').options.kinds, []);
  assert.match(parse('-A !tcp').diagnostics[0].message, /no socket tables/);
  assert.deepEqual(parse('-a -A packet_raw -A netlink').options.kinds, ['p_raw', 'nl']);
  assert.deepEqual(parse('-f unix').options.families, ['unix']);
  assert.equal(parse('-u').options.states, bit(TCP_STATE.ESTABLISHED));
  assert.equal(parse('-ut').options.states, SS_CONN);
  const bad = parse('-A TCP');
  assert.equal(errors(bad)[0].code, 'bad-option-arg');
  assert.match(errors(bad)[0].message, /did you mean `tcp`/);
  assert.deepEqual(errors(bad)[0].range, { start: 3, end: 6 });
  const unk = parse('-tq');
  assert.deepEqual(errors(unk)[0].range, { start: 2, end: 3 });
  assert.match(parse('--lisstening').diagnostics[0].message, /did you mean `--listening`/);
  assert.equal(parse('--listenin').options.listening, true);
});

test('options anywhere (getopt permutes) and `--`', () => {
  const p = parse('state listening sport = :22 -t');
  assert.deepEqual(p.options.kinds, ['tcp']);
  assert.equal(shape(p.expr), 'sporteq22');
});

test('state words, groups, exclude, defaults', () => {
  assert.equal(parse('state established').options.states, bit(1));
  assert.equal(parse('-a state established state syn-sent').options.states, bit(1) | bit(2));
  assert.equal(parse('state connected').options.states, SS_ALL & ~(bit(TCP_STATE.LISTEN) | bit(TCP_STATE.CLOSE)));
  assert.equal(parse('state synchronized').options.states, SS_ALL & ~(bit(TCP_STATE.LISTEN) | bit(TCP_STATE.CLOSE) | bit(TCP_STATE.SYN_SENT)));
  assert.equal(parse('state bucket').options.states, bit(TCP_STATE.SYN_RECV) | bit(TCP_STATE.TIME_WAIT));
  assert.equal(parse('state big').options.states, SS_ALL & ~(bit(TCP_STATE.SYN_RECV) | bit(TCP_STATE.TIME_WAIT)));
  assert.equal(parse('exclude listening excl closed').options.states, SS_ALL & ~(bit(10) | bit(7)));
  assert.equal(parse('state Syn-Rcv state CLOSE state unconnected').options.states, bit(3) | bit(7));
  assert.equal(parse('state bound-inactive').options.states, bit(13));
  for (const s of ['established', 'syn-sent', 'syn-recv', 'fin-wait-1', 'fin-wait-2', 'time-wait', 'closed', 'close-wait', 'last-ack', 'listening', 'closing', 'all']) {
    assert.deepEqual(errors(parse(`state ${s}`)), [], s);
  }
  const p = parse('-t state listen');
  const d = errors(p)[0];
  assert.equal(d.message, 'unknown state `listen` (did you mean `listening`?)');
  assert.deepEqual(d.range, { start: 9, end: 15 });
  assert.deepEqual(d.fixes?.[0].edits, [{ range: { start: 9, end: 15 }, newText: 'listening' }]);
  assert.match(errors(parse('state new-syn-recv'))[0].message, /unknown state/);
  assert.match(errors(parse('state'))[0].message, /expected a state name after `state`/);
});

test('state after the expression is an error with a move fix', () => {
  const p = parse('sport = :22 state established');
  const d = errors(p)[0];
  assert.equal(d.code, 'state-after-expr');
  assert.deepEqual(d.range, { start: 12, end: 29 });
  assert.equal(shape(p.expr), 'sporteq22');
  assert.equal(p.options.states, bit(1));
});

test('every operator spelling', () => {
  const cmps: [string, string][] = [['=', 'eq'], ['==', 'eq'], ['eq', 'eq'], ['!=', 'ne'], ['ne', 'ne'], ['neq', 'ne'], ['>', 'gt'], ['gt', 'gt'], ['<', 'lt'], ['lt', 'lt'], ['>=', 'ge'], ['ge', 'ge'], ['geq', 'ge'], ['<=', 'le'], ['le', 'le'], ['leq', 'le']];
  for (const [op, cmp] of cmps) assert.equal(shape(parse(`dport ${op} 80`).expr), `dport${cmp}80`, op);
  assert.equal(shape(parse('dport 80').expr), 'dporteq80');
  for (const a of ['and', '&&', '&']) assert.equal(shape(parse(`sport = 1 ${a} sport = 2`).expr), '(sporteq1 and sporteq2)');
  for (const o of ['or', '||', '|']) assert.equal(shape(parse(`sport = 1 ${o} sport = 2`).expr), '(sporteq1 or sporteq2)');
  for (const n of ['!', 'not']) assert.equal(shape(parse(`${n} sport = 1`).expr), '!sporteq1');
  assert.equal(shape(parse('sport = 1 sport = 2').expr), '(sporteq1 and sporteq2)');
  for (const e of ['=', '==', 'eq']) assert.equal(shape(parse(`src ${e} 10.0.0.1`).expr), 'src:10.0.0.1');
});

test('precedence: AND and OR equal, left to right; NOT binds one term; parentheses', () => {
  assert.equal(shape(parse('sport = 1 or sport = 2 and sport = 3').expr), '((sporteq1 or sporteq2) and sporteq3)');
  assert.equal(shape(parse('sport = 1 and sport = 2 or sport = 3').expr), '((sporteq1 and sporteq2) or sporteq3)');
  assert.equal(shape(parse('sport = 1 or ( sport = 2 and sport = 3 )').expr), '(sporteq1 or (sporteq2 and sporteq3))');
  assert.equal(shape(parse('not sport = 1 and sport = 2').expr), '(!sporteq1 and sporteq2)');
  assert.equal(shape(parse('! ( sport = 1 or sport = 2 )').expr), '!(sporteq1 or sporteq2)');
  assert.equal(shape(parse('( ( autobound ) )').expr), 'auto');
});

test('mixed and/or warns with the parentheses ss implies', () => {
  const text = 'sport = :22 or dport = :22 and src 10.0.0.1';
  const p = parse(text);
  const w = p.diagnostics.find((d) => d.code === 'mixed-and-or');
  assert.ok(w);
  assert.equal(w.severity, 'warning');
  assert.deepEqual(w.range, { start: 27, end: 30 });
  assert.equal(w.message, 'ss evaluates this left to right as `( sport = :22 or dport = :22 ) and src 10.0.0.1`: `and` and `or` have the same precedence');
  const fixed = applyEdits(text, w.fixes![0].edits);
  assert.equal(fixed, '( sport = :22 or dport = :22 ) and src 10.0.0.1');
  assert.equal(parse(fixed).diagnostics.length, 0);
  assert.equal(shape(parse(fixed).expr), shape(p.expr));
  assert.equal(parse('sport = 1 and sport = 2 and sport = 3').diagnostics.length, 0);
});

test('hosts: IPv4 abbreviated, prefixes, IPv6 brackets, ports, any, names', () => {
  const host = (q: string) => {
    const e = parse(q).expr;
    assert.ok(e && e.type === 'host', q);
    return e.host;
  };
  const h1 = host('src 10.99/16');
  assert.ok(h1.kind === 'inet');
  assert.deepEqual([...h1.addresses[0].bytes], [10, 99, 0, 0]);
  assert.equal(h1.addresses[0].prefixLen, 16);
  const h2 = host('dst [fd00::/64]');
  assert.ok(h2.kind === 'inet' && h2.family === 6 && h2.addresses[0].prefixLen === 64);
  const h3 = host('dst [::1]:443');
  assert.ok(h3.kind === 'inet' && h3.port?.value === 443);
  const h4 = host('dst *:443');
  assert.ok(h4.kind === 'inet' && h4.addresses.length === 0 && h4.port?.value === 443 && h4.family === null);
  const h5 = host('dst :https');
  assert.ok(h5.kind === 'inet' && h5.port?.value === 443);
  const h6 = host('src 10.0.0.1:22');
  assert.ok(h6.kind === 'inet' && h6.port?.value === 22 && h6.addresses[0].prefixLen === 32);
  const h7 = host('src localhost');
  assert.ok(h7.kind === 'inet' && h7.addresses.length === 2 && h7.hostname === 'localhost');
  const h8 = host('src inet:10.0.0.0/255.0.0.0');
  assert.ok(h8.kind === 'inet' && h8.prefix === 'inet' && h8.addresses[0].prefixLen === 8);
  const h9 = host('src inet6:[::ffff:10.0.0.2]');
  assert.ok(h9.kind === 'inet' && h9.family === 6);
  const p = parse('src unix:/tmp/*');
  assert.deepEqual(p.options.families, ['unix']);
  assert.deepEqual(p.options.kinds, ['u_str', 'u_dgr', 'u_seq']);
  const u = host('src unix:@abstract*');
  assert.ok(u.kind === 'unix' && u.pattern === '@abstract*');
  const x = host('-x src /run/*.sock');
  assert.ok(x.kind === 'unix' && x.pattern === '/run/*.sock');
  const l = host('src link:ip:eth0');
  assert.ok(l.kind === 'link' && l.protocol === 0x800 && l.ifindex === 2);
  const n = host('src netlink:rtnl:kernel');
  assert.ok(n.kind === 'netlink' && n.protocol === 0 && n.portId === 0);
  const v = host('src vsock:3:1024');
  assert.ok(v.kind === 'vsock' && v.cid === 3 && v.port === 1024);
  assert.deepEqual(parse('src vsock:3:1024').options.kinds, ['v_str', 'v_dgr']);
});

test('host errors', () => {
  const d1 = errors(parse('src ::1'))[0];
  assert.match(d1.message, /IPv6 addresses need brackets: `\[::1\]`/);
  assert.deepEqual(d1.fixes?.[0].edits[0], { range: { start: 4, end: 7 }, newText: '[::1]' });
  assert.match(errors(parse('src 10.0.0.256'))[0].message, /not a valid IPv4 address/);
  assert.match(errors(parse('src 10.0.0.0/33'))[0].message, /out of range/);
  assert.match(errors(parse('src [::1'))[0].message, /missing `\]`/);
  assert.match(errors(parse('src nosuchhost'))[0].message, /cannot resolve host `nosuchhost`/);
  const u = errors(parse('src /tmp/x'))[0];
  assert.match(u.message, /unix:/);
  assert.deepEqual(u.fixes?.[0].edits[0], { range: { start: 4, end: 4 }, newText: 'unix:' });
  assert.match(errors(parse('src'))[0].message, /expected an address after `src`/);
  assert.match(errors(parse('src > 10.0.0.1'))[0].message, /takes only `=`/);
  assert.match(errors(parse('-4 src [::1]'))[0].message, /IPv6 address but the family is inet/);
});

test('ports: decimal, hex, octal, service, star; range errors', () => {
  const port = (q: string) => {
    const e = parse(q).expr;
    assert.ok(e && e.type === 'port', q);
    return e.port.value;
  };
  assert.equal(port('sport = 22'), 22);
  assert.equal(port('sport = :22'), 22);
  assert.equal(port('sport = 0x1bb'), 443);
  assert.equal(port('sport = 0650'), 424);
  assert.equal(port('sport = ssh'), 22);
  assert.equal(port('sport = :https'), 443);
  assert.equal(port('sport = *'), null);
  const d = errors(parse('dport = 99999'))[0];
  assert.equal(d.message, 'port 99999 is out of range (0-65535) after `dport =`');
  assert.deepEqual(d.range, { start: 8, end: 13 });
  const m = errors(parse('dport ='))[0];
  assert.equal(m.message, 'expected a port after `dport =`');
  assert.deepEqual(m.range, { start: 7, end: 7 });
  assert.equal(errors(parse('dport = and sport = 1'))[0].message, 'expected a port after `dport =`, found `and`');
  assert.match(errors(parse('dport = nosuchservice'))[0].message, /not a port number or a known service name/);
  // without a resolver, unknown names are not errors (the language server may lack one)
  assert.deepEqual(errors(parseQuery('dport = nosuchservice')), []);
});

test('dev, fwmark, cgroup, autobound', () => {
  assert.equal(shape(parse('dev = lo').expr), 'dev=1');
  assert.equal(shape(parse('dev != eth0').expr), 'dev!=2');
  assert.equal(shape(parse('dev 7').expr), 'dev=7');
  assert.match(errors(parse('dev = nosuch0'))[0].message, /unknown interface/);
  assert.equal(shape(parse('fwmark = 0x10/0xff').expr), 'mark=16/255');
  assert.equal(shape(parse('fwmark != 5').expr), `mark!=5/${0xffffffff}`);
  assert.match(errors(parse('fwmark = zz'))[0].message, /expected a mark/);
  assert.equal(shape(parse('cgroup = /system.slice').expr), 'cgroup=42');
  assert.match(errors(parse('cgroup = /nope'))[0].message, /unknown cgroup/);
  assert.equal(shape(parse('autobound').expr), 'auto');
  assert.match(errors(parse('dev > 1'))[0].message, /takes only/);
});

test('extensions: glued operators and parentheses, src !=; hints with fixes; errors when disabled', () => {
  const p = parse('dport>=443');
  assert.equal(shape(p.expr), 'dportge443');
  const h = p.diagnostics[0];
  assert.equal(h.severity, 'hint');
  assert.equal(h.code, 'extension');
  assert.deepEqual(h.fixes?.[0].edits, [{ range: { start: 0, end: 10 }, newText: 'dport >= 443' }]);
  assert.equal(p.usesExtensions, true);
  assert.equal(shape(parse('(sport = :22)').expr), 'sporteq22');
  assert.equal(shape(parse('!(sport = :443)').expr), '!sporteq443');
  assert.equal(shape(parse('(dport=22 or dport=443)').expr), '(dporteq22 or dporteq443)');
  const n = parse('src != 10.0.0.1');
  assert.equal(shape(n.expr), '!src:10.0.0.1');
  assert.equal(applyEdits('src != 10.0.0.1', n.diagnostics[0].fixes![0].edits), 'not src 10.0.0.1');
  assert.equal(errors(parse('dport>=443', false))[0].code, 'extension');
  assert.equal(errors(parse('src != 10.0.0.1', false))[0].code, 'extension');
  assert.equal(parse('sport = :22').usesExtensions, false);
});

test('extensions: an operator word glued to a parenthesis (`and(`, `)or(`, `not(`, `||!(`) parses as if spaced', () => {
  const cases: Array<[string, string]> = [
    ['-t sport = :22 and(dport = :443)', '-t sport = :22 and ( dport = :443 )'],
    ['(sport = :22)or(dport = :443)', '( sport = :22 ) or ( dport = :443 )'],
    ['( sport = :22 )or( dport = :443 )', '( sport = :22 ) or ( dport = :443 )'],
    ['not(sport = :22)', 'not ( sport = :22 )'],
    ['sport = :22 &&(dport = :443)', 'sport = :22 && ( dport = :443 )'],
    ['sport = :22 ||!(dport = :443)', 'sport = :22 || ! ( dport = :443 )'],
  ];
  for (const [glued, spaced] of cases) {
    const g = parse(glued);
    assert.deepEqual(errors(g), [], glued);
    assert.equal(shape(g.expr), shape(parse(spaced).expr), glued);
    assert.ok(g.diagnostics.every((d) => d.code === 'extension' && d.severity === 'hint'), glued);
    assert.ok(errors(parse(glued, false)).length > 0, `${glued} is an error for ss`);
  }
  // A word that only starts like an operator stays a word; a unix glob keeps its own parentheses.
  assert.equal(shape(parse('src unix:/tmp/android(1)').expr), 'src:unix:/tmp/android(1)');
  const fix = parse('sport = :22 and(dport = :443)').diagnostics[0].fixes![0].edits;
  assert.equal(applyEdits('sport = :22 and(dport = :443)', fix), 'sport = :22 and ( dport = :443)');
});

test('pasted command lines and argv: quoting, ss prefix, backslashes', () => {
  const p = parse("ss -tanp state established '( dport = :443 )'");
  assert.equal(p.hadSsPrefix, true);
  assert.deepEqual(errors(p), []);
  assert.equal(shape(p.expr), 'dporteq443');
  assert.deepEqual(p.expr?.range, { start: 30, end: 42 });
  const a = parseArgv(['-tn', '( dport = :443 )']);
  assert.equal(shape(a.expr), 'dporteq443');
  assert.deepEqual(a.expr?.range, { start: 6, end: 18 });
  const b = parse('-tl \\( sport = :22 \\)');
  assert.equal(shape(b.expr), 'sporteq22');
  assert.match(errors(parse("-t 'sport = 1"))[0].message, /unterminated single quote/);
  assert.equal(parse('sudo ss -t').hadSsPrefix, true);
  assert.equal(shape(parse('"dst 10.0.0.1"').expr), 'dst:10.0.0.1');
});

test('error recovery: one typo does not hide the rest', () => {
  const p = parse('port = 22 and dport = 99999 or ( sport = 1');
  const msgs = errors(p).map((d) => d.message);
  assert.equal(msgs.length, 3, msgs.join('\n'));
  assert.match(msgs[0], /unknown keyword `port` \(did you mean `sport`\?\)/);
  assert.match(msgs[1], /out of range/);
  assert.match(msgs[2], /missing `\)`/);
  assert.match(errors(parse('sport = 1 )'))[0].message, /unmatched `\)`/);
  assert.match(errors(parse('( )'))[0].message, /empty parentheses/);
  assert.match(errors(parse('10.0.0.1'))[0].message, /write `src 10.0.0.1` or `dst 10.0.0.1`/);
  assert.match(errors(parse('sport = 1 and'))[0].message, /expected a condition after `and`/);
  assert.match(errors(parse('not'))[0].message, /expected a condition after `not`/);
});

test('tokens for highlighting: every word classified in source order', () => {
  const p = parse("ss -tan state established '( dport >= :443 or ! src 10.0.0.1 )' exclude closed");
  assert.deepEqual(p.tokens.map((t) => `${t.kind}:${t.text}`), [
    'ss:ss', 'option:-tan', 'state-keyword:state', 'state:established', 'lparen:(', 'keyword:dport', 'operator:>=', 'value::443', 'or:or',
    'not:!', 'keyword:src', 'value:10.0.0.1', 'rparen:)', 'state-keyword:exclude', 'state:closed',
  ]);
  for (const t of p.tokens) if (t.kind !== 'ss') assert.ok(p.text.slice(t.range.start, t.range.end).includes(t.text) || t.kind === 'option', t.text);
});

export function applyEdits(text: string, edits: { range: { start: number; end: number }; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

test('a family flag makes port words addresses of that family, and narrows the dump (as ss)', () => {
  const p = parse('-tuxa autobound or sport = :7001');
  assert.deepEqual(p.options.kinds, ['u_str', 'u_dgr', 'u_seq']);
  assert.equal(shape(p.expr), '(auto or src::7001)');
  assert.deepEqual(parse('-4 -t sport = 22').options.families, ['inet']);
  assert.equal(shape(parse('-x sport != /tmp/*').expr), '!src:/tmp/*');
});

test('inet families follow the last family chosen, as ss dumps them (strace of ss 6.1)', () => {
  const fams = (q: string) => parse(q).options.families.join(',');
  assert.equal(fams('-4 -6'), 'inet6');
  assert.equal(fams('-6 -4'), 'inet');
  assert.equal(fams('-4 -x'), 'inet,inet6,unix');
  assert.equal(fams('-x -4'), 'inet,unix');
  assert.equal(fams('-t -x'), 'inet,inet6,unix');
  assert.equal(fams('-f inet -6'), 'inet6');
  assert.equal(fams('-t src inet6:[::1]'), 'inet6');
  assert.equal(fams('-4 src unix:/x'), 'unix');
});
