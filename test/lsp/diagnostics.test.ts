// Diagnostics as you type, with precise ranges, and the quick fixes that come with them: each fix
// must turn the document into one whose queries plain `ss` accepts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { shellWords } from '../../src/client/language/shell-words';
import type { QueryRef } from '../../src/protocol/ssq-commands';
import { applyEdits, buildServer, LspClient } from './harness';

const msg = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

/** ss's verdict on a query body: exit status 0 means it parsed (and ran) the filter. */
function ssAccepts(body: string): { ok: boolean; stderr: string } {
  const words = shellWords(body);
  if (words[0] === 'ss') words.shift();
  const r = spawnSync('ss', ['-tan', '-H', ...words], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, stderr: r.stderr };
}

describe('diagnostics and quick fixes', () => {
  let c: LspClient;
  let n = 0;
  before(async () => {
    buildServer();
    c = new LspClient();
    await c.initialize();
  });
  after(async () => c.dispose());

  const open = async (text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> => c.open(`d${n++}.ssq`, text);
  const byCode = (ds: Diagnostic[], code: string): Diagnostic[] => ds.filter((d) => d.code === code);
  const rangeText = (uri: string, d: Diagnostic): string => {
    const doc = c.docs.get(uri)!;
    return doc.getText().slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end));
  };

  /** Applies the first fix (or the one whose title matches) of the first diagnostic with `code`. */
  async function fix(uri: string, code: string, title?: RegExp): Promise<string> {
    const d = byCode((await c.nextDiagnostics(uri, c.docs.get(uri)!.version)), code)[0];
    assert.ok(d, `no ${code} diagnostic`);
    const actions = await c.codeActions(uri, d.range, [d]);
    const action = title ? actions.find((a) => title.test(a.title)) : actions[0];
    assert.ok(action?.edit?.changes?.[uri], `no fix for ${code}: ${actions.map((a) => a.title).join(', ')}`);
    return applyEdits(c.text(uri), action.edit.changes[uri]);
  }

  /** Opens `text` and asserts that every query in it has no errors/warnings and that ss accepts it. */
  async function assertClean(text: string): Promise<void> {
    const { uri, diagnostics } = await open(text);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 1 || d.severity === 2).map(msg), [], text);
    for (const lens of (await c.codeLenses(uri)).filter((l) => l.command?.title === 'Run')) {
      const ref = lens.command!.arguments![0] as QueryRef;
      const v = ssAccepts(ref.text);
      assert.ok(v.ok, `ss rejects ${ref.text}: ${v.stderr}`);
    }
  }

  test('the spec example has no errors or warnings, and ss accepts every query', async () => {
    await assertClean([
      '# Lines starting with # are comments.',
      '[https-peers]',
      '-t4 state established ( dport = :443 or sport = :443 )',
      '',
      '[db]',
      '# A query may span several lines; they are joined with spaces.',
      '-tl',
      'sport = :5432 or sport = :6432',
      '',
      '[pasted]',
      "ss -tanp state established '( dport = :443 )'",
      '',
    ].join('\n'));
  });

  test('unknown state: closest name, range on the word, fix listen -> listening', async () => {
    const { uri, diagnostics } = await open('[l]\n-t state listen\n');
    const [d] = byCode(diagnostics, 'unknown-state');
    assert.equal(d.severity, 1);
    assert.match(msg(d), /listening/);
    assert.deepEqual(d.range, { start: { line: 1, character: 9 }, end: { line: 1, character: 15 } });
    const fixed = await fix(uri, 'unknown-state');
    assert.equal(fixed, '[l]\n-t state listening\n');
    await assertClean(fixed);

    const m = await open('state establshed\n');
    const [d2] = byCode(m.diagnostics, 'unknown-state');
    assert.match(msg(d2), /established/);
    assert.equal(rangeText(m.uri, d2), 'establshed');
    await assertClean(await fix(m.uri, 'unknown-state'));
  });

  test('bad ports, unknown services and bad addresses are errors on the value', async () => {
    const p = await open('dport = :70000\n');
    const dp = p.diagnostics.find((d) => d.severity === 1)!;
    assert.ok(dp, 'port above 65535');
    assert.match(rangeText(p.uri, dp), /70000/);
    const s = await open('[s]\nsport = :nosuchservice\n');
    const ds = s.diagnostics.find((d) => d.severity === 1)!;
    assert.ok(ds, 'unknown service');
    assert.match(rangeText(s.uri, ds), /nosuchservice/);
    assert.equal(ds.range.start.line, 1);
    const a = await open('dst 10.0.0.300\n');
    const da = a.diagnostics.find((d) => d.severity === 1)!;
    assert.ok(da, 'bad address');
    assert.match(rangeText(a.uri, da), /10\.0\.0\.300/);
  });

  test('unknown interfaces and services are errors; an unknown host name only a warning (ss asks DNS)', async () => {
    const dev = await open('dev nosuchdev0\n');
    assert.ok(dev.diagnostics.some((d) => d.severity === 1 && d.code === 'unresolved' && rangeText(dev.uri, d) === 'nosuchdev0'));
    assert.deepEqual((await open('dev lo\n')).diagnostics, []);
    const host = await open('dst no-such-host.invalid\n');
    const [h] = byCode(host.diagnostics, 'unresolved-host');
    assert.equal(h.severity, 2);
    assert.match(msg(h), /DNS/);
    assert.deepEqual((await open('dst localhost\n')).diagnostics, []);
  });

  test('state after an expression', async () => {
    const { uri, diagnostics } = await open('sport = :22 state established\n');
    const [d] = byCode(diagnostics, 'state-after-expr');
    assert.ok(d);
    assert.equal(d.severity, 1);
    assert.match(rangeText(uri, d), /^state/);
  });

  test('syntax errors: every one, with its position', async () => {
    const { uri, diagnostics } = await open('[a]\n( dport = :443\n[b]\ndport = \n[c]\nsrc 10.0.0.1 and and dport = :22\n');
    const errs = diagnostics.filter((d) => d.severity === 1);
    const lines = new Set(errs.map((d) => d.range.start.line));
    for (const line of [1, 3, 5]) assert.ok(lines.has(line), `an error on line ${line}: ${errs.map((d) => `${d.range.start.line}:${msg(d)}`).join(' | ')}`);
    assert.ok(errs.every((d) => msg(d).length > 0));
    void uri;
  });

  test('duplicate names and empty queries', async () => {
    const { uri, diagnostics } = await open('[a]\n-t\n[a]\n-u\n[empty]\n\n[z]\n-x\n');
    const [dup] = byCode(diagnostics, 'duplicate-name');
    assert.ok(dup);
    assert.equal(dup.range.start.line, 2);
    assert.equal(rangeText(uri, dup).replace(/[[\]]/g, ''), 'a');
    assert.deepEqual(dup.relatedInformation?.[0]?.location.range.start, { line: 0, character: 1 });
    const [empty] = byCode(diagnostics, 'empty-query');
    assert.ok(empty);
    assert.equal(empty.severity, 2);
  });

  test('mixed and/or: warning with the real precedence, fix adds parentheses ss accepts', async () => {
    const text = '[mix]\n-t dport = :443 or sport = :22 and dst 10.0.0.1\n';
    const { uri, diagnostics } = await open(text);
    const [d] = byCode(diagnostics, 'mixed-and-or');
    assert.ok(d);
    assert.equal(d.severity, 2);
    assert.match(msg(d), /ss evaluates this left to right as `\( dport = :443 or sport = :22 \) and dst 10\.0\.0\.1`/);
    const fixed = await fix(uri, 'mixed-and-or');
    assert.notEqual(fixed, text);
    assert.ok(fixed.includes('('));
    await assertClean(fixed);
  });

  test('extensions: a hint, and a fix to the portable form', async () => {
    for (const text of ['dport>=443\n', '-t !(sport = :22)\n', 'src != 10.0.0.1\n', '(sport = :22)\n']) {
      const { uri, diagnostics } = await open(text);
      const ext = byCode(diagnostics, 'extension');
      assert.ok(ext.length, text);
      assert.ok(ext.every((d) => d.severity === 4), text);
      assert.equal(diagnostics.filter((d) => d.severity === 1).length, 0, text);
      let fixed = await fix(uri, 'extension');
      // Apply fixes until no extension remains.
      for (let i = 0; i < 5; i++) {
        const o = await open(fixed);
        if (!byCode(o.diagnostics, 'extension').length) break;
        fixed = await fix(o.uri, 'extension');
      }
      await assertClean(fixed);
    }
  });

  test('diagnostics are cleared when a document closes', async () => {
    const { uri } = await open('state listen\n');
    const cleared = new Promise<Diagnostic[]>((resolve) => {
      const d = c.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
        if (p.uri === uri) { d.dispose(); resolve(p.diagnostics); }
      });
    });
    await c.close(uri);
    assert.deepEqual(await cleared, []);
  });
});
