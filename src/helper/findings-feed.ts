// The `findings/watch` request: findings pushed to the client as `findings/changed`, only when they
// changed (src/findings/changes.ts). They are computed after each refresh of a view that holds every
// tcp and udp socket of the watched namespace, from its store: the sockets the view already has,
// no second dump. While no client view does (the Sockets view is hidden, so the client closed it;
// or it is filtered, so its store lacks sockets the rules must see), the feed leases a headless view
// of the namespace (full-views.ts) refreshed every intervalMs: the same store and the same cheap
// path, no object per socket (source "dump": the findings' own).
import { FindingsChanges } from '../findings/changes';
import { HELPER_NOTIFICATIONS } from '../protocol/helper-requests';
import type { FindingsWatchParams, NetnsRef } from '../protocol/helper-protocol';
import { FindingsRunner, netnsKey, thresholdsOf, type FindingsRun } from './findings-runner';
import { FullViews, type FullViewLease } from './full-views';
import { log } from './log';
import type { Notify } from './rpc-server';
import type { ViewSession } from './view-session';

const DEFAULT_INTERVAL_MS = 30_000;

interface Watched { netns: NetnsRef | undefined; key: string | undefined; thresholds: ReturnType<typeof thresholdsOf>; intervalMs: number }

export class FindingsFeed {
  private watched: Watched | undefined;
  private readonly attached = new Map<ViewSession, () => void>();
  private readonly gate = new FindingsChanges();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A run under way, and whether another was asked for meanwhile. */
  private running = false;
  private again: ViewSession | 'dump' | undefined;
  private lastError: string | undefined;
  /** The headless view read while no client view holds the namespace's sockets, and its interval. */
  private shadow: { lease: FullViewLease; intervalMs: number } | undefined;

  constructor(
    private readonly runner: FindingsRunner,
    private readonly views: FullViews,
    private readonly notify: Notify,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Starts (or replaces) the watch; findings are sent at once. */
  watch(p: FindingsWatchParams): void {
    const thresholds = thresholdsOf(p);
    this.watched = { netns: p.netns, key: netnsKey(p.netns), thresholds, intervalMs: p.intervalMs ?? DEFAULT_INTERVAL_MS };
    this.gate.reset();
    this.sync();
    const view = this.coveringView();
    // A view that has not refreshed yet will: its first refresh runs the findings (no dump for that).
    if (!view) this.request('dump');
    else if (view.sockets.ticks > 0) this.request(view);
    else this.scheduleDump();
  }

  unwatch(): void {
    this.watched = undefined;
    clearTimeout(this.timer);
    this.sync();
  }

  private releaseShadow(): void {
    this.shadow?.lease.release();
    this.shadow = undefined;
  }

  dispose(): void { this.unwatch(); }

  /**
   * Reads the views again (call after view/open, view/update and view/close): listens to those that
   * hold every tcp and udp socket of the watched namespace, and lets the others go (a view read by
   * findings dumps tcp_info too).
   */
  sync(): void {
    const want = new Set<ViewSession>();
    const w = this.watched;
    const client = w ? this.views.clientView(w.netns) : undefined;
    if (client) want.add(client);
    if (w && !client && w.key !== undefined) {
      if (this.shadow && this.shadow.intervalMs !== w.intervalMs) this.releaseShadow();
      // Read a client's view until now (it was just filtered): the headless view's first dump waits an interval.
      const fromClient = [...this.attached.keys()].some((v) => v !== this.shadow?.lease.view);
      this.shadow ??= { lease: this.views.lease(w.netns, w.intervalMs, fromClient ? w.intervalMs : 0), intervalMs: w.intervalMs };
      want.add(this.shadow.lease.view);
    } else {
      this.releaseShadow();
    }
    for (const [v, off] of this.attached) if (!want.has(v)) { off(); this.attached.delete(v); }
    for (const v of want) {
      if (this.attached.has(v)) continue;
      this.attached.set(v, v.onRefresh(() => this.onViewRefresh(v), { tcpFacts: true }));
    }
  }

  private covers(v: ViewSession): boolean {
    const w = this.watched;
    return !!w && w.key !== undefined && FullViews.covers(v, w.key);
  }

  private coveringView(): ViewSession | undefined {
    for (const v of this.attached.keys()) if (this.covers(v)) return v;
    return undefined;
  }

  private onViewRefresh(v: ViewSession): void {
    // The view's query may have changed since sync(): a view that no longer covers is ignored.
    if (!this.covers(v)) return;
    // After the view has sent its own update: the findings never delay the tree.
    setImmediate(() => this.request(v));
  }

  private request(from: ViewSession | 'dump'): void {
    if (!this.watched) return;
    if (this.running) { this.again = from; return; }
    this.running = true;
    void this.runOnce(from).finally(() => {
      this.running = false;
      const next = this.again;
      this.again = undefined;
      if (next) this.request(next);
      else if (from === 'dump') this.scheduleDump();
    });
    if (from !== 'dump') this.scheduleDump();
  }

  /** The fallback: a dump of its own when no view has refreshed for a whole interval. */
  private scheduleDump(): void {
    clearTimeout(this.timer);
    const w = this.watched;
    if (!w) return;
    this.timer = setTimeout(() => {
      // A view that holds the sockets (a client's or the headless one) runs the findings at its refreshes.
      if (this.coveringView()) { this.scheduleDump(); return; }
      this.request('dump');
    }, w.intervalMs);
    this.timer.unref?.();
  }

  private async runOnce(from: ViewSession | 'dump'): Promise<void> {
    const w = this.watched;
    if (!w) return;
    let run: FindingsRun;
    try {
      if (from === 'dump') run = await this.runner.fromDump(w.netns, w.thresholds);
      else {
        run = await this.runner.fromStore(w.netns, from.sockets, w.thresholds, from.lastDumpDiag, from === this.shadow?.lease.view ? 'dump' : 'view');
      }
      this.lastError = undefined;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (message === this.lastError) return;
      log(`findings: ${message}`);
      this.lastError = message;
      this.gate.reset();
      await this.send({ findings: [], summary: null, rulesMs: 0, rulesCpuMs: 0, sockets: 0, source: from === 'dump' ? 'dump' : 'view', processLabels: {}, error: message }, w);
      return;
    }
    if (this.watched !== w) return; // replaced meanwhile: its own run follows
    if (!this.gate.offer(run.findings, run.summary, this.clock())) return;
    await this.send(run, w);
  }

  private async send(run: FindingsRun & { error?: string }, w: Watched): Promise<void> {
    try {
      await this.notify(HELPER_NOTIFICATIONS.findingsChanged, { ...run, ...(w.netns ? { netns: w.netns } : {}) });
    } catch {
      // The client is gone: main.ts exits on stdin/stdout close.
    }
  }
}
