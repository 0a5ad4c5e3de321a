// Completion over stdio at many positions, including live values the test supplies as the client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LiveValue, LiveValueKind } from '../../src/protocol/live-values';
import { buildServer, LspClient } from './harness';

const LIVE: Record<LiveValueKind, LiveValue[]> = {
  ports: [
    { value: ':5432', detail: ':5432 — postgres (pid 812), LISTEN', port: 5432 },
    { value: ':22', detail: ':22 — sshd (pid 301), LISTEN', port: 22 },
  ],
  peers: [{ value: '10.0.0.7', detail: '10.0.0.7 — 3 connections (firefox)' }],
  interfaces: [{ value: 'eth0', detail: 'eth0 — index 2, up' }, { value: 'lo', detail: 'lo — index 1, up' }],
  netns: [{ value: 'blue', detail: 'blue — /run/netns/blue' }],
  cgroups: [{ value: '/system.slice/ssh.service', detail: '/system.slice/ssh.service — 4 sockets' }],
};

const labels = (items: { label: string }[]): string[] => items.map((i) => i.label);

describe('completion', () => {
  let c: LspClient;
  before(async () => {
    buildServer();
    c = new LspClient({ live: (k) => LIVE[k] });
    await c.initialize();
  });
  after(async () => c.dispose());

  /** Completions at the end of `text` (or at the `|` marker). */
  async function at(text: string): Promise<{ items: Awaited<ReturnType<LspClient['complete']>>; uri: string }> {
    const cursor = text.includes('|') ? text.indexOf('|') : text.length;
    const clean = text.replace('|', '');
    const { uri } = await c.open(`c${Math.random().toString(36).slice(2)}.ssq`, clean);
    const items = await c.complete(uri, c.docs.get(uri)!.positionAt(cursor));
    await c.close(uri);
    return { items, uri };
  }

  test('options, state words and predicates at the start of a query', async () => {
    const l = labels((await at('')).items);
    for (const x of ['-t', '-u', '-x', '-4', '-l', '-a', '-N', '--tcp', 'state', 'exclude', 'src', 'dport', 'not', 'autobound']) assert.ok(l.includes(x), x);
    const l2 = labels((await at('[web]\n-t ')).items);
    assert.ok(l2.includes('-n') && l2.includes('state'));
  });

  test('state names and groups after state / exclude', async () => {
    for (const t of ['state ', '-t state ', '-t exclude ', '[q]\n-t\nstate ', 'ss -tan state est|']) {
      const l = labels((await at(t)).items);
      for (const x of ['established', 'listening', 'time-wait', 'connected', 'bucket', 'big']) assert.ok(l.includes(x), `${t}: ${x}`);
      assert.ok(!l.includes('-t') && !l.includes('dport'), t);
    }
    const items = (await at('state ')).items;
    assert.match(items.find((i) => i.label === 'connected')!.detail!, /established/);
  });

  test('no options once states or an expression started; no state after an expression', async () => {
    const l = labels((await at('-t state established ')).items);
    assert.ok(!l.includes('-t') && l.includes('exclude') && l.includes('dport'));
    const l2 = labels((await at('dport = :443 ')).items);
    assert.ok(!l2.includes('state') && !l2.includes('-t'));
  });

  test('operators after a keyword', async () => {
    const l = labels((await at('dport ')).items);
    for (const x of ['=', '!=', '<', '<=', '>', '>=']) assert.ok(l.includes(x), x);
    const src = labels((await at('src ')).items);
    assert.ok(src.includes('=') && !src.includes('!=') && !src.includes('>'));
    const dev = labels((await at('dev ')).items);
    assert.ok(dev.includes('=') && dev.includes('!=') && dev.includes('eth0'));
  });

  test('keywords and logical operators after a term', async () => {
    for (const t of ['dport = :443 ', '-t ( sport = :22 ) ', 'src 10.0.0.1 ', 'autobound ', "ss -tanp state established '( dport = :443 ) ' "]) {
      const l = labels((await at(t)).items);
      for (const x of ['and', 'or', 'src', 'dport', 'not']) assert.ok(l.includes(x), `${t}: ${x}`);
    }
    const l = labels((await at('dport = :443 or ')).items);
    assert.ok(l.includes('sport') && l.includes('not') && !l.includes('and') && !l.includes('or'));
  });

  test('service names and live listening ports after sport / dport', async () => {
    const { items } = await at('sport = ');
    const l = labels(items);
    assert.ok(l.includes(':ssh') && l.includes(':https') && l.includes(':5432') && l.includes('*'));
    assert.ok(!l.includes('='));
    const pg = items.find((i) => i.label === ':5432')!;
    assert.equal(pg.detail, ':5432 — postgres (pid 812), LISTEN');
    assert.match(items.find((i) => i.label === ':ssh')!.detail!, /^22\//);
    // Live values sort before services.
    assert.ok(pg.sortText! < items.find((i) => i.label === ':ssh')!.sortText!);
  });

  test('the partial word before the cursor is what gets replaced', async () => {
    const { items } = await at('[db]\nsport = :54');
    const pg = items.find((i) => i.label === ':5432')!;
    assert.ok(pg.textEdit && 'range' in pg.textEdit);
    assert.deepEqual(pg.textEdit.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 11 } });
    const st = (await at('state esta')).items.find((i) => i.label === 'established')!;
    assert.ok(st.textEdit && 'range' in st.textEdit);
    assert.deepEqual(st.textEdit.range.start, { line: 0, character: 6 });
  });

  test('live peers, interfaces, netns names and cgroups where they fit', async () => {
    const dst = (await at('dst ')).items;
    assert.equal(dst.find((i) => i.label === '10.0.0.7')?.detail, '10.0.0.7 — 3 connections (firefox)');
    assert.ok(labels((await at('dev = ')).items).includes('lo'));
    assert.ok(labels((await at('-t -N ')).items).includes('blue'));
    assert.ok(labels((await at('--net ')).items).includes('blue'));
    assert.ok(labels((await at('cgroup = ')).items).includes('/system.slice/ssh.service'));
    const afterArg = labels((await at('-t -N blue ')).items);
    assert.ok(afterArg.includes('-u') && afterArg.includes('state') && !afterArg.includes('blue'));
    assert.ok(labels((await at('sudo ss -t state ')).items).includes('established'));
    const tables = labels((await at('-A ')).items);
    assert.ok(tables.includes('unix_stream') && tables.includes('tcp'));
  });

  test('extension forms without spaces still give the right context', async () => {
    assert.ok(labels((await at('dport>=')).items).includes(':https'));
    assert.ok(labels((await at('(')).items).includes('sport'));
    assert.ok(labels((await at('!(sport = :22) ')).items).includes('and'));
  });

  test('nothing in comments or on a header', async () => {
    assert.deepEqual((await at('# a comm|ent\n-t')).items, []);
    assert.deepEqual((await at('[na|me]\n-t')).items, []);
  });
});

