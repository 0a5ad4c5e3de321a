// The helper's view/* requests over a real namespace, through the extension host's HelperClient:
// counts by state equal `ss` in the same namespace (tcp, udp and unix, with and without a filter),
// an expanded group's rows are the group's sockets, a group filter narrows them, and destroy events
// are subscribed once per helper process (no "subscription exists" warning at start or restart).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { HelperClient } from '../../src/client/connection/helper-client';
import type { ViewChangedNotification } from '../../src/protocol/view-protocol';
import { SocketTreeModel } from '../../src/client/tree/model';
import { buildHelper, HELPER_JS } from './lib/helper-rpc';
import { createNetns, type Netns } from './lib/netns';
import { PopulationBuilder, type RunningPopulation } from './lib/population';

function until<T>(f: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const t = setInterval(() => {
      const v = f();
      if (v !== undefined) { clearInterval(t); resolve(v); } else if (Date.now() - started > timeoutMs) { clearInterval(t); reject(new Error(`timed out: ${what}`)); }
    }, 25);
  });
}

/** `ss -H -N ns ARGS` counted by its State column. */
function ssCounts(ns: string, args: string[]): Record<string, number> {
  const r = spawnSync('ss', ['-H', '-N', ns, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const counts: Record<string, number> = {};
  for (const line of r.stdout.split('\n')) {
    const state = line.trim().split(/\s+/)[1];
    if (state) counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
}

/** Lines of `ss -H -N ns ARGS` (with one `state`, ss prints no State column). */
function ssLines(ns: string, args: string[]): number {
  const r = spawnSync('ss', ['-H', '-N', ns, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l.trim()).length;
}

describe('helper views (view/*) against ss', () => {
  let ns: Netns;
  let pop: RunningPopulation;
  let client: HelperClient;
  const logs: string[] = [];

  before(async () => {
    buildHelper();
    ns = createNetns('helperview');
    pop = await new PopulationBuilder()
      .tcpListener('127.0.0.1', 7600).tcpListener('127.0.0.1', 7601)
      .tcpConnection('127.0.0.1', 7600).tcpConnection('127.0.0.1', 7600).tcpConnection('127.0.0.1', 7601)
      .tcpTimeWait('127.0.0.1', 7601)
      .udpBound('127.0.0.1', 7602)
      .unixStream('/tmp/sockscope-helperview.sock')
      .start(ns);
    client = new HelperClient({
      helperPath: HELPER_JS, nodePath: process.execPath, privilege: () => 'none', requestTimeoutMs: 10_000, restartDelayMs: 100,
      log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
    });
  });

  after(async () => {
    await client?.stop();
    client?.dispose();
    await pop?.stop();
    ns?.remove();
  });

  it('counts by state equal ss (tcp, udp, unix), with and without a filter; pages hold the group', async () => {
    const sub = client.subscribeDestroyed({ netns: { name: ns.name } }, () => undefined);
    const model = new SocketTreeModel('state');
    const seen: ViewChangedNotification[] = [];
    const view = client.openView({ intervalMs: 60_000, query: { netns: { name: ns.name }, netids: ['tcp', 'udp', 'u_str', 'u_dgr', 'u_seq'] }, groupBy: 'state' },
      (n) => { seen.push(n); model.apply(n); });
    try {
      await until(() => (model.loaded ? true : undefined), 10_000, 'the first counts');
      assert.deepEqual(Object.fromEntries(model.countsByState()), ssCounts(ns.name, ['-tuxan']));
      assert.equal(seen[0].reset, true);
      assert.ok(seen[0].groups?.length, 'groups come with the first counts');

      await view.update({ expanded: [{ group: 's:ESTAB', offset: 0, limit: 100 }] });
      const page = await until(() => model.page('s:ESTAB'), 5000, 'the ESTAB page');
      assert.equal(page.total, ssCounts(ns.name, ['-tuxan'])['ESTAB']);
      assert.ok(model.children('s:ESTAB').items.every((s) => s.state === 'ESTAB'));
      assert.ok(model.children('s:ESTAB').items.some((s) => s.family === 'unix'), 'unix sockets are in the view');

      await view.update({ expanded: [{ group: 's:ESTAB', offset: 0, limit: 100, filter: 'sport = :7600' }] });
      const filtered = await until(() => (model.page('s:ESTAB')?.filter ? model.page('s:ESTAB') : undefined), 5000, 'the filtered page');
      assert.equal(filtered.total, ssLines(ns.name, ['-tan', 'state', 'established', 'sport', '=', ':7600']));

      const before = seen.length;
      await view.update({ query: { netns: { name: ns.name }, netids: ['tcp'], filter: 'state established dport = :7600' } });
      await until(() => (seen.length > before && seen.at(-1)!.reset ? true : undefined), 5000, 'the new query');
      assert.deepEqual(model.countsByState(), [['ESTAB', ssLines(ns.name, ['-tan', 'state', 'established', 'dport', '=', ':7600'])]]);

      const rows = await view.rows({ group: 's:ESTAB', offset: 0, limit: 10 });
      assert.equal(rows.total, 2);
      assert.ok(rows.rows.every((r) => r.record.peerPort === 7600));
    } finally {
      view.dispose();
      sub.dispose();
    }
    assert.deepEqual(logs.filter((l) => /destroy events unavailable/.test(l)), [], 'destroy events subscribed once');
  });

  it('after a helper restart the view comes back (a reset) and destroy events are still subscribed once', async () => {
    const sub = client.subscribeDestroyed({ netns: { name: ns.name } }, () => undefined);
    const seen: ViewChangedNotification[] = [];
    const view = client.openView({ intervalMs: 60_000, query: { netns: { name: ns.name }, netids: ['tcp'] }, groupBy: 'flat' }, (n) => seen.push(n));
    try {
      await until(() => (seen.length ? true : undefined), 10_000, 'the first notification');
      const pid = client.pid!;
      process.kill(pid, 'SIGKILL');
      await until(() => (client.pid && client.pid !== pid && seen.length >= 2 ? true : undefined), 15_000, 'the view after the restart');
      assert.equal(seen.at(-1)!.reset, true);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      view.dispose();
      sub.dispose();
    }
    assert.deepEqual(logs.filter((l) => /destroy events unavailable/.test(l)), []);
  });
});
