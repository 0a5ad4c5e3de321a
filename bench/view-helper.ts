// The Sockets view's own figures without the workbench (bench/view.ts runs it before the code-server
// case): the extension host's HelperClient and view model in this process, the helper it starts, a
// namespace of BENCH_SOCKETS sockets. Time from open to the first counts, expand of the largest group,
// the two filters, the helper's idle CPU and RSS at a 2 s refresh, and this process's heap for the view
// (after a GC, above its own baseline). With `readers`, the helper also records the view into a history
// file and pushes findings, as the extension does by default: the same figures then show what those
// readers cost the helper, apart from what the workbench adds (bench/view-inner.ts).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { HELPER_REQUESTS } from '../src/protocol/helper-requests';
import { HISTORY_REQUESTS } from '../src/protocol/history-requests';
import { HelperClient } from '../src/client/connection/helper-client';
import { SocketTreeModel } from '../src/client/tree/model';
import type { ViewChangedNotification, ViewQuery } from '../src/protocol/view-protocol';
import { buildHelper, HELPER_JS } from '../test/system/lib/helper-rpc';
import { startProfileChild } from './profile-child';
import { cachedCodeServerNode, runtimeLabel } from './runtimes';

export interface ViewFigures { rows: Array<[string, string, string]> }

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A process's CPU time so far, in user space and in the kernel (its dumps' share), in ms. */
function cpuMs(pid: number): { user: number; kernel: number } {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(f[11]) * 10, kernel: Number(f[12]) * 10 };
}

/** With BENCH_VIEW_PROFILE=DIR, a CPU profile of the helper over the idle window. */
async function profileIdle(pid: number, file: string): Promise<() => Promise<void>> {
  const { ensureCodeServer } = await import(join(__dirname, '..', 'scripts', 'setup-code-server.mjs')) as { ensureCodeServer(): { node: string } };
  mkdirSync(dirname(file), { recursive: true });
  const child = await startProfileChild(ensureCodeServer().node, pid, file);
  return async () => { console.log(`helper's idle profile: ${await child.stop()}`); };
}
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * The Node the helper runs on: as in code-server (the Remote-SSH case this measures), code-server's
 * Node from the shared cache when present, whose node:sqlite the recorder writes with; else this Node.
 * BENCH_VIEW_HELPER_NODE names another. The label says which, with its SQLite engine.
 */
export function helperRuntime(): { node: string; label: string } {
  const node = process.env.BENCH_VIEW_HELPER_NODE ?? cachedCodeServerNode() ?? process.execPath;
  return { node, label: runtimeLabel(node) };
}

export async function viewFigures(netnsName: string, idleSeconds = 20, readers = false): Promise<ViewFigures> {
  buildHelper();
  const dir = readers ? mkdtempSync(join(tmpdir(), 'sockscope-bench-view-')) : undefined;
  const rows: Array<[string, string, string]> = [];
  const baseHeap = heapMiB();
  const client = new HelperClient({ helperPath: HELPER_JS, nodePath: helperRuntime().node, privilege: () => 'none', log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
  await client.start();
  const model = new SocketTreeModel('process');
  let waiters: Array<{ test: (n: ViewChangedNotification) => boolean; resolve: () => void }> = [];
  const onChanged = (n: ViewChangedNotification): void => {
    model.apply(n);
    const done = waiters.filter((w) => w.test(n));
    waiters = waiters.filter((w) => !done.includes(w));
    for (const w of done) w.resolve();
  };
  const next = (test: (n: ViewChangedNotification) => boolean): Promise<void> => new Promise((resolve) => waiters.push({ test, resolve }));
  const netns = { name: netnsName };
  const all: ViewQuery = { netns };
  try {
    let t = performance.now();
    const first = next((n) => n.reset);
    const view = client.openView({ intervalMs: 2000, query: all, groupBy: 'process' }, onChanged);
    await first;
    if (dir) {
      // The extension creates the file (the user's, 0600) before the helper records into it.
      writeFileSync(join(dir, 'history.sqlite'), '', { mode: 0o600 });
      await client.request(HISTORY_REQUESTS['history/record'], { path: join(dir, 'history.sqlite'), viewId: view.id, netns, maxAgeMs: 24 * 3600_000, maxBytes: 256 * 2 ** 20 });
      await client.request(HELPER_REQUESTS['findings/watch'], { netns, intervalMs: 2000 });
    }
    rows.push(['open -> first groups and counts', `${(performance.now() - t).toFixed(0)} ms`, '<= 1000 ms']);
    const big = [...model.groups()].sort((a, b) => b.count - a.count)[0];
    t = performance.now();
    const page = next((n) => n.pages.some((p) => p.group === big.key));
    void view.update({ expanded: [{ group: big.key, offset: 0, limit: 500 }] });
    await page;
    rows.push([`expand the ${big.count}-socket group -> its first 500 rows`, `${(performance.now() - t).toFixed(0)} ms`, '<= 200 ms']);
    for (const [filter, target] of [['sport = :900', '<= 300 ms'], ['-t state established', '<= 500 ms']] as const) {
      t = performance.now();
      const got = next((n) => n.reset);
      const q: ViewQuery = filter.startsWith('-t') ? { netns, netids: ['tcp'], filter: 'state established' } : { netns, filter };
      void view.update({ query: q, expanded: [] });
      await got;
      rows.push([`filter \`${filter}\` -> result (${model.visibleCount} sockets)`, `${(performance.now() - t).toFixed(0)} ms`, target]);
    }
    await view.update({ query: all, expanded: [{ group: big.key, offset: 0, limit: 500 }] });
    await sleep(Number(process.env.BENCH_VIEW_SETTLE_SECONDS ?? 6) * 1000);
    const pid = client.pid!;
    const profileDir = process.env.BENCH_VIEW_PROFILE;
    const stopProfile = profileDir ? await profileIdle(pid, join(profileDir, `helper-idle${readers ? '-readers' : ''}.cpuprofile`)) : undefined;
    const c0 = cpuMs(pid);
    const t0 = Date.now();
    await sleep(idleSeconds * 1000);
    const c1 = cpuMs(pid);
    const elapsed = Date.now() - t0;
    const share = (ms: number): string => (ms / elapsed * 100).toFixed(1);
    await stopProfile?.();
    rows.push(['helper, idle view refreshing every 2 s: CPU (of it in the kernel)', `${share(c1.user + c1.kernel - c0.user - c0.kernel)} % of a core (${share(c1.kernel - c0.kernel)} %)`, '<= 5 %']);
    rows.push(['helper, idle view: memory (RSS)', `${rssMiB(pid).toFixed(0)} MiB`, '<= 150 MB (143 MiB)']);
    rows.push(['extension-host side: heap for the view (one group expanded)', `+${(heapMiB() - baseHeap).toFixed(1)} MiB, ${model.retained().rows} rows held`, '<= 100 MB']);
    view.dispose();
  } finally {
    await client.stop();
    client.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  return { rows };
}
