// Synthetic engine Sockets (as the netlink parser makes them) and a SocketSource that dumps them,
// for the store and view tests: no kernel, exact control over every column.
import { Socket } from '../../../src/netlink/diag-socket';
import type { ProcessRef } from '../../../src/protocol/socket-record';
import type { SocketSource } from '../../../src/helper/socket-engine';
import type { ProcessLookup } from '../../../src/helper/view-groups';

const STATE: Record<string, number> = { ESTAB: 1, 'TIME-WAIT': 6, UNCONN: 7, 'CLOSE-WAIT': 8, LISTEN: 10 };

export interface FakeSpec {
  cookie: number;
  netid?: 'tcp' | 'udp' | 'u_str';
  state?: keyof typeof STATE;
  local?: [number, number, number, number];
  peer?: [number, number, number, number];
  localPort?: number;
  peerPort?: number;
  inode?: number;
  recvQ?: number;
  /** unix: the bound name. */
  name?: string;
  /** tcp_info: bytes_acked, bytes_received, total_retrans, rtt. */
  info?: { acked: number; received: number; retrans: number; rtt: number };
}

/** One Socket built the way the parser leaves it (addresses as bytes in `buf`). */
export function fakeSocket(f: FakeSpec): Socket {
  const netid = f.netid ?? 'tcp';
  const unix = netid === 'u_str';
  const buf = Buffer.alloc(64 + 280);
  const s = new Socket(unix ? 'unix' : netid, netid, unix ? 1 : 2, STATE[f.state ?? 'ESTAB'], buf);
  s.cookieLo = f.cookie;
  s.inode = f.inode ?? f.cookie;
  s.recvQ = f.recvQ ?? 0;
  s.localPort = unix ? s.inode : (f.localPort ?? 40000);
  s.peerPort = f.peerPort ?? 5432;
  if (unix) {
    if (f.name) { buf.write(f.name, 0, 'latin1'); s.attrs.name = 0; s.attrs.nameLen = f.name.length; }
    return s;
  }
  Buffer.from(f.local ?? [127, 0, 0, 1]).copy(buf, 0);
  Buffer.from(f.peer ?? [127, 0, 0, 1]).copy(buf, 16);
  s.srcOff = 0;
  s.dstOff = 16;
  if (f.info) {
    const o = 64;
    s.attrs.info = o;
    s.attrs.infoLen = 280;
    buf.writeUInt32LE(f.info.rtt, o + 68);
    buf.writeUInt32LE(f.info.retrans, o + 100);
    buf.writeUInt32LE(f.info.acked, o + 120);
    buf.writeUInt32LE(f.info.received, o + 128);
  }
  return s;
}

/** A process map over inode -> holders. */
export function fakeProcesses(byInode: Map<number, ProcessRef[]>, unreadable = 0): ProcessLookup {
  // As the live map: a new serial whenever an inode's list is another one (tests replace lists, never edit them).
  const serials = new Map<ProcessRef[], number>();
  const serialOf = (inode: number): number => {
    const list = byInode.get(inode);
    if (!list) return 0;
    let n = serials.get(list);
    if (n === undefined) { n = nextSerial++; serials.set(list, n); }
    return n;
  };
  const pidOf = (inode: number): number => {
    const list = byInode.get(inode);
    if (!list?.length) return 0;
    return list.every((r) => r.pid === list[0].pid) ? list[0].pid : -1;
  };
  const nameOf = (pid: number): string | undefined => {
    for (const list of byInode.values()) for (const r of list) if (r.pid === pid) return r.name;
    return undefined;
  };
  return {
    byInode, unreadable, serialOf, pidOf, nameOf, unknown: () => undefined,
    // As the live map's: the same number while the lists' content is the same (a test may change byInode).
    get generation() {
      const text = JSON.stringify([...byInode]);
      let n = generations.get(text);
      if (n === undefined) { n = generations.size + 1; generations.set(text, n); }
      return n;
    },
  };
}
let nextSerial = 1;
const generations = new Map<string, number>();

/** A SocketSource whose dumps hand out `current()`; only what views use is implemented. */
export function fakeSource(current: () => FakeSpec[], processes: () => ProcessLookup = () => fakeProcesses(new Map())): SocketSource {
  return {
    check: () => undefined,
    dump: () => ({ count: 0, invisibleProcesses: 0 }),
    dumpSockets: (_q, on) => {
      const list = current();
      for (const f of list) on(fakeSocket(f));
      return { count: list.length, invisibleProcesses: 0 };
    },
    processMap: processes,
    interfaceNamer: () => undefined,
    lookup: () => null,
    kill: () => ({ killed: [], failed: [] }),
    subscribeDestroyed: () => ({ close: () => undefined }),
  };
}