describe('completion without live values', () => {
  test('a client without the request: no live request is sent, static items still come', async () => {
    buildServer();
    const c = new LspClient();
    try {
      await c.initialize();
      const { uri } = await c.open('x.ssq', 'dport = ');
      const l = labels(await c.complete(uri, { line: 0, character: 8 }));
      assert.ok(l.includes(':ssh') && !l.includes(':5432'));
      assert.deepEqual(c.liveRequests, []);
    } finally {
      await c.dispose();
    }
  });

  test('a client that never answers: completion still returns (after a short timeout)', async () => {
    const c = new LspClient({ live: () => 'never' });
    try {
      await c.initialize();
      const { uri } = await c.open('y.ssq', 'sport ');
      const l = labels(await c.complete(uri, { line: 0, character: 6 }));
      assert.ok(l.includes('=') && l.includes(':https'));
      assert.deepEqual(c.liveRequests, ['ports']);
    } finally {
      await c.dispose();
    }
  });

  test('live values are cached briefly per kind', async () => {
    let calls = 0;
    const c = new LspClient({ live: (k) => { calls++; return LIVE[k]; } });
    try {
      await c.initialize();
      const { uri } = await c.open('z.ssq', 'sport ');
      await c.complete(uri, { line: 0, character: 6 });
      await c.complete(uri, { line: 0, character: 6 });
      assert.equal(calls, 1);
    } finally {
      await c.dispose();
    }
  });
});
