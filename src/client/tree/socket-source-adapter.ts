// Adapts the helper client (src/client/connection/helper-client.ts) to the view's SocketSource:
// watch ticks (possibly in several parts) become one SocketDelta per complete tick.
import type { HelperClient } from '../connection/helper-client';
import type { SocketRecord } from '../../protocol/socket-record';
import { recordKey } from '../../protocol/watch-state';
import type { SocketDelta, SocketSource } from './socket-source';

export function helperSocketSource(client: HelperClient): SocketSource {
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
    onCapabilities: (listener) => client.onDidChangeCapabilities(listener),
    subscribeDestroyed: (netns, onDestroyed) => client.subscribeDestroyed(netns ? { netns } : {}, onDestroyed),
    processes: (params) => client.processes(params),
  };
}
