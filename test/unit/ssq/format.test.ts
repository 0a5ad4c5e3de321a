// Formatter: canonical portable form, idempotence, and format(parse(x)) parses to the same tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { format, parseQuery, staticResolver, type Expr } from '../../../src/ssq/index';

const resolver = staticResolver({ hosts: { localhost: ['127.0.0.1'] }, interfaces: { lo: 1 }, cgroups: { '/a': 1n } });

/** The tree without ranges, tokens and spellings: what must survive formatting. */
export function skeleton(e: Expr | null): unknown {
  return JSON.parse(JSON.stringify(e, (k, v) => {
    if (k === 'range' || k === 'keyword' || k === 'op' || k === 'text') return undefined;
    if (v instanceof Uint8Array) return Array.from(v);
    if (typeof v === 'bigint') return v.toString();
    return v;
  }));
}

const CORPUS = [
  '-tan state established ( dport = :443 or sport = :443 )',
  "ss -tanp state established '( dport = :443 )'",
  'dport>=443',
  '(sport = :22)',
  '!(sport == :443) && dst 10.0.0.1',
  'src != 10.0.0.1',
  'sport = :22 or dport = :22 and src 10.0.0.1',
  'sport eq 22 dport neq 80 || dport gt 1000',
  'not ( sport lt 1024 or sport geq 60000 )',
  '--tcp --numeric --all --net=blue state Syn-Rcv exclude close',
  '-A inet,!udp -f inet6 src [fd00::/64]:443 and dst *:*',
  '-x src unix:/tmp/* or dst unix:@abs',
  'dev = lo and fwmark = 0x10/0xff and cgroup != /a or autobound',
  'src localhost and dst 10.99/16',
  '( ( sport = 1 and sport = 2 ) or ( sport = 3 and sport = 4 ) )',
  'sport = 1 and ( sport = 2 or sport = 3 ) and not ( sport = 4 and sport = 5 )',
  '-0 src link:ip:1',
  '--netlink src netlink:rtnl:kernel',
  '--vsock src vsock:3:1024',
];

test('canonical forms', () => {
  assert.equal(format('-tan state established ( dport = :443 or sport = :443 )'), '-tan state established dport = :443 or sport = :443');
  assert.equal(format('dport>=443'), 'dport >= :443');
  assert.equal(format('!(sport == :443) && dst 10.0.0.1'), 'not sport = :443 and dst 10.0.0.1');
  assert.equal(format('src != 10.0.0.1'), 'not src 10.0.0.1');
  assert.equal(format('sport = :22 or dport = :22 and src 10.0.0.1'), '( sport = :22 or dport = :22 ) and src 10.0.0.1');
  assert.equal(format('sport = 1 or ( sport = 2 and sport = 3 )'), 'sport = :1 or ( sport = :2 and sport = :3 )');
  assert.equal(format('--tcp --numeric --all state Syn-Rcv excl close'), '-tna state syn-recv exclude closed');
  assert.equal(format('-N blue -tl'), '-N blue -tl');
  assert.equal(format("ss -tanp state established '( dport = :443 )'"), '-tanp state established dport = :443');
  assert.equal(format('--netlink'), '-f netlink');
  assert.equal(format('not ( sport = 1 or sport = 2 )'), 'not ( sport = :1 or sport = :2 )');
  assert.equal(format('sport = *'), 'sport = *');
});

test('format is idempotent, portable (no extension hints) and keeps the tree', () => {
  for (const q of CORPUS) {
    const p = parseQuery(q, { resolver });
    assert.deepEqual(p.diagnostics.filter((d) => d.severity === 'error'), [], q);
    const f = format(p);
    assert.equal(format(parseQuery(f, { resolver })), f, `idempotent: ${q}`);
    const again = parseQuery(f, { resolver });
    assert.deepEqual(again.diagnostics.filter((d) => d.severity !== 'info'), [], `portable and clean: ${f}`);
    assert.deepEqual(skeleton(again.expr), skeleton(p.expr), `same tree: ${q}`);
    assert.deepEqual(again.options, p.options, `same options: ${q}`);
  }
});
