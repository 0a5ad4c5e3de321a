// SocketSource over the netlink engine: dumps, exact lookups, SOCK_DESTROY and destroy events, in
// the helper's namespace or one named by a validated NetnsRef. Records are built by record.ts.
import { statSync } from 'node:fs';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { DestroyGroup, DumpNotes, Socket, SocketKey as EngineKey } from '../netlink';
import { ALL_STATES, SockDiag, errnoName, NetlinkError, subscribeDestroyEvents } from '../netlink';
import type { DiagFacts, FindingSocket } from '../findings/index';
import { toFindingSocket } from '../host/findings/finding-socket';
import type { KillResult, NetnsRef, RecordExtensions, SocketKey } from '../protocol/helper-protocol';
import { ErrorCodes } from '../protocol/helper-protocol';
import type { ProcessRef, SocketRecord } from '../protocol/socket-record';
import { toSocketRecord } from '../host/record';
import { NameResolver } from '../host/name-resolver';
import { interfaceNamer } from './filter-resolver';
import { netnsPath } from './netns';
import { ProcessMapCache } from './process-map-cache';
import { cookieKey, plainFingerprint, type KeyedSocket } from './fingerprint';
import { engineExt, planQuery, type QueryPlan } from './query-plan';
import type { SocketSource } from './socket-engine';

type Diag = ReturnType<typeof SockDiag.open>;

/** Open engine handles, by namespace file and its inode (a re-created namespace gets a new handle). */
class DiagCache {
  private readonly open = new Map<string, Diag>();

  get(ref: NetnsRef | undefined): Diag {
    const path = netnsPath(ref);
    let key = '';
    if (path) {
      try { key = `${path}#${statSync(path).ino}`; } catch { throw new ResponseError(ErrorCodes.NamespaceNotFound, 'network namespace not found'); }
    }
    const hit = this.open.get(key);
    if (hit) return hit;
    let diag: Diag;
    try {
      diag = SockDiag.open(path ? { netnsPath: path } : {});
    } catch (e) {
      if (e instanceof NetlinkError) throw new ResponseError(ErrorCodes.NamespaceNotFound, `cannot enter the namespace: ${e.message}`);
      throw e;
    }
    if (this.open.size >= 8) {
      const [oldKey, old] = this.open.entries().next().value as [string, Diag];
      this.open.delete(oldKey);
      try { old.close(); } catch { /* already closed */ }
    }
    this.open.set(key, diag);
    return diag;
  }

  /** Drops a handle after an error (the namespace may be gone). */
  drop(ref: NetnsRef | undefined): void {
    for (const [k, d] of this.open) {
      if ((ref === undefined) === (k === '')) {
        if (ref === undefined || k.startsWith(netnsPath(ref) ?? '\0')) { this.open.delete(k); try { d.close(); } catch { /* closed */ } }
      }
    }
  }
}

const ENGINE_KIND: Record<string, EngineKey['kind']> = {
  tcp: 'tcp', udp: 'udp', raw: 'raw', mptcp: 'mptcp', u_str: 'unix', u_dgr: 'unix', u_seq: 'unix',
  p_raw: 'packet', p_dgr: 'packet', nl: 'netlink',
};

/** A protocol key -> the engine's exact-lookup key. */
export function engineKey(k: SocketKey, ifindexOf?: (name: string) => number | undefined): EngineKey {
  const kind = ENGINE_KIND[k.netid];
  if (!kind) throw new ResponseError(ErrorCodes.NotSupported, `no lookup for ${k.netid} sockets`);
  const key: EngineKey = { kind, family: k.family === 'inet6' ? 6 : 4, cookie: BigInt('0x' + k.cookie) };
  if (kind === 'unix') { key.inode = k.inode; return key; }
  if (kind === 'packet' || kind === 'netlink') { key.inode = k.inode; return key; }
  key.src = k.localAddress ?? (key.family === 6 ? '::' : '0.0.0.0');
  key.dst = k.peerAddress ?? (key.family === 6 ? '::' : '0.0.0.0');
  key.sport = kind === 'raw' ? 0 : k.localPort;
  key.dport = kind === 'raw' ? 0 : k.peerPort;
  if (kind === 'raw') key.protocol = k.localPort;
  if (k.iface) {
    const idx = /^\d+$/.test(k.iface) ? Number(k.iface) : ifindexOf?.(k.iface);
    if (idx !== undefined) key.ifindex = idx;
  }
  key.inode = k.inode;
  return key;
}

function record(s: Socket, ext: RecordExtensions, processes: Map<number, ProcessRef[]> | undefined, ifname: ((i: number) => string | undefined) | undefined): SocketRecord {
  return toSocketRecord(s, { processes, interfaceName: ifname, include: ext });
}

