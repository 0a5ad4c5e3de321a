// Hover, formatting, symbols, folding, code lenses, semantic tokens and the toSsCommand request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver-protocol/node';
import { sendRequest } from '../../src/protocol/message-type';
import { TO_SS_COMMAND, type QueryRef } from '../../src/protocol/ssq-commands';
import { applyEdits, buildServer, LspClient } from './harness';

const DOC = [
  '# saved queries',
  '[https-peers]',
  '-t4 state established ( dport = :443 or sport = :443 )',
  '',
  '[db]',
  '# spans lines',
  '-tl',
  'sport = :5432 or sport = :6432',
  '',
  '[pasted]',
  "ss -tanp state connected '( dport = :ssh )'",
  '',
].join('\n');

const hoverText = (h: { contents: unknown } | null): string => (h ? (h.contents as MarkupContent).value : '');

describe('language features', () => {
  let c: LspClient;
  let uri: string;
  before(async () => {
    buildServer();
    c = new LspClient({ live: (k) => (k === 'ports' ? [{ value: ':5432', detail: ':5432 — postgres (pid 812), LISTEN', port: 5432 }] : []) });
    await c.initialize();
    uri = (await c.open('features.ssq', DOC)).uri;
  });
  after(async () => c.dispose());

  test('hover: keywords, states, groups with their members, operators, options', async () => {
    assert.match(hoverText(await c.hover(uri, c.pos(uri, 'dport', 1))), /remote \(destination\) port/);
    assert.match(hoverText(await c.hover(uri, c.pos(uri, 'established', 2))), /ESTAB/);
    const group = hoverText(await c.hover(uri, c.pos(uri, 'connected', 2)));
    const members = /Contains: (.*)/.exec(group)?.[1] ?? '';
    assert.match(members, /`established`.*`time-wait`/);
    assert.doesNotMatch(members, /`listening`|`closed`/);
    assert.match(hoverText(await c.hover(uri, c.pos(uri, ' or ', 1))), /same precedence/i);
    assert.match(hoverText(await c.hover(uri, c.pos(uri, '-tl', 1))), /TCP sockets[\s\S]*listening sockets/);
    assert.match(hoverText(await c.hover(uri, c.pos(uri, '-t4', 2))), /IPv4/);
  });

  test('hover on a port: service name and what listens there now', async () => {
    const h = hoverText(await c.hover(uri, c.pos(uri, ':5432', 2)));
    assert.match(h, /port 5432/);
    assert.match(h, /postgres \(pid 812\)/);
    const https = hoverText(await c.hover(uri, c.pos(uri, ':443', 2)));
    assert.match(https, /https/);
    const ssh = hoverText(await c.hover(uri, c.pos(uri, ':ssh', 2)));
    assert.match(ssh, /port 22\b/);
  });

  test('hover on a query name shows the portable ss command', async () => {
    const h = hoverText(await c.hover(uri, c.pos(uri, 'https-peers', 1)));
    assert.match(h, /ss -t4 state established/);
  });

  test('document symbols list the named queries', async () => {
    const s = await c.symbols(uri);
    assert.deepEqual(s.map((x) => x.name), ['https-peers', 'db', 'pasted']);
    assert.equal(s[1].range.start.line, 4);
    assert.equal(s[1].selectionRange.start.line, 4);
  });

  test('folding per query', async () => {
    const f = await c.folding(uri);
    const starts = f.map((r) => r.startLine);
    assert.ok(starts.includes(1) && starts.includes(4) && starts.includes(9), JSON.stringify(f));
    const db = f.find((r) => r.startLine === 4)!;
    assert.ok(db.endLine >= 7 && db.endLine <= 8);
  });

  test('code lenses Run / Run in terminal (ss) / Apply to Sockets view with {uri, name, text}', async () => {
    const lenses = await c.codeLenses(uri);
    assert.equal(lenses.length, 9);
    assert.deepEqual(lenses.slice(0, 3).map((l) => [l.command!.title, l.command!.command]), [
      ['Run', 'sockscope.runQuery'],
      ['Run in terminal (ss)', 'sockscope.runQueryInTerminal'],
      ['Apply to Sockets view', 'sockscope.applyQuery'],
    ]);
    const db = lenses[3].command!.arguments![0] as QueryRef;
    assert.equal(db.uri, uri);
    assert.equal(db.name, 'db');
    assert.equal(db.text, '-tl sport = :5432 or sport = :6432');
    assert.match(db.ssCommand ?? '', /^ss -tl 'sport = :5432 or sport = :6432'$/);
    assert.equal(lenses[3].range.start.line, 4);
  });

  test('formatting is idempotent and keeps names and comments', async () => {
    const edits = await c.format(uri);
    const once = applyEdits(DOC, edits);
    for (const keep of ['[https-peers]', '[db]', '[pasted]', '# spans lines', '# saved queries']) assert.ok(once.includes(keep), keep);
    const o2 = await c.open('formatted.ssq', once);
    assert.deepEqual(o2.diagnostics.filter((d) => d.severity === 1), []);
    const again = applyEdits(once, await c.format(o2.uri));
    assert.equal(again, once);
  });

  test('range formatting touches only the queries in the range', async () => {
    const messy = '[a]\n-t   state   established\n\n[b]\n-u    dport   =   :53\n';
    const o = await c.open('messy.ssq', messy);
    const edits = await c.formatRange(o.uri, { start: { line: 4, character: 0 }, end: { line: 4, character: 5 } });
    const out = applyEdits(messy, edits);
    assert.ok(out.includes('-t   state   established'));
    assert.ok(!out.includes('-u    dport'));
    assert.deepEqual((await c.open('messy2.ssq', out)).diagnostics.filter((d) => d.severity === 1), []);
  });

  test('semantic tokens come from the parser', async () => {
    const t = await c.semanticTokens(uri);
    assert.ok(t && t.data.length > 0 && t.data.length % 5 === 0);
    const legend = c.initResult!.capabilities.semanticTokensProvider!.legend;
    // Decode and check that `established` on line 2 is an enumMember and `connected` an enum.
    let line = 0;
    let ch = 0;
    const toks: { line: number; ch: number; len: number; type: string }[] = [];
    for (let i = 0; i < t.data.length; i += 5) {
      line += t.data[i];
      ch = t.data[i] ? t.data[i + 1] : ch + t.data[i + 1];
      toks.push({ line, ch, len: t.data[i + 2], type: legend.tokenTypes[t.data[i + 3]] });
    }
    const lines = DOC.split('\n');
    const word = (x: { line: number; ch: number; len: number }) => lines[x.line].slice(x.ch, x.ch + x.len);
    assert.ok(toks.some((x) => word(x) === 'established' && x.type === 'enumMember'));
    assert.ok(toks.some((x) => word(x) === 'connected' && x.type === 'enum'));
    assert.ok(toks.some((x) => word(x) === 'db' && x.type === 'namespace'));
    assert.ok(toks.some((x) => word(x) === 'dport' && x.type === 'keyword'));
  });

  test('sockscope/toSsCommand turns a selection into the portable command', async () => {
    const ok = await sendRequest(c.conn, TO_SS_COMMAND, { text: "ss -tn state established '( dport = :443 )'" });
    assert.equal(ok.errors.length, 0);
    assert.match(ok.ssCommand ?? '', /^ss -tn state established 'dport = :443'$/);
    const bad = await sendRequest(c.conn, TO_SS_COMMAND, { text: 'state listen' });
    assert.equal(bad.ssCommand, null);
    assert.match(bad.errors[0], /^1:7: .*listening/);
  });
});
