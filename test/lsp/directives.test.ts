// Threshold directives over stdio with the real LSP client: diagnostics with their ranges and quick
// fixes, completion of each part, hover, formatting that keeps them, and a Run lens whose ss
// command never carries them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol/node';
import { applyEdits, buildServer, LspClient } from './harness';
import type { QueryRef } from '../../src/protocol/ssq-commands';

const DOC = [
  '[https-peers]',
  '@warn count > 800',
  '@error count > 1000',
  '@warn p99(rtt) > 200ms',
  '-t4 state established ( dport = :443 or sport = :443 )',
  '',
].join('\n');

const hoverText = (h: { contents: unknown } | null): string => (h ? (h.contents as MarkupContent).value : '');

describe('threshold directives in the language server', () => {
  let c: LspClient;
  let n = 0;
  before(async () => {
    buildServer();
    c = new LspClient();
    await c.initialize();
  });
  after(async () => c.dispose());

  test('the spec example is clean, and Run\'s ss command has no directive', async () => {
    const { uri, diagnostics } = await c.open(`d${n++}.ssq`, DOC);
    assert.deepEqual(diagnostics.map((d) => d.message), []);
    const run = (await c.codeLenses(uri)).find((l) => l.command?.title === 'Run');
    const ref = run!.command!.arguments![0] as QueryRef;
    assert.doesNotMatch(ref.text, /@|count|p99/);
  });

  test('errors carry their range; quick fixes repair them', async () => {
    const text = '[q]\n@warm count > 1\n@warn p99(rtt) > 200 ms\n@warn count => 3\n@warn p99(rtt) > 2KiB\n-t\n';
    const { uri, diagnostics } = await c.open(`d${n++}.ssq`, text);
    const doc = c.docs.get(uri)!;
    const got = diagnostics.map((d) => [d.code, doc.getText().slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))]);
    assert.deepEqual(got, [['bad-directive', '@warm'], ['bad-directive', '200 ms'], ['bad-directive', '=>'], ['bad-directive', 'KiB']]);
    let fixed = text;
    for (const d of diagnostics.slice(0, 3)) {
      const actions = await c.codeActions(uri, d.range, [d]);
      assert.ok(actions[0]?.edit?.changes?.[uri], JSON.stringify(d.message));
      fixed = applyEdits(fixed, actions[0].edit!.changes![uri]);
      await c.edit(uri, [{ range: { start: doc.positionAt(0), end: doc.positionAt(c.text(uri).length) }, text: fixed }]);
    }
    assert.equal(fixed, '[q]\n@warn count > 1\n@warn p99(rtt) > 200ms\n@warn count >= 3\n@warn p99(rtt) > 2KiB\n-t\n');
    const outside = await c.open(`d${n++}.ssq`, '@error count > 1\n-t\n');
    assert.equal(outside.diagnostics[0].code, 'directive-outside-query');
    const actions = await c.codeActions(outside.uri, outside.diagnostics[0].range, outside.diagnostics);
    const healed = applyEdits(c.text(outside.uri), actions[0].edit!.changes![outside.uri]);
    const again = await c.open(`d${n++}.ssq`, healed);
    assert.deepEqual(again.diagnostics, []);
  });

  test('completion: levels, measures, fields, comparisons, units that fit', async () => {
    const labels = async (text: string): Promise<string[]> => {
      const { uri } = await c.open(`d${n++}.ssq`, text);
      const doc = c.docs.get(uri)!;
      return (await c.complete(uri, doc.positionAt(text.indexOf('|') >= 0 ? text.indexOf('|') : text.length))).map((i) => i.label);
    };
    assert.deepEqual(await labels('[q]\n@'), ['@warn', '@error']);
    const measures = await labels('[q]\n@warn ');
    assert.ok(measures.includes('count') && measures.includes('p99(…)'), measures.join(' '));
    const fields = await labels('[q]\n@warn p99(');
    for (const f of ['recvQ', 'sendQ', 'rtt', 'retrans', 'snd_cwnd', 'min_rtt']) assert.ok(fields.includes(f), f);
    assert.ok(!fields.includes('ca_state'));
    assert.deepEqual(await labels('[q]\n@warn p99(rtt) '), ['>', '>=', '<', '<=']);
    assert.deepEqual(await labels('[q]\n@warn p99(rtt) > 200'), ['us', 'ms', 's']);
    assert.deepEqual(await labels('[q]\n@warn max(recvQ) > 2'), ['k', 'M', 'G', 'KiB', 'MiB']);
    assert.deepEqual(await labels('[q]\n@warn count > 2'), ['k', 'M', 'G']);
    // Below a directive, the query's own completion is not confused by it.
    const after = await labels('[q]\n@warn count > 1\n-t state |');
    assert.ok(after.includes('established'), after.join(' '));
  });

  test('completion inserts the field with its closing parenthesis', async () => {
    const { uri } = await c.open(`d${n++}.ssq`, '[q]\n@warn p99(rt');
    const items = await c.complete(uri, c.docs.get(uri)!.positionAt(16));
    const rtt = items.find((i) => i.label === 'rtt')!;
    assert.equal((rtt.textEdit as { newText: string }).newText, 'rtt)');
  });

  test('hover: level, measure, field with its unit, the limit in the field\'s unit', async () => {
    const { uri } = await c.open(`d${n++}.ssq`, DOC);
    assert.match(hoverText(await c.hover(uri, c.pos(uri, '@error', 1))), /status bar turns red[\s\S]*503/);
    assert.match(hoverText(await c.hover(uri, c.pos(uri, 'p99', 1))), /99th percentile/);
    assert.match(hoverText(await c.hover(uri, c.pos(uri, 'rtt', 1))), /\*\*rtt\*\* \(tcp_info, in microseconds/);
    assert.match(hoverText(await c.hover(uri, c.pos(uri, '200ms', 1))), /200000 microseconds \(200ms\)/);
    assert.match(hoverText(await c.hover(uri, c.pos(uri, 'count', 1))), /number of sockets/);
  });

  test('formatting keeps the directives and round-trips', async () => {
    const text = '[q]\n@warn   count>800\n-t4 state established ( dport = :443 )\n@error p99(rtt)>=1.5s\n';
    const { uri } = await c.open(`d${n++}.ssq`, text);
    const once = applyEdits(text, await c.format(uri));
    assert.equal(once, '[q]\n@warn count > 800\n-t4 state established dport = :443\n@error p99(rtt) >= 1.5s\n');
    const u2 = (await c.open(`d${n++}.ssq`, once)).uri;
    assert.deepEqual(await c.format(u2), []);
    // A range format over a body with a directive between its lines leaves it as is.
    const split = '[q]\n-t\n@warn count > 1\nstate established\n';
    const u3 = (await c.open(`d${n++}.ssq`, split)).uri;
    const doc = c.docs.get(u3)!;
    assert.equal(applyEdits(split, await c.formatRange(u3, { start: doc.positionAt(0), end: doc.positionAt(split.length) })), split);
  });
});
