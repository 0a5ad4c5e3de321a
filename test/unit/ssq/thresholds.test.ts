// Threshold directives (spec section 5): what parses, the errors with their ranges and fixes,
// what the ss form never sees, the formatter's round trip, and a fuzzer over directive lines.
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDocument, parseDocument, parseFilterFile, parseThreshold, HealthAccumulator, evaluateThresholds, checkLine, type Diagnostic } from '../../../src/ssq/index';
import { prng } from '../../lib/prng';

const SPEC_EXAMPLE = `[https-peers]
@warn count > 800
@error count > 1000
@warn p99(rtt) > 200ms
-t4 state established ( dport = :443 or sport = :443 )
`;

function errorsOf(text: string): Diagnostic[] {
  return parseDocument(text).diagnostics.filter((d) => d.severity === 'error');
}

function one(line: string): Diagnostic {
  const text = `[q]\n${line}\n-t\n`;
  const errs = errorsOf(text);
  assert.equal(errs.length, 1, `${line}: ${JSON.stringify(errs)}`);
  return errs[0];
}

describe('threshold directives', () => {
  it('parses the spec example: levels, measures, units in the field\'s unit', () => {
    const d = parseDocument(SPEC_EXAMPLE);
    assert.deepEqual(d.diagnostics, []);
    const q = d.queries[0];
    assert.equal(q.joinedText, '-t4 state established ( dport = :443 or sport = :443 )');
    assert.deepEqual(q.thresholds.map((t) => [t.level, t.measure, t.cmp, t.value, t.valueText]), [
      ['warn', { agg: 'count' }, '>', 800, '800'],
      ['error', { agg: 'count' }, '>', 1000, '1000'],
      ['warn', { agg: 'p99', field: 'rtt' }, '>', 200_000, '200ms'],
    ]);
    assert.deepEqual(q.directiveRanges.map((r) => SPEC_EXAMPLE.slice(r.start, r.end)), ['@warn count > 800', '@error count > 1000', '@warn p99(rtt) > 200ms']);
  });

  it('takes every aggregate, comparison and unit that fits', () => {
    const cases: [string, number][] = [
      ['@warn sum(sendQ) >= 2KiB', 2048], ['@warn max(recvQ) > 1MiB', 1 << 20], ['@warn min(snd_cwnd) < 10', 10],
      ['@warn avg(rtt) <= 1.5s', 1_500_000], ['@warn p50(rtt) > 250us', 250], ['@warn p90(retrans) > 2', 2],
      ['@error count > 2k', 2000], ['@error count >= 1M', 1e6], ['@warn sum(bytes_acked) > 1G', 1e9],
      ['@warn max(last_data_recv) > 2s', 2000], ['@warn count<1', 1], ['@warn p99(rtt)>200ms', 200_000],
      ['  @warn   count   >   3  ', 3], ['@warn max(delivery_rate) < 1M', 1e6],
    ];
    for (const [line, value] of cases) {
      const r = parseThreshold(line, 0);
      assert.deepEqual(r.diagnostics, [], line);
      assert.equal(r.threshold!.value, value, line);
    }
  });

  it('reports each error with its range, and a fix where one is clear', () => {
    const cases: [string, RegExp, string | null, string | undefined][] = [
      ['@warm count > 1', /unknown directive `@warm`/, '@warm', '@warn'],
      ['@critical count > 1', /expected `@warn` or `@error`/, '@critical', undefined],
      ['@warn cnt > 1', /unknown measure `cnt`/, 'cnt', 'count'],
      ['@warn rtt > 1', /`rtt` is a field: aggregate it/, 'rtt', 'max(rtt)'],
      ['@warn p99 > 1', /expected `\(FIELD\)` after `p99`/, '>', undefined],
      ['@warn p99(rtx) > 1', /unknown field `rtx`/, 'rtx', undefined],
      ['@warn p99(tcpi_rtt) > 1', /without `tcpi_`/, 'tcpi_rtt', 'rtt'],
      ['@warn p99(rtt > 1', /expected `\)` after `p99\(rtt`/, '>', ')'],
      ['@warn count(rtt) > 1', /`count` takes no field/, '(', undefined],
      ['@warn count = 1', /`=` is not a comparison/, '=', '>='],
      ['@warn count => 1', /`=>` is not a comparison/, '=>', '>='],
      ['@warn count', /expected a comparison after `count`/, '', undefined],
      ['@warn count >', /expected a number after `count >`/, '', undefined],
      ['@warn count > many', /expected a number/, 'many', undefined],
      ['@warn p99(rtt) > 2KiB', /unit `KiB` does not fit p99\(rtt\), which is in microseconds/, 'KiB', undefined],
      ['@warn count > 2ms', /unit `ms` does not fit count/, 'ms', undefined],
      ['@warn p99(rtt) > 2sec', /unknown unit `sec`/, 'sec', undefined],
      ['@warn p99(rtt) > 200 ms', /write the unit right after the number/, '200 ms', '200ms'],
      ['@warn count > 1 and more', /unexpected `and`/, 'and more', undefined],
      ['@warn', /expected a measure after `@warn`/, '', undefined],
    ];
    for (const [line, message, at, fix] of cases) {
      const text = `[q]\n${line}\n-t\n`;
      const d = one(line);
      assert.match(d.message, message, line);
      assert.equal(d.code, 'bad-directive');
      assert.equal(text.slice(d.range.start, d.range.end), at, `${line}: range`);
      if (fix === undefined) continue;
      assert.ok(d.fixes?.length, `${line}: a fix`);
      const e = d.fixes![0].edits[0];
      const fixed = text.slice(0, e.range.start) + e.newText + text.slice(e.range.end);
      if (fix !== ')') assert.ok(fixed.includes(fix), fixed);
      assert.deepEqual(errorsOf(fixed), [], `${line}: fixed is clean: ${fixed}`);
    }
  });

  it('a directive outside a named query is an error (with a fix); a plain ss -F file is unchanged', () => {
    const text = '@warn count > 1\nsport = :22\n';
    const [d] = errorsOf(text);
    assert.equal(d.code, 'directive-outside-query');
    assert.deepEqual(d.range, { start: 0, end: 15 });
    const e = d.fixes![0].edits[0];
    assert.deepEqual(errorsOf(text.slice(0, e.range.start) + e.newText + text.slice(e.range.end)), []);
    // Before the first header, `@name` (an abstract unix name) stays part of the query.
    const plain = '# unix\nsrc\n@abstract\n';
    assert.equal(parseDocument(plain).queries[0].joinedText, 'src @abstract');
    assert.equal(parseFilterFile(plain).query.joinedText, 'src @abstract');
  });

  it('a file without directives parses as before', () => {
    const text = '[a]\n-t sport = :22\n\n[b]\n-tl\n';
    const d = parseDocument(text);
    assert.deepEqual(d.queries.map((q) => [q.name, q.joinedText, q.thresholds.length, q.directiveRanges.length]), [['a', '-t sport = :22', 0, 0], ['b', '-tl', 0, 0]]);
  });

  it('directives never reach the query\'s ss form, wherever they sit in the body', () => {
    const text = '[q]\n-t\n@warn count > 1\nstate established\n@error max(recvQ) > 10k\nsport = :22\n';
    const q = parseDocument(text).queries[0];
    assert.equal(q.joinedText, '-t state established sport = :22');
    assert.equal(q.thresholds.length, 2);
  });

  it('the formatter keeps directives (canonical spelling) and round-trips', () => {
    const text = '[q]\n@warn   count>800\n-t4 state established ( dport = :443 or sport = :443 )\n@error p99(rtt)>=1.5s\n@warn max(rtx) > 1\n';
    const f = formatDocument(text);
    // In place; one that does not parse exactly as written.
    assert.equal(f, '[q]\n@warn count > 800\n-t4 state established dport = :443 or sport = :443\n@error p99(rtt) >= 1.5s\n@warn max(rtx) > 1\n');
    assert.equal(formatDocument(f), f);
    assert.equal(formatDocument(SPEC_EXAMPLE), formatDocument(formatDocument(SPEC_EXAMPLE)));
    const again = parseDocument(formatDocument(SPEC_EXAMPLE)).queries[0];
    assert.deepEqual(again.thresholds.map((t) => t.value), [800, 1000, 200_000]);
  });
});

