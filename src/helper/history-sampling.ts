// Which sockets' tcp_info the live recording keeps (`tcp_samples`): the charted ones, by key, and every
// TCP socket the followed processes hold. The view's socket store keeps no tcp_info (it would cost every
// socket a copy at every refresh), so at each refresh the sampled sockets, and only they, are looked up
// by cookie (one exact sock_diag request each) and their tcp_info handed to the recorder. With nothing
// sampled a refresh pays one size check; with followed pids, one typed pass over the store's inodes.
//
// The set belongs to the history service, not to one recording: a chart opened before the recording
// started (or before the helper restarted the recording on a new file) is sampled by the next one.
import { TCP_STATE } from '../fields/socket-states';
import { formatAddress } from '../netlink';
import type { NetnsRef, SocketKey } from '../protocol/helper-protocol';
import { HistoryLimits } from '../protocol/history-requests';
import type { SocketRecord } from '../protocol/socket-record';
import { NETIDS } from '../protocol/socket-record';
import type { SocketStore } from './socket-store';
import type { ProcessLookup } from './view-groups';

/** An exact lookup with tcp_info (the helper's SocketSource.lookup). */
export type SampleLookup = (key: SocketKey, netns: NetnsRef | undefined) => SocketRecord | null;

/** Where samples go: the recorder, for a socket the current refresh lists. */
export interface SampleTarget {
  sampleInfo(cookie: bigint, info: object): boolean;
}

const AF_INET = 2;
const AF_INET6 = 10;
const TCP = NETIDS.indexOf('tcp');
/** States without a tcp_info worth keeping: TIME-WAIT (the kernel's leftover) and LISTEN. */
const { TIME_WAIT, LISTEN } = TCP_STATE;

export class SampleSet {
  /** Charted sockets by cookie (lowercase hex). */
  readonly sockets = new Map<string, SocketKey>();
  /** Followed processes. */
  pids = new Set<number>();
  private warned = false;

  constructor(private readonly lookup: SampleLookup | undefined, private readonly log: (m: string) => void) {}

  get empty(): boolean { return this.sockets.size === 0 && this.pids.size === 0; }

  set(keys: readonly SocketKey[], on: boolean): void {
    for (const k of keys) {
      // One spelling per cookie (no leading zeros), as slotKey writes it.
      const cookie = BigInt('0x' + k.cookie).toString(16);
      if (!on) this.sockets.delete(cookie);
      else if (this.sockets.size < HistoryLimits.maxSampled || this.sockets.has(cookie)) this.sockets.set(cookie, { ...keyOf(k), cookie });
    }
  }

  /**
   * One refresh's samples: each charted socket, then the followed processes' TCP sockets in the store
   * (at most HistoryLimits.maxSampled lookups in all). A charted socket the kernel no longer has is dropped.
   */
  take(store: SocketStore, processes: ProcessLookup | undefined, netns: NetnsRef | undefined, target: SampleTarget): number {
    if (!this.lookup || this.empty) return 0;
    let budget = HistoryLimits.maxSampled;
    let taken = 0;
    for (const [cookie, key] of this.sockets) {
      if (budget-- <= 0) return taken;
      const r = this.read(key, netns);
      if (r === null) { this.sockets.delete(cookie); continue; }
      if (r !== undefined && r.tcpInfo && target.sampleInfo(BigInt('0x' + cookie), r.tcpInfo)) taken++;
    }
    if (this.pids.size === 0 || !processes) return taken;
    const { seen, family, netid, state, inode } = store;
    for (let i = 0; i < store.end && budget > 0; i++) {
      if (seen[i] === 0 || netid[i] !== TCP || (family[i] !== AF_INET && family[i] !== AF_INET6)) continue;
      if (state[i] === TIME_WAIT || state[i] === LISTEN || inode[i] === 0) continue;
      if (!this.followed(processes, inode[i])) continue;
      const key = slotKey(store, i);
      if (this.sockets.has(key.cookie)) continue;
      budget--;
      const r = this.read(key, netns);
      if (r?.tcpInfo && target.sampleInfo(BigInt('0x' + key.cookie), r.tcpInfo)) taken++;
    }
    return taken;
  }

  private followed(processes: ProcessLookup, ino: number): boolean {
    const pid = processes.pidOf(ino);
    if (pid > 0) return this.pids.has(pid);
    if (pid === 0) return false;
    return processes.byInode.get(ino)?.some((p) => this.pids.has(p.pid)) ?? false;
  }

  /** The record, null when the socket is gone, undefined when the lookup failed (said once in the log). */
  private read(key: SocketKey, netns: NetnsRef | undefined): SocketRecord | null | undefined {
    try {
      return this.lookup!(key, netns);
    } catch (e) {
      if (!this.warned) { this.warned = true; this.log(`history: tcp_info sample of ${key.cookie} failed (${e instanceof Error ? e.message : String(e)})`); }
      return undefined;
    }
  }
}

/** Only the key's own fields (a SocketRecord passes as a key; its counters are not kept). */
function keyOf(k: SocketKey): SocketKey {
  return {
    netid: k.netid, family: k.family, localAddress: k.localAddress, localPort: k.localPort, peerAddress: k.peerAddress,
    peerPort: k.peerPort, inode: k.inode, cookie: k.cookie, ...(k.iface ? { iface: k.iface } : {}),
  };
}

function slotKey(store: SocketStore, i: number): SocketKey {
  const cookie = ((BigInt(store.cookieHi[i]) << 32n) | BigInt(store.cookieLo[i])).toString(16);
  return {
    netid: 'tcp', family: store.family[i] === AF_INET6 ? 'inet6' : 'inet',
    localAddress: formatAddress(store.addr, i * 32, store.family[i]), localPort: store.localPort[i],
    peerAddress: formatAddress(store.addr, i * 32 + 16, store.family[i]), peerPort: store.peerPort[i],
    inode: store.inode[i], cookie,
  };
}
