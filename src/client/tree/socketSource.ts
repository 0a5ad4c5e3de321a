// What the Sockets view and the charts need from the helper connection. The helper client
// (src/client/helper/helperClient.ts) satisfies this structurally; keeping the view on this
// narrow interface lets its logic be exercised without a helper process.
import type { SocketRecord } from '../../protocol/socket';

/** One watch update: sockets keyed by cookie. The first update after `watch` holds every socket in `added`. */
export interface SocketDelta {
  added: SocketRecord[];
  removed: string[];
  changed: SocketRecord[];
}

export interface WatchSpec {
  /** ss filter text (options, states, expression); empty for every socket in every state. */
  filter: string;
  /** Network namespace name or id as listed by `listNamespaces`; undefined for the helper's own. */
  netns?: string;
}

export interface NamespaceChoice {
  /** What to pass back as `WatchSpec.netns`; undefined for the host namespace. */
  id: string | undefined;
  label: string;
  description?: string;
}

export interface PrivilegeState {
  root: boolean;
  /** Kernel can destroy sockets (SOCK_DESTROY / CONFIG_INET_DIAG_DESTROY), when known. */
  canDestroy?: boolean;
  summary: string;
}

export interface Disposable { dispose(): void }

export interface SocketSource {
  watch(spec: WatchSpec, onDelta: (delta: SocketDelta) => void, onError?: (err: Error) => void): Disposable;
  /** One socket by cookie, with tcp_info; undefined when it no longer exists. */
  lookup(cookie: string, netns?: string): Promise<SocketRecord | undefined>;
  kill(cookie: string, netns?: string): Promise<void>;
  listNamespaces(): Promise<NamespaceChoice[]>;
  privilege(): Promise<PrivilegeState>;
}