describe('evaluating thresholds', () => {
  const th = parseDocument(SPEC_EXAMPLE).queries[0].thresholds;

  it('error beats warn, warn beats ok', () => {
    assert.equal(evaluateThresholds(th, 10, () => []).state, 'ok');
    assert.equal(evaluateThresholds(th, 900, () => []).state, 'warn');
    assert.equal(evaluateThresholds(th, 1001, () => []).state, 'error');
    assert.equal(evaluateThresholds(th, 10, () => [300_000]).state, 'warn');
  });

  it('aggregates over no sockets are ok and say so; count over none is 0 and can hold', () => {
    const r = evaluateThresholds(th, 0, () => []);
    assert.equal(r.state, 'ok');
    assert.match(r.note!, /no sockets/);
    assert.equal(r.measures[1].value, null);
    const down = parseDocument('[up]\n@error count < 1\n-tl\n').queries[0].thresholds;
    assert.equal(evaluateThresholds(down, 0, () => []).state, 'error');
  });

  it('aggregates: sum, avg, min, max, nearest-rank percentiles', () => {
    const t = (m: string) => parseThreshold(`@warn ${m} > 0`, 0).threshold!;
    const acc = new HealthAccumulator([t('sum(rtt)'), t('avg(rtt)'), t('min(rtt)'), t('max(rtt)'), t('p50(rtt)'), t('p90(rtt)'), t('p99(rtt)')]);
    for (let i = 1; i <= 100; i++) acc.add((f) => (f === 'rtt' ? i : undefined));
    acc.add(() => undefined); // a socket without tcp_info counts but adds no rtt
    const r = acc.result();
    assert.equal(r.count, 101);
    assert.deepEqual(r.measures.map((m) => [m.key, m.value]), [
      ['count', 101], ['sum(rtt)', 5050], ['avg(rtt)', 50.5], ['min(rtt)', 1], ['max(rtt)', 100], ['p50(rtt)', 50], ['p90(rtt)', 90], ['p99(rtt)', 99],
    ]);
  });

  it('check lines follow the plugin conventions', () => {
    const h = evaluateThresholds(th, 850, () => [31_000]);
    assert.equal(checkLine('https-peers', th, h), "https-peers WARNING: 850 (warn > 800, error > 1000), p99(rtt) 31ms (warn > 200ms) | https-peers=850;800;1000 'https-peers p99(rtt)'=31000us;200000;");
    const low = parseDocument('[db clients]\n@warn count < 2\n@error count <= 0\n-t\n').queries[0].thresholds;
    assert.equal(checkLine('db clients', low, evaluateThresholds(low, 1, () => [])), "db clients WARNING: 1 (warn < 2, error <= 0) | 'db clients'=1;2:;0:");
  });
});

