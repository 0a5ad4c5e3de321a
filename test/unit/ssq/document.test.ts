// .ssq documents: sections, comments, joined lines, pasted command lines, ranges, formatting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDocument, LineMap, parseDocument, parseFilterFile } from '../../../src/ssq/index';

const DOC = `# Lines starting with # are comments.
[https-peers]
-t4 state established ( dport = :443 or sport = :443 )

[db]
# A query may span several lines; they are joined with spaces.
-tl
sport = :5432 or sport = :6432

[pasted]
ss -tanp state established '( dport = :443 )'
`;

test('the spec example parses into three named queries', () => {
  const d = parseDocument(DOC);
  assert.deepEqual(d.diagnostics, []);
  assert.deepEqual(d.queries.map((q) => q.name), ['https-peers', 'db', 'pasted']);
  const [a, b, c] = d.queries;
  assert.equal(DOC.slice(a.nameRange!.start, a.nameRange!.end), 'https-peers');
  assert.equal(DOC.slice(a.headerRange!.start, a.headerRange!.end), '[https-peers]');
  assert.equal(DOC.slice(b.bodyRange.start, b.bodyRange.end), '-tl\nsport = :5432 or sport = :6432');
  assert.equal(b.joinedText, '-tl sport = :5432 or sport = :6432');
  assert.deepEqual(b.parsed.options.kinds, ['tcp']);
  assert.equal(b.parsed.options.listening, true);
  assert.equal(b.comments.length, 1);
  assert.equal(c.parsed.hadSsPrefix, true);
  assert.equal(c.parsed.expr?.type, 'port');
  assert.equal(d.comments.length, 2);
  const e = b.parsed.expr!;
  assert.equal(DOC.slice(b.toDocumentOffset(e.range.start), b.toDocumentOffset(e.range.end)), 'sport = :5432 or sport = :6432');
});

test('unnamed leading query (an ss -F filter file), duplicates, empty queries', () => {
  const d = parseDocument('# filter\nsport = :22\nor sport = :80\n[a]\n[a]\ndport = 1\n');
  assert.equal(d.queries[0].name, null);
  assert.equal(d.queries[0].joinedText, 'sport = :22 or sport = :80');
  const dup = d.diagnostics.find((x) => x.code === 'duplicate-name');
  assert.ok(dup);
  assert.equal(d.text.slice(dup.range.start, dup.range.end), 'a');
  assert.equal(new LineMap(d.text).at(dup.range.start).line, 4);
  const empty = d.diagnostics.find((x) => x.code === 'empty-query');
  assert.ok(empty && empty.severity === 'warning');
  assert.equal(d.text.slice(empty.range.start, empty.range.end), '[a]');
});

test('diagnostics map back to the right line and column', () => {
  const text = '[x]\n-t\nstate listen\n  dport = 99999\n';
  const d = parseDocument(text);
  const lm = new LineMap(text);
  const st = d.diagnostics.find((x) => x.code === 'unknown-state')!;
  assert.equal(text.slice(st.range.start, st.range.end), 'listen');
  assert.deepEqual(lm.at(st.range.start), { line: 2, column: 6 });
  assert.deepEqual(st.fixes?.[0].edits[0].range, st.range);
  const port = d.diagnostics.find((x) => x.code === 'bad-port')!;
  assert.equal(text.slice(port.range.start, port.range.end), '99999');
  assert.deepEqual(lm.at(port.range.start), { line: 3, column: 10 });
});

test('formatDocument keeps comments, normalizes bodies, leaves broken queries alone', () => {
  const text = '# top\n[ a ]\n-t\n# inner\ndport>=443\n\n[b]\nsport = 99999\n';
  const f = formatDocument(text);
  assert.equal(f, '# top\n[a]\n# inner\n-t dport >= :443\n\n[b]\nsport = 99999\n');
  assert.equal(formatDocument(f), f);
  assert.equal(formatDocument(DOC), formatDocument(formatDocument(DOC)));
  assert.match(formatDocument(DOC), /\[pasted\]\n-tanp state established dport = :443\n/);
});

test('ss -F filter files: expression only, # lines skipped, positions in the file', () => {
  const text = '# ssh or https\nsport = :22\n  or sport = :443\n# end\n';
  const { query, diagnostics } = parseFilterFile(text);
  assert.deepEqual(diagnostics, []);
  assert.equal(query.joinedText, 'sport = :22   or sport = :443');
  assert.equal(query.parsed.expr?.type, 'or');
  const bad = parseFilterFile('sport = :22\n-t dport = 99999\n');
  const lm = new LineMap('sport = :22\n-t dport = 99999\n');
  assert.deepEqual(bad.diagnostics.map((d) => [d.code, lm.at(d.range.start)]), [['syntax', { line: 1, column: 0 }], ['bad-port', { line: 1, column: 11 }]]);
});
