// The helper's request handlers: one per whitelisted method, holding the session's watches and
// destroy subscriptions. Params arrive already validated (rpc-server.ts).
import { SOCKSCOPE_VERSION } from '../protocol/version';
import { HELPER_NOTIFICATIONS } from '../protocol/helper-requests';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { DumpChunkNotification } from '../protocol/helper-protocol';
import { ErrorCodes, Limits, PROTOCOL_VERSION } from '../protocol/helper-protocol';
import type { SocketRecord } from '../protocol/socket-record';
import { readCapabilities } from './capabilities';
import { log } from './log';
import { listNamespaces } from './netns';
import { ProcessService } from './process-requests';
import type { Handlers, Notify } from './rpc-server';
import type { SocketSource } from './socket-engine';
import { ViewSession } from './view-session';
import { Watch } from './watcher';
import { FindingsRunner, netnsKey, thresholdsOf } from './findings-runner';
import { FindingsFeed } from './findings-feed';
import { runHealth } from './health-runner';
import { HistoryService } from './history-service';
import { FullViews } from './full-views';
import { HeapSettler } from '../host/heap-settle';

export const HELPER_VERSION = SOCKSCOPE_VERSION;

export interface Session {
  handlers: Handlers;
  /** The open views by id: each holds its sockets in a store (view-session.ts `sockets`, `onRefresh`). */
  readonly views: ReadonlyMap<string, ViewSession>;
  /** Stops every watch and subscription. */
  dispose(): void;
}

