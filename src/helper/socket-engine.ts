// What the request handlers need from the socket engine, in protocol terms. netlink-engine.ts
// implements it over src/netlink + src/ssq; everything is synchronous like the engine.
import type { KillParams, KillResult, LookupParams, NetnsRef, SocketQuery, SubscribeDestroyedParams } from '../protocol/helper-protocol';
import type { SocketRecord } from '../protocol/socket-record';
import type { Socket } from '../netlink';
import type { KeyedSocket } from './fingerprint';
import type { ProcessLookup } from './view-groups';
import type { DiagFacts, FindingSocket } from '../findings/index';

export interface DumpSummary {
  count: number;
  invisibleProcesses: number;
  /** How the dump went (dumpSockets): what findings reading a view's store say about a partial view. */
  diag?: DiagFacts;
}

export interface SocketSource {
  /** Every socket the query selects, one at a time. Throws ResponseError (BadFilter, NamespaceNotFound ...). */
  dump(query: SocketQuery, onRecord: (record: SocketRecord) => void): DumpSummary;
  /**
   * dump() for watches: each socket with its key and a cheap fingerprint, the record built only
   * on demand. Optional: without it a watch builds and serializes every record.
   */
  dumpKeyed?(query: SocketQuery, onSocket: (socket: KeyedSocket) => void): DumpSummary;
  /**
   * The engine's sockets for a store (socket-store.ts): kernel-side states and bytecode, one reused
   * Socket valid only during the callback, nothing decoded that the callback does not read.
   */
  dumpSockets?(query: SocketQuery, onSocket: (socket: Socket) => void): DumpSummary;
  /** The helper's process map, brought up to date at most every 250 ms. */
  processMap?(): ProcessLookup;
  /** Interface index -> name in the namespace (undefined: show the index). */
  interfaceNamer?(netns: NetnsRef | undefined): ((index: number) => string | undefined) | undefined;
  /** Throws what dump() would for a bad filter or namespace, without dumping. */
  check(query: SocketQuery): void;
  /** One socket by exact lookup; null when it is gone. */
  lookup(params: LookupParams): SocketRecord | null;
  /** SOCK_DESTROY each socket. */
  kill(params: KillParams): KillResult;
  /**
   * Every tcp and udp socket of the namespace (tcp_info for connections, processes) as the findings
   * rules read them, and how the dump went. Optional: without it the helper has no findings.
   */
  findingSockets?(netns: NetnsRef | undefined): { sockets: FindingSocket[]; diag: DiagFacts; invisibleProcesses: number };
  /** Destroy events (ss -E) until close(). */
  subscribeDestroyed(params: SubscribeDestroyedParams, onRecord: (record: SocketRecord) => void, onError: (e: Error) => void): { close(): void };
  /** pid -> ppid of every process, as current as the process map. Optional: else /proc is read. */
  parents?(): Map<number, number>;
}
