// Adapts the helper client (src/client/connection/helperClient.ts) to the view's SocketSource:
// watch ticks (possibly in several parts) become one SocketDelta per complete tick.
import type {
  Capabilities, KillResult, ListNamespacesResult, NetnsRef, RecordExtensions, SocketKey, SocketQuery,
} from '../../protocol/helper-protocol';
import type { SocketRecord } from '../../protocol/socket-record';
import { recordKey, type AppliedTick, type WatchState } from '../../protocol/watch-state';
import type { ViewChangedNotification, ViewOpenParams, ViewPageRequest, ViewRowsResult, ViewUpdateParams } from '../../protocol/view-protocol';
import type { Disposable, SocketDelta, SocketSource } from './socket-source';

/** The part of HelperClient the view uses (structural: the lint layering forbids importing ../helper from here). */
export interface HelperClientLike {
  watch(options: { intervalMs: number; query?: SocketQuery; netns?: NetnsRef }, onUpdate: (state: WatchState, tick: AppliedTick) => void, onError?: (e: Error) => void): Disposable;
  lookup(socket: SocketKey, options?: { extensions?: RecordExtensions; netns?: NetnsRef }): Promise<SocketRecord | null>;
  kill(sockets: SocketKey[], netns?: NetnsRef): Promise<KillResult>;
  listNamespaces(): Promise<ListNamespacesResult>;
  capabilities(): Promise<Capabilities>;
  readonly onDidChangeCapabilities?: (listener: (caps: Capabilities) => void) => Disposable;
  subscribeDestroyed(options: { netids?: Array<'tcp' | 'udp'>; netns?: NetnsRef }, onDestroyed: (r: SocketRecord) => void): Disposable;
  openView(options: Omit<ViewOpenParams, 'viewId'>, onChanged: (n: ViewChangedNotification) => void, onError?: (e: Error) => void): Disposable & {
    update(changes: Omit<ViewUpdateParams, 'viewId'>): Promise<number>;
    rows(page: ViewPageRequest): Promise<ViewRowsResult>;
  };
}

export function helperSocketSource(client: HelperClientLike): SocketSource {
  return {
    openView: (options, onChanged, onError) => client.openView(options, onChanged, onError),
    watch(query, intervalMs, onDelta, onError) {
      let pending: { snapshot: boolean; added: SocketRecord[]; changed: SocketRecord[]; removed: string[] } | undefined;
      return client.watch({ intervalMs, query, ...(query.netns ? { netns: query.netns } : {}) }, (state, tick) => {
        pending ??= { snapshot: false, added: [], changed: [], removed: [] };
        if (tick.snapshot) pending.snapshot = true;
        if (!pending.snapshot) {
          pending.added.push(...tick.added);
          pending.changed.push(...tick.changed);
          pending.removed.push(...tick.removed.map(recordKey));
        }
        if (!tick.complete) return;
        const delta: SocketDelta = pending.snapshot
          ? { snapshot: true, added: [...state.records.values()], changed: [], removed: [] }
          : { added: pending.added, changed: pending.changed, removed: pending.removed };
        pending = undefined;
        onDelta(delta);
      }, onError);
    },
    lookup: (key, netns) => client.lookup(key, { extensions: { tcpInfo: true, processes: false }, ...(netns ? { netns } : {}) }),
    kill: (keys, netns) => client.kill(keys, netns),
    listNamespaces: async () => (await client.listNamespaces()).namespaces,
    capabilities: () => client.capabilities(),
    onCapabilities: (listener) => client.onDidChangeCapabilities?.(listener) ?? { dispose: () => undefined },
    subscribeDestroyed: (netns, onDestroyed) => client.subscribeDestroyed(netns ? { netns } : {}, onDestroyed),
  };
}