export function createSession(source: SocketSource, notify: Notify, onShutdown: () => void): Session {
  const watches = new Map<string, Watch>();
  const subscriptions = new Map<string, { close(): void }>();
  const views = new Map<string, ViewSession>();
  const viewOf = (id: string): ViewSession => {
    const v = views.get(id);
    if (!v) throw new ResponseError(ErrorCodes.UnknownId, `no view "${id}"`);
    return v;
  };
  const root = (): boolean => process.geteuid?.() === 0;
  // The recorder's and the findings' steady work leaves emptied heap pages committed (heap-settle.ts).
  const settler = new HeapSettler({ slackCheckMs: 30_000 });
  const processService = new ProcessService(source);
  const findings = new FindingsRunner(source);
  const full = new FullViews(views, (netns, intervalMs, delayMs) => {
    const v = new ViewSession({ viewId: `full:${JSON.stringify(netns ?? null)}`, intervalMs, query: netns ? { netns } : {}, groupBy: 'flat' }, source, notify, { root, headless: true, settler });
    v.start(delayMs);
    return v;
  });
  const feed = new FindingsFeed(findings, full, notify);
  /** A view holding every tcp and udp socket of the namespace, with the findings' tcp_info columns. */
  const viewWithFacts = (netns: Parameters<typeof netnsKey>[0]): ViewSession | undefined => {
    const key = netnsKey(netns);
    if (key === undefined) return undefined;
    for (const v of views.values()) {
      if (v.sockets.facts && v.sockets.ticks > 1 && FullViews.covers(v, key)) return v;
    }
    return undefined;
  };
  const history = new HistoryService({
    views, full, processes: () => source.processMap?.(), notify,
    // SOCKSCOPE_HELPER_NO_EVENTS=1: closes from refreshes only, as where the kernel sends no destroy
    // events (the CLI's `record --no-events`).
    kernelEvents: process.env.SOCKSCOPE_HELPER_NO_EVENTS !== '1',
    lookup: (socket, netns) => source.lookup({ socket, extensions: { tcpInfo: true }, ...(netns ? { netns } : {}) }),
  });

  const dispose = (): void => {
    for (const w of watches.values()) w.stop();
    watches.clear();
    feed.dispose();
    void history.dispose();
    full.dispose();
    settler.dispose();
    for (const v of views.values()) v.stop();
    views.clear();
    for (const s of subscriptions.values()) { try { s.close(); } catch { /* already closed */ } }
    subscriptions.clear();
  };

  const handlers: Handlers = {
    initialize(p) {
      if (p.protocolVersion !== PROTOCOL_VERSION) {
        throw new ResponseError(ErrorCodes.UnsupportedVersion, `protocol version ${p.protocolVersion} not supported (helper speaks ${PROTOCOL_VERSION})`, { protocolVersion: PROTOCOL_VERSION });
      }
      if (p.clientName) log(`client: ${p.clientName.replace(/[^\x20-\x7e]/g, '?')}`);
      return { protocolVersion: PROTOCOL_VERSION, helperVersion: HELPER_VERSION, pid: process.pid, capabilities: readCapabilities() };
    },

    async dump(p) {
      const size = p.chunkSize ?? Limits.defaultChunkSize;
      // The engine is synchronous: chunks are written as they fill (stdout is a blocking pipe), so
      // at most one chunk of records is held here.
      let chunk: SocketRecord[] = [];
      const pending: Promise<void>[] = [];
      const flush = (): void => {
        const msg: DumpChunkNotification = { stream: p.stream, records: chunk };
        chunk = [];
        pending.push(notify(HELPER_NOTIFICATIONS.dumpChunk, msg).catch(() => undefined));
        if (pending.length > 64) pending.splice(0, 32);
      };
      const summary = source.dump(p, (r) => {
        chunk.push(r);
        if (chunk.length >= size) flush();
      });
      if (chunk.length) flush();
      await Promise.all(pending);
      return { stream: p.stream, count: summary.count, invisibleProcesses: summary.invisibleProcesses };
    },

    lookup(p) {
      return { record: source.lookup(p) };
    },

    watch(p) {
      const existing = watches.get(p.watchId);
      if (existing) existing.stop();
      else if (watches.size >= Limits.maxWatches) throw new ResponseError(ErrorCodes.TooMany, `at most ${Limits.maxWatches} watches`);
      // Refuse a bad filter or namespace now rather than on every tick.
      source.check({ ...p.query, netns: p.query?.netns ?? p.netns });
      const w = new Watch(p, source, notify);
      watches.set(p.watchId, w);
      w.start();
      return { watchId: p.watchId };
    },

    unwatch(p) {
      const w = watches.get(p.watchId);
      if (!w) throw new ResponseError(ErrorCodes.UnknownId, `no watch "${p.watchId}"`);
      w.stop();
      watches.delete(p.watchId);
      return null;
    },

    subscribeDestroyed(p) {
      if (subscriptions.has(p.subscriptionId)) throw new ResponseError(ErrorCodes.InvalidParams, `subscription "${p.subscriptionId}" exists`);
      if (subscriptions.size >= Limits.maxSubscriptions) throw new ResponseError(ErrorCodes.TooMany, `at most ${Limits.maxSubscriptions} subscriptions`);
      const sub = source.subscribeDestroyed(
        p,
        (record) => { void notify(HELPER_NOTIFICATIONS.destroyed, { subscriptionId: p.subscriptionId, record }).catch(() => undefined); },
        (e) => { log(`destroy subscription ${p.subscriptionId} stopped: ${e.message}`); subscriptions.delete(p.subscriptionId); },
      );
      subscriptions.set(p.subscriptionId, sub);
      return null;
    },

    unsubscribeDestroyed(p) {
      const s = subscriptions.get(p.subscriptionId);
      if (!s) throw new ResponseError(ErrorCodes.UnknownId, `no subscription "${p.subscriptionId}"`);
      s.close();
      subscriptions.delete(p.subscriptionId);
      return null;
    },

    kill(p) {
      return source.kill(p);
    },

    listNamespaces() {
      return listNamespaces();
    },

    capabilities() {
      return readCapabilities();
    },

    'view/open'(p) {
      const existing = views.get(p.viewId);
      if (!existing && views.size >= Limits.maxViews) throw new ResponseError(ErrorCodes.TooMany, `at most ${Limits.maxViews} views`);
      const v = new ViewSession(p, source, notify, { root, settler });
      v.start();
      existing?.stop();
      views.set(p.viewId, v);
      feed.sync();
      history.sync();
      return { viewId: p.viewId };
    },

    async 'view/update'(p) {
      const seq = await viewOf(p.viewId).update(p);
      // A new query may make the view hold the findings' sockets, or stop holding them.
      if (p.query) { feed.sync(); history.sync(); }
      return { viewId: p.viewId, seq };
    },

    'view/rows'(p) {
      return viewOf(p.viewId).rows(p.page);
    },

    'view/close'(p) {
      viewOf(p.viewId).stop();
      views.delete(p.viewId);
      feed.sync();
      history.sync();
      return null;
    },

    health(p) {
      return runHealth(p);
    },

    processes(p) {
      return processService.processes(p);
    },

    findings(p) {
      const thresholds = thresholdsOf(p);
      // The sockets a view already holds when one holds them all (its tcp_info columns kept by a
      // findings watch); else a dump of the findings' own.
      const v = viewWithFacts(p.netns);
      return v ? findings.fromStore(p.netns, v.sockets, thresholds, v.lastDumpDiag) : findings.fromDump(p.netns, thresholds);
    },

    'findings/watch'(p) {
      feed.watch(p);
      return null;
    },

    'findings/unwatch'() {
      feed.unwatch();
      return null;
    },

    ...history.handlers,

    shutdown() {
      dispose();
      setImmediate(onShutdown);
      return null;
    },
  };
  return { handlers, views, dispose };
}
