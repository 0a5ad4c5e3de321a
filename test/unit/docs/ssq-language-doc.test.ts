// docs/ssq-language.md's examples, through the parser: every fenced block is one of the kinds below, and
// says what the parser does with it.
//   ssq-query   each line is a query that parses without errors (hints and warnings allowed)
//   ssq-error   each line is `QUERY → MESSAGE`: the query fails with an error containing MESSAGE
//   ssq-same    each line is `A ≡ B`: both parse without errors and format to the same ss form
//   ssq         a whole .ssq file: parses without errors; `ssq expect-error="TEXT"`: an error containing TEXT
//   text, console  grammar and terminal transcripts: not run here
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, parseDocument, parseQuery, staticResolver, type Diagnostic } from '../../../src/ssq/index';

const DOC = join(__dirname, '../../../docs/ssq-language.md');
const resolver = staticResolver({ hosts: { localhost: ['127.0.0.1', '::1'] }, interfaces: { lo: 1, eth0: 2 }, cgroups: { '/system.slice': 42n } });
const KINDS = new Set(['ssq-query', 'ssq-error', 'ssq-same', 'ssq', 'text', 'console']);

interface Block { info: string; line: number; body: string }

function fencedBlocks(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]);
    assert.ok(i < lines.length, `docs/ssq-language.md:${start + 1}: fence not closed`);
    out.push({ info: open[1].trim(), line: start + 1, body: body.join('\n') });
  }
  return out;
}

const errorsOf = (ds: Diagnostic[]): string[] => ds.filter((d) => d.severity === 'error').map((d) => d.message);
const parse = (q: string) => parseQuery(q, { resolver });
const exampleLines = (b: Block): Array<{ text: string; at: string }> =>
  b.body.split('\n').map((text, k) => ({ text: text.trim(), at: `docs/ssq-language.md:${b.line + 1 + k}` })).filter((l) => l.text);

const blocks = fencedBlocks(readFileSync(DOC, 'utf8'));

test('every fenced block of the language page is of a known kind', () => {
  assert.ok(blocks.length > 10);
  for (const b of blocks) assert.ok(KINDS.has(b.info.split(/\s/)[0]), `docs/ssq-language.md:${b.line}: unknown block kind "${b.info}"`);
});

test('ssq-query examples parse without errors', () => {
  let n = 0;
  for (const b of blocks.filter((x) => x.info === 'ssq-query')) {
    for (const { text, at } of exampleLines(b)) {
      assert.deepEqual(errorsOf(parse(text).diagnostics), [], `${at}: ${text}`);
      n++;
    }
  }
  assert.ok(n >= 30, `only ${n} query examples`);
});

test('ssq-error examples fail with the message the page shows', () => {
  for (const b of blocks.filter((x) => x.info === 'ssq-error')) {
    for (const { text, at } of exampleLines(b)) {
      const [query, message] = text.split(' → ');
      assert.ok(query && message, `${at}: write QUERY → MESSAGE`);
      const errors = errorsOf(parse(query).diagnostics);
      assert.ok(errors.some((e) => e.includes(message)), `${at}: ${query}: expected an error containing "${message}", got ${JSON.stringify(errors)}`);
    }
  }
});

test('ssq-same examples mean the same (the same ss form)', () => {
  for (const b of blocks.filter((x) => x.info === 'ssq-same')) {
    for (const { text, at } of exampleLines(b)) {
      const [a, c] = text.split(' ≡ ');
      assert.ok(a && c, `${at}: write A ≡ B`);
      for (const q of [a, c]) assert.deepEqual(errorsOf(parse(q).diagnostics), [], `${at}: ${q}`);
      assert.equal(format(parse(a)), format(parse(c)), `${at}: ${a} vs ${c}`);
    }
  }
});

test('ssq file examples parse (or fail as marked)', () => {
  const files = blocks.filter((x) => x.info.split(/\s/)[0] === 'ssq');
  assert.ok(files.length >= 3);
  for (const b of files) {
    const expect = /expect-error="([^"]+)"/.exec(b.info)?.[1];
    const errors = errorsOf(parseDocument(b.body, { resolver }).diagnostics);
    if (expect) assert.ok(errors.some((e) => e.includes(expect)), `docs/ssq-language.md:${b.line}: expected an error containing "${expect}", got ${JSON.stringify(errors)}`);
    else assert.deepEqual(errors, [], `docs/ssq-language.md:${b.line}`);
  }
});