const PIECES = ['@warn', '@error', '@', '@x', 'count', 'p99', 'max', 'sum', '(', ')', 'rtt', 'recvQ', 'snd_cwnd', 'bogus', '>', '>=', '<', '<=', '=', '=>', '!', '800', '1.5', '.5', '200ms', '2KiB', '3k', '1s', 'ms', '-', '#', '[q]', '\n'];

test('random directive lines never throw and keep every range in the text; the formatter is idempotent', () => {
  const rnd = prng(4242);
  for (let i = 0; i < 3000; i++) {
    const n = 1 + Math.floor(rnd() * 8);
    const parts: string[] = [];
    for (let k = 0; k < n; k++) parts.push(PIECES[Math.floor(rnd() * PIECES.length)]);
    const line = (rnd() < 0.7 ? '@warn ' : '') + parts.join(rnd() < 0.7 ? ' ' : '');
    const text = `${rnd() < 0.8 ? '[q]\n' : ''}${line}\n-t\n`;
    const d = parseDocument(text);
    for (const x of d.diagnostics) {
      assert.ok(x.range.start >= 0 && x.range.start <= x.range.end && x.range.end <= text.length, `${JSON.stringify(text)}: ${x.message}`);
      for (const f of x.fixes ?? []) for (const e of f.edits) assert.ok(e.range.end <= text.length);
    }
    const f = formatDocument(text);
    assert.equal(formatDocument(f), f, JSON.stringify(text));
  }
});