export function createNetlinkSource(): SocketSource {
  const cache = new DiagCache();
  const procs = new ProcessMapCache();
  // The first view groups by process: read every descriptor now, on a worker, not after its dump.
  procs.warm();

  const withDiag = <T>(ref: NetnsRef | undefined, f: (d: Diag) => T): T => {
    const d = cache.get(ref);
    try {
      return f(d);
    } catch (e) {
      cache.drop(ref);
      throw e;
    }
  };

  /** Runs a plan's dump, with its check made for the dumped namespace; returns how many passed it. */
  const dumpPlan = (plan: QueryPlan, onSocket: (s: Socket) => void, onNotes?: (n: DumpNotes) => void): number => {
    let count = 0;
    withDiag(plan.netns, (d) => {
      const accept = plan.acceptIn(() => d.localPortRange());
      const notes = d.dump(plan.request, (s: Socket) => {
        if (accept && !accept(s)) return;
        count++;
        onSocket(s);
      });
      onNotes?.(notes);
    });
    return count;
  };

  return {
    check(query) {
      const plan = planQuery(query);
      netnsPath(plan.netns);
    },

    dump(query, onRecord) {
      const plan = planQuery(query);
      const pm = plan.extensions.processes ? procs.fresh() : undefined;
      const ifname = interfaceNamer(plan.netns === undefined);
      const count = dumpPlan(plan, (s) => onRecord(record(s, plan.extensions, pm?.byInode, ifname)));
      return { count, invisibleProcesses: pm?.unreadable ?? 0 };
    },

    dumpKeyed(query, onSocket) {
      const plan = planQuery(query);
      const e = plan.extensions;
      const plain = !e.tcpInfo && !e.memInfo && !e.timers && !e.extended;
      const pm = e.processes ? procs.current() : undefined;
      const unknown: number[] = [];
      const ifname = interfaceNamer(plan.netns === undefined);
      // One object handed out for every socket (the watch uses it synchronously).
      let cur: Socket | undefined;
      const item: KeyedSocket = { key: undefined, fingerprint: undefined, build: () => record(cur!, e, pm?.byInode, ifname) };
      const count = dumpPlan(plan, (s) => {
        cur = s;
        let held: number | undefined;
        if (pm) {
          held = s.inode ? procs.live.serialOf(s.inode) : 0;
          if (held === 0 && s.inode) unknown.push(s.inode);
        }
        item.key = cookieKey(s);
        item.fingerprint = plain && item.key !== undefined ? plainFingerprint(s, held) : undefined;
        onSocket(item);
      });
      // Sockets the map did not know (a descriptor number reused): their processes from the next tick.
      if (pm) procs.unknown(unknown);
      return { count, invisibleProcesses: pm?.unreadable ?? 0 };
    },

    dumpSockets(query, onSocket) {
      const plan = planQuery(query);
      plan.request.transient = true;
      let diag: DiagFacts | undefined;
      const count = dumpPlan(plan, onSocket, (n) => { diag = { notes: [...n.notes], procfs: [...n.procfs], skipped: [...n.skipped] }; });
      return { count, invisibleProcesses: 0, ...(diag ? { diag } : {}) };
    },

    processMap() {
      const pm = procs.current();
      return {
        byInode: pm.byInode,
        unreadable: pm.unreadable,
        serialOf: (inode) => procs.live.serialOf(inode),
        pidOf: (inode) => procs.live.pidOf(inode),
        nameOf: (pid) => procs.live.nameOf(pid),
        unknown: (inodes) => procs.unknown(inodes),
        generation: procs.live.generation,
      };
    },

    interfaceNamer(netns) {
      return interfaceNamer(netns === undefined);
    },

    lookup(p) {
      const ext = p.extensions ?? {};
      const ifname = interfaceNamer(p.netns === undefined);
      const own = p.netns === undefined ? new NameResolver() : undefined;
      const key = engineKey(p.socket, own ? (n: string) => own.interfaceIndex(n) : undefined);
      const s = withDiag(p.netns, (d) => d.lookup(key, engineExt(ext)));
      if (!s) return null;
      let pm = ext.processes ? procs.current() : undefined;
      if (pm && s.inode && !pm.byInode.has(s.inode)) { procs.unknown([s.inode], true); pm = procs.live.map; }
      return record(s, ext, pm?.byInode, ifname);
    },

    kill(p) {
      const result: KillResult = { killed: [], failed: [] };
      withDiag(p.netns, (d) => {
        for (const k of p.sockets) {
          try {
            d.destroy(engineKey(k));
            result.killed.push(k.cookie);
          } catch (e) {
            const error = e instanceof NetlinkError && e.errno ? errnoName(e.errno) : e instanceof ResponseError ? e.message : e instanceof Error ? e.message : String(e);
            result.failed.push({ cookie: k.cookie, error });
          }
        }
      });
      return result;
    },

    parents() {
      procs.current();
      return procs.live.parents();
    },

    findingSockets(netns) {
      const pm = procs.current();
      const sockets: FindingSocket[] = [];
      const notes: string[] = [];
      const procfs: string[] = [];
      const skipped: string[] = [];
      try {
        withDiag(netns, (d) => {
          for (const kind of ['tcp', 'udp'] as const) {
            const n = d.dump({ kinds: [kind], states: ALL_STATES, ext: { info: kind === 'tcp' } }, (s) => sockets.push(toFindingSocket(s, pm.byInode)));
            notes.push(...n.notes); procfs.push(...n.procfs); skipped.push(...n.skipped);
          }
        });
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        return { sockets: [], diag: { notes, procfs, skipped, error: e instanceof Error ? e.message : String(e) }, invisibleProcesses: pm.unreadable };
      }
      return { sockets, diag: { notes, procfs, skipped }, invisibleProcesses: pm.unreadable };
    },

    subscribeDestroyed(p, onRecord, onError) {
      const path = netnsPath(p.netns);
      const groups: DestroyGroup[] = [];
      for (const n of p.netids?.length ? p.netids : ['tcp', 'udp'] as const) groups.push(`${n}4`, `${n}6`);
      const ifname = interfaceNamer(p.netns === undefined);
      return subscribeDestroyEvents({ ...(path ? { netnsPath: path } : {}), groups, onError }, (s: Socket) => onRecord(record(s, {}, undefined, ifname)));
    },
  };
}
