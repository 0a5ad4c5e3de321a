// What the Sockets view and the charts need from the helper connection. The helper client
// (src/client/connection/helper-client.ts) is adapted to this in socket-source-adapter.ts; keeping the
// view on this narrow interface keeps its logic independent of the connection's details.
import type { Capabilities, KillResult, NamespaceInfo, NetnsRef, ProcessesParams, ProcessesResult, SocketKey, SocketQuery } from '../../protocol/helper-protocol';
import type { SocketRecord } from '../../protocol/socket-record';
import type { ViewChangedNotification, ViewOpenParams, ViewPageRequest, ViewRowsResult, ViewUpdateParams } from '../../protocol/view-protocol';

/** One watch update: sockets keyed by cookie. `snapshot`: drop what you hold first. */
export interface SocketDelta {
  added: SocketRecord[];
  removed: string[];
  changed: SocketRecord[];
  snapshot?: boolean;
}

export interface Disposable { dispose(): void }

/** An open helper view (view-protocol.ts). */
export interface ViewHandle extends Disposable {
  /** The helper's id of the view, where it has one (the recorder follows the live view by it). */
  readonly id?: string;
  /** Resolves with the seq of the notification that reflects the change (-1: the view is being reopened with it). */
  update(changes: Omit<ViewUpdateParams, 'viewId'>): Promise<number>;
  rows(page: ViewPageRequest): Promise<ViewRowsResult>;
}

export interface SocketSource {
  /** A view of the sockets shaped like the tree: the helper keeps the set and sends what is shown. */
  openView(options: Omit<ViewOpenParams, 'viewId'>, onChanged: (n: ViewChangedNotification) => void, onError?: (err: Error) => void): ViewHandle;
  /** Periodic snapshots of `query` as deltas; the first delta is a snapshot. */
  watch(query: SocketQuery, intervalMs: number, onDelta: (delta: SocketDelta) => void, onError?: (err: Error) => void): Disposable;
  /** One socket by exact lookup, with tcp_info; null when it no longer exists. */
  lookup(key: SocketKey, netns?: NetnsRef): Promise<SocketRecord | null>;
  kill(keys: SocketKey[], netns?: NetnsRef): Promise<KillResult>;
  listNamespaces(): Promise<NamespaceInfo[]>;
  capabilities(): Promise<Capabilities>;
  /** Capabilities after a helper (re)start or elevation. */
  onCapabilities?(listener: (caps: Capabilities) => void): Disposable;
  /** tcp/udp sockets the kernel destroys (as ss -E), to update the view between watch ticks. */
  subscribeDestroyed?(netns: NetnsRef | undefined, onDestroyed: (r: SocketRecord) => void): Disposable;
  /** What processes are and their process trees (identity labels, followed sessions). */
  processes?(params: ProcessesParams): Promise<ProcessesResult>;
}
