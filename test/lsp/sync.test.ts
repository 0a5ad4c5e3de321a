// Incremental sync: edits stream correctly, and a seeded fuzz of random edits never crashes the
// server or leaves stale diagnostics (after the last edit they equal a fresh open of the same text).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol/node';
import { buildServer, LspClient } from './harness';
import { prng } from '../lib/prng';

const key = (ds: Diagnostic[]): string[] =>
  ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code} ${typeof d.message === 'string' ? d.message : d.message.value}`).sort();

const VOCAB = [
  ' ', ' ', '\n', '[q]', '\n[x]\n', '\n[y]\n-t\n', '[', ']', '\n', '#', '-t', '-tan', '-N', ' state ', 'listen', 'established', ' exclude ', 'bucket',
  'dport', 'sport', ' = ', '=', ':443', ':ssh', ':70000', 'src', 'dst', ' 10.0.0.1', '[::1]:22', '/24', ' and ', ' or ', '&&',
  '||', '!', ' not ', '(', ')', "'", '"', 'dev', 'eth0', 'fwmark', '0x1/0x3', 'cgroup', '/system.slice', 'autobound', 'ss ',
  'unix:/tmp/*', '>=', '<', 'é', '😀', '\t',
];

const FUZZ_START = [
  '# fuzz start', '-t', '[a]', '-t state established dport = :443', '', '[b]', 'src 10.0.0.0/8 or dst [::1]', '# c', '[c]', '-u', 'dport = :53',
  '[d]', "ss -tan '( sport = :22 )'", '[e]', '-x src unix:/run/*', '[f]', 'state listen', '',
].join('\n');

describe('incremental sync', () => {
  let c: LspClient;
  before(async () => {
    buildServer();
    // Every incremental re-analysis is checked against a full parse inside the server.
    c = new LspClient({ env: { SOCKSCOPE_SSQ_VERIFY: '1' } });
    await c.initialize();
  });
  after(async () => c.dispose());

  async function assertSameAsFresh(uri: string, diags: Diagnostic[]): Promise<void> {
    const fresh = await c.open(`fresh-${Math.random().toString(36).slice(2)}.ssq`, c.text(uri));
    assert.deepEqual(key(diags), key(fresh.diagnostics));
    await c.close(fresh.uri);
  }

  test('typing a query character by character, then fixing a state name', async () => {
    const { uri } = await c.open('typing.ssq', '');
    const text = '[web]\n-t state listen\nsport = :443\n';
    let d: Diagnostic[] = [];
    for (let i = 0; i < text.length; i++) {
      const pos = c.docs.get(uri)!.positionAt(i);
      d = await c.edit(uri, [{ range: { start: pos, end: pos }, text: text[i] }]);
    }
    assert.equal(c.text(uri), text);
    assert.ok(d.some((x) => x.code === 'unknown-state'));
    await assertSameAsFresh(uri, d);
    const at = c.pos(uri, 'listen', 6);
    d = await c.edit(uri, [{ range: { start: at, end: at }, text: 'ing' }]);
    assert.ok(!d.some((x) => x.code === 'unknown-state'));
    await assertSameAsFresh(uri, d);
  });

  test('multi-line replacements and several changes in one notification', async () => {
    const { uri } = await c.open('multi.ssq', '[a]\n-t\n[b]\n-u\n[c]\n-x\n');
    const d = await c.edit(uri, [
      { range: { start: { line: 1, character: 0 }, end: { line: 3, character: 2 } }, text: '-t state bogus\n[b]\n-u dport = :53' },
      { range: { start: { line: 0, character: 1 }, end: { line: 0, character: 2 } }, text: 'alpha' },
    ]);
    assert.equal(c.text(uri), '[alpha]\n-t state bogus\n[b]\n-u dport = :53\n[c]\n-x\n');
    assert.ok(d.some((x) => x.code === 'unknown-state' && x.range.start.line === 1));
    const syms = await c.symbols(uri);
    assert.deepEqual(syms.map((s) => s.name), ['alpha', 'b', 'c']);
    await assertSameAsFresh(uri, d);
  });

  test('seeded fuzz: random edits never crash the server or leave stale diagnostics', async () => {
    for (const seed of [1, 2, 3]) {
      const rnd = prng(seed);
      const { uri } = await c.open(`fuzz-${seed}.ssq`, FUZZ_START);
      for (let i = 0; i < 200; i++) {
        const doc = c.docs.get(uri)!;
        const len = doc.getText().length;
        const s = Math.floor(rnd() * (len + 1));
        const e = rnd() < 0.4 ? Math.min(len, s + Math.floor(rnd() * 12)) : s;
        const ins = rnd() < 0.8 ? VOCAB[Math.floor(rnd() * VOCAB.length)] : '';
        const range: Range = { start: doc.positionAt(s), end: doc.positionAt(e) };
        if (rnd() < 0.7) await c.editNoWait(uri, [{ range, text: ins }]);
        else await c.edit(uri, [{ range, text: ins }]);
        if (i % 25 === 0) {
          // Interleave requests with the edit stream.
          const p = c.docs.get(uri)!.positionAt(Math.floor(rnd() * (c.text(uri).length + 1)));
          await Promise.all([c.complete(uri, p), c.hover(uri, p), c.codeLenses(uri), c.semanticTokens(uri), c.folding(uri)]);
        }
      }
      const last = await c.nextDiagnostics(uri, c.docs.get(uri)!.version);
      assert.equal(c.exited, null, `server exited: ${c.stderr}`);
      await assertSameAsFresh(uri, last);
      await c.close(uri);
    }
    assert.doesNotMatch(c.stderr, /Error|exception/i);
    assert.deepEqual(c.logs.filter((l) => /mismatch/.test(l)), []);
  });
});
