// SockDiag: dumps, exact lookups and SOCK_DESTROY over one NETLINK_SOCK_DIAG socket, with the
// /proc/net fallback where netlink is refused or a protocol's diag module is missing.

import * as fs from 'node:fs';
import { Transport, openDiagSocket, RECV_SIZE } from './transport';
import { batchReceiver, type BatchReceiver } from './batch-receiver';
import { libc } from './libc';
import { cookieHi, cookieLo } from './cookie';
import { NETSTAT_FILE, PORT_RANGE_SYSCTL, openInNetns, parsePortRange, readWholeFd } from './netns';
import { NetlinkError, ERRNO, errnoName } from './errors';
import { parseDatagram, newDumpState, type DumpState } from './parse';
import { inetRequest, inetExtBits, unixRequest, packetRequest, netlinkRequest, tcpBothFamiliesRequest, type InetSockId } from './requests';
import { SOCK_DESTROY, TCPDIAG_GETSOCK } from './constants';
import { Socket, ALL_STATES, AF_INET, AF_INET6, type SockKind } from './diag-socket';
import { parseAddress } from './address';
import { PROC_NET_FILES, PROCFS_LACKS } from './procfs-files';
import { parseProcInet, parseProcUnix, parseProcPacket, parseProcNetlink } from './procfs';
import type { DumpRequest, DumpNotes, DumpExt, SocketKey, OpenOptions, DatagramReader } from './types';

const INET_KINDS: ReadonlySet<SockKind> = new Set(['tcp', 'udp', 'raw', 'mptcp']);
const DIAG_MODULE: Record<SockKind, string> = {
  tcp: 'tcp_diag', udp: 'udp_diag', raw: 'raw_diag', mptcp: 'mptcp_diag', unix: 'unix_diag', packet: 'af_packet_diag', netlink: 'netlink_diag',
};

export class SockDiag {
  private transport: Transport | null;
  /** errno of socket(2) when netlink itself was refused; 0 when it works. */
  private readonly refusedErrno: number;
  /** fds of /proc/net files opened inside another namespace (index as PROC_NET_FILES), or null for ours. */
  private readonly procFds: number[] | null;
  /** The other namespace's ip_local_port_range sysctl (-1 if unreadable), or null for ours. */
  private readonly portRangeFd: number | null;
  /** The other namespace's /proc/net/netstat (-1 if unreadable), or null for ours. */
  private readonly netstatFd: number | null;
  private closed = false;

  private constructor(transport: Transport | null, refusedErrno: number, procFds: number[] | null, portRangeFd: number | null, netstatFd: number | null) {
    this.transport = transport;
    this.refusedErrno = refusedErrno;
    this.procFds = procFds;
    this.portRangeFd = portRangeFd;
    this.netstatFd = netstatFd;
  }

  /**
   * Open a sock_diag socket, in the namespace at `netnsPath` if given (entered by a worker thread,
   * never by the calling thread). If netlink is refused (EPERM, EACCES, no CONFIG_INET_DIAG) the
   * returned SockDiag serves dumps from /proc/net and says so in DumpNotes.
   * Throws NetlinkError when the namespace cannot be opened or entered.
   */
  static open(opts: OpenOptions = {}): SockDiag {
    const timeoutMs = opts.timeoutMs ?? 5000;
    let fd = -1;
    let refused = 0;
    let procFds: number[] | null = null;
    let portRangeFd: number | null = null;
    let netstatFd: number | null = null;
    if (opts.netnsPath) {
      const r = openInNetns(opts.netnsPath);
      procFds = r.procFds;
      portRangeFd = r.portRangeFd;
      netstatFd = r.netstatFd;
      if (r.diagFd >= 0 && opts.procfsOnly) libc().close(r.diagFd);
      else if (r.diagFd >= 0) fd = r.diagFd;
      else refused = -r.diagFd;
    } else if (!opts.procfsOnly) {
      try {
        fd = openDiagSocket();
      } catch (e) {
        // Refused (EPERM/EACCES under seccomp, EPROTONOSUPPORT without CONFIG_INET_DIAG) or no
        // usable koffi (ENOSYS): serve dumps from /proc/net.
        if (e instanceof NetlinkError && e.errno) refused = e.errno;
        else throw e;
      }
    }
    if (fd < 0) return new SockDiag(null, refused, procFds, portRangeFd, netstatFd);
    return new SockDiag(new Transport(fd, timeoutMs), 0, procFds, portRangeFd, netstatFd);
  }

  /**
   * The namespace's net.ipv4.ip_local_port_range (what ss's `autobound` tests ports against), or
   * undefined when it cannot be read.
   */
  localPortRange(): [number, number] | undefined {
    this.checkOpen();
    let text: string;
    try {
      if (this.portRangeFd === null) {
        text = fs.readFileSync(PORT_RANGE_SYSCTL, 'latin1');
      } else {
        if (this.portRangeFd < 0) return undefined;
        const b = Buffer.alloc(64);
        text = b.toString('latin1', 0, fs.readSync(this.portRangeFd, b, 0, b.length, 0));
      }
    } catch {
      return undefined;
    }
    return parsePortRange(text);
  }

  /**
   * The namespace's /proc/net/netstat text (TcpExt and IpExt counters, as `nstat` reads them), or
   * undefined when it cannot be read. Read afresh on each call.
   */
  netstatText(): string | undefined {
    this.checkOpen();
    try {
      if (this.netstatFd === null) return fs.readFileSync(`/proc/self/net/${NETSTAT_FILE}`, 'latin1');
      if (this.netstatFd < 0) return undefined;
      return readWholeFd(this.netstatFd);
    } catch {
      return undefined;
    }
  }

  /** Whether dumps come from netlink (false: everything is read from /proc/net). */
  get usesNetlink(): boolean {
    return this.transport !== null;
  }

  /**
   * Dump the requested kinds, calling onSocket for each socket as it is parsed (nothing is
   * accumulated). Returns notes on what was missing or degraded. Throws NetlinkError on a failure
   * that leaves no way to answer (malformed reply, timeout, unexpected kernel error).
   */
  dump(req: DumpRequest, onSocket: (s: Socket) => void): DumpNotes {
    const { notes, counted, plan } = this.begin(req, onSocket);
    for (let step = plan.next(); !step.done;) step = plan.next(this.dumpOne(step.value, req.transient === true, counted, notes));
    return notes;
  }

  /**
   * The same dump, always transient (see DumpRequest.transient), with the kernel's work overlapped
   * with parsing: datagrams are received in batches on a pool thread while this thread parses and
   * calls onSocket for the previous batch. For one-shot readers of large tables (the CLI). One
   * batched dump runs at a time per process.
   */
  async dumpBatched(req: DumpRequest, onSocket: (s: Socket) => void, reader?: DatagramReader): Promise<DumpNotes> {
    const { notes, counted, plan } = this.begin(req, onSocket);
    const read = reader
      ? (buf: Buffer, len: number, st: DumpState): void => { notes.count += reader(buf, len, st, counted); }
      : (buf: Buffer, len: number, st: DumpState): void => parseDatagram(buf, len, st, counted);
    let step = plan.next();
    if (step.done) return notes; // nothing for netlink to do (every kind came from /proc/net)
    const rx = batchReceiver();
    rx.acquire();
    try {
      while (!step.done) step = plan.next(await this.dumpOneBatched(step.value, rx, read, notes));
    } finally {
      rx.release();
    }
    return notes;
  }

  /** A dump's notes, its socket callback (counting into the notes) and its plan. */
  private begin(req: DumpRequest, onSocket: (s: Socket) => void): { notes: DumpNotes; counted: (s: Socket) => void; plan: Generator<DumpStep, void, DumpState> } {
    this.checkOpen();
    const notes = newNotes();
    const counted = (s: Socket): void => { notes.count++; onSocket(s); };
    return { notes, counted, plan: this.plan(req, counted, notes) };
  }

  /**
   * What a dump does, kind by kind and family by family: yields each netlink dump to run (the
   * driver sends it and returns its final state) and handles /proc fallbacks, bytecode refusal and
   * missing modules in between.
   */
  private *plan(req: DumpRequest, onSocket: (s: Socket) => void, notes: DumpNotes): Generator<DumpStep, void, DumpState> {
    const families: (4 | 6)[] = req.families && req.families.length ? req.families : [4, 6];
    let bytecode = req.bytecode;
    if (!this.transport) {
      notes.notes.push(this.refusedErrno
        ? `sock_diag netlink is not available (${errnoName(this.refusedErrno)}); reading /proc/net instead: ${PROCFS_LACKS}`
        : `reading /proc/net instead of sock_diag netlink: ${PROCFS_LACKS}`);
    }
    for (const kind of req.kinds) {
      if (!this.transport) {
        this.dumpProcfs(kind, families, req.states, onSocket, notes);
        continue;
      }
      if (!INET_KINDS.has(kind)) {
        const build = (): Buffer => kind === 'unix' ? unixRequest({ states: req.states, ext: req.ext, seq: this.transport!.nextSeq() })
          : kind === 'packet' ? packetRequest({ ext: req.ext, seq: this.transport!.nextSeq() })
            : netlinkRequest({ ext: req.ext, seq: this.transport!.nextSeq() });
        const st = yield { kind, build, states: req.states };
        if (st.errno) this.kindFailed(kind, families, req.states, st.errno, onSocket, notes);
        continue;
      }
      if (kind === 'tcp' && families.length === 2) {
        // Both families in one walk of the kernel's tables instead of one walk each.
        const step = (bc: Uint8Array | undefined): DumpStep => ({
          kind, states: req.states, bothFamilies: true,
          build: () => tcpBothFamiliesRequest({ states: req.states, ext: inetExtBits(kind, req.ext), seq: this.transport!.nextSeq(), bytecode: bc }),
        });
        const st = yield* this.withBytecode(step, bytecode, notes);
        if (notes.bytecodeRejected) bytecode = undefined;
        if (!st.errno) {
          this.replayDeferred(st, onSocket);
          continue;
        }
        // Refused (a kernel without the original request, a missing module ...): delivered nothing,
        // so the dumps by family below run and report it as they would.
        if (st.count > 0) throw new NetlinkError('kernel', `sock_diag dump of tcp sockets failed`, st.errno);
      }
      for (const family of families) {
        const step = (bc: Uint8Array | undefined): DumpStep => ({
          kind, states: req.states,
          build: () => inetRequest({ kind, family, states: req.states, ext: inetExtBits(kind, req.ext), seq: this.transport!.nextSeq(), bytecode: bc }),
        });
        const st = yield* this.withBytecode(step, bytecode, notes);
        if (notes.bytecodeRejected) bytecode = undefined;
        if (st.errno) {
          // A missing module is missing for every family: one note, /proc for the rest of them.
          const rest = st.errno === ERRNO.ENOENT ? families.slice(families.indexOf(family)) : [family];
          this.kindFailed(kind, rest, req.states, st.errno, onSocket, notes);
          if (st.errno === ERRNO.ENOENT) break;
        }
      }
    }
  }

  /**
   * Ask the kernel for one socket by its exact identity (SOCK_DIAG_BY_FAMILY without NLM_F_DUMP).
   * Returns null when it no longer exists. Works for tcp, udp, raw, mptcp and unix.
   */
  lookup(key: Socket | SocketKey, ext?: DumpExt): Socket | null {
    this.checkOpen();
    const t = this.requireNetlink('lookup');
    const k = key instanceof Socket ? keyOf(key) : key;
    let req: Buffer;
    const seq = t.nextSeq();
    if (k.kind === 'unix') {
      if (k.inode === undefined && k.protocol === undefined) throw new NetlinkError('unsupported', 'unix lookup needs the inode', ERRNO.EINVAL);
      req = unixRequest({ states: ALL_STATES, ext, seq, inode: k.inode ?? k.protocol, cookieLo: cookieLo(k.cookie), cookieHi: cookieHi(k.cookie) });
    } else if (INET_KINDS.has(k.kind)) {
      req = inetRequest({ kind: k.kind, family: k.family, states: ALL_STATES, ext: inetExtBits(k.kind, ext), seq, id: inetId(k), rawProtocol: k.protocol });
    } else {
      throw new NetlinkError('unsupported', `the kernel has no exact lookup for ${k.kind} sockets`, ERRNO.EOPNOTSUPP);
    }
    t.send(req);
    const st = newDumpState(k.kind, seq, ALL_STATES);
    let found: Socket | null = null;
    const dgram = t.recv();
    if (!dgram) return null;
    parseDatagram(dgram, dgram.length, st, (s) => { found = s; });
    if (found) return found;
    // ENOENT: no such socket; ESTALE: the tuple now belongs to another socket (cookie differs).
    if (st.errno === ERRNO.ENOENT || st.errno === ERRNO.ESTALE) return null;
    if (st.errno) throw new NetlinkError('kernel', `sock_diag lookup of a ${k.kind} socket failed`, st.errno);
    return null;
  }

  /**
   * SOCK_DESTROY: close the socket in the kernel (its owner sees ECONNABORTED). Throws NetlinkError
   * with errno: EOPNOTSUPP without CONFIG_INET_DIAG_DESTROY or for non-inet sockets, EPERM without
   * CAP_NET_ADMIN, ENOENT when the socket is already gone.
   */
  destroy(sock: Socket | SocketKey): void {
    this.checkOpen();
    const t = this.requireNetlink('destroy');
    const k = sock instanceof Socket ? keyOf(sock) : sock;
    if (!INET_KINDS.has(k.kind)) {
      throw new NetlinkError('unsupported', `cannot destroy a ${k.kind} socket (the kernel destroys only tcp, udp, raw, mptcp)`, ERRNO.EOPNOTSUPP);
    }
    const seq = t.nextSeq();
    t.send(inetRequest({ kind: k.kind, family: k.family, states: ALL_STATES, ext: 0, seq, id: inetId(k), type: SOCK_DESTROY, rawProtocol: k.protocol }));
    const st = newDumpState(k.kind, seq, ALL_STATES);
    const dgram = t.recv();
    if (dgram) parseDatagram(dgram, dgram.length, st, () => { /* no sockets in an ACK */ });
    if (!st.done) throw new NetlinkError('malformed', 'no acknowledgement for SOCK_DESTROY');
    if (st.errno) {
      const why = st.errno === ERRNO.EOPNOTSUPP ? ' (the kernel lacks CONFIG_INET_DIAG_DESTROY)' : st.errno === ERRNO.EPERM ? ' (needs CAP_NET_ADMIN)' : '';
      throw new NetlinkError('kernel', `cannot destroy the ${k.kind} socket${why}`, st.errno);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport?.close();
    this.transport = null;
    for (const fd of [...this.procFds ?? [], this.portRangeFd ?? -1, this.netstatFd ?? -1]) if (fd >= 0) try { fs.closeSync(fd); } catch (_e) { /* already closed */ }
  }

  private checkOpen(): void {
    if (this.closed) throw new NetlinkError('syscall', 'SockDiag is closed', ERRNO.EBADF);
  }

  private requireNetlink(what: string): Transport {
    if (!this.transport) throw new NetlinkError('unsupported', `${what} needs sock_diag netlink, which is not available`, this.refusedErrno || ERRNO.EOPNOTSUPP);
    return this.transport;
  }

  /**
   * Runs `step(bytecode)`; when the kernel refuses the bytecode (EINVAL) before anything was
   * delivered or kept back, notes it and runs `step(undefined)`: the caller filters in userspace.
   */
  private *withBytecode(step: (bc: Uint8Array | undefined) => DumpStep, bytecode: Uint8Array | undefined, notes: DumpNotes): Generator<DumpStep, DumpState, DumpState> {
    const st = yield step(bytecode);
    if (st.errno !== ERRNO.EINVAL || !bytecode || st.count > 0 || st.deferredLen > 0) return st;
    notes.bytecodeRejected = `the kernel refused the filter bytecode (${errnoName(st.errno)}); the dump ran unfiltered`;
    return yield step(undefined);
  }

  /**
   * One netlink dump to NLMSG_DONE. On NLM_F_DUMP_INTR before any socket was delivered the dump is
   * redone once; otherwise (or if it happens again) the notes say the dump is inconsistent.
   */
  private dumpOne(step: DumpStep, transient: boolean, onSocket: (s: Socket) => void, notes: DumpNotes): DumpState {
    const t = this.transport!;
    // Transient: parse in place in the receive buffer, one reused Socket (see DumpRequest.transient).
    const reuse = transient ? new Socket(step.kind, 'tcp', AF_INET, 0, t.shared) : null;
    for (let attempt = 0; ; attempt++) {
      const st = this.start(step, reuse);
      try {
        while (!st.done) {
          if (transient) {
            const n = t.recvShared();
            parseDatagram(t.shared, n, st, onSocket);
          } else {
            const dgram = t.recv()!;
            parseDatagram(dgram, dgram.length, st, onSocket);
          }
        }
      } catch (e) {
        t.dirty = true;
        throw e;
      }
      if (!this.redo(step.kind, st, attempt, notes)) return st;
    }
  }

  /** dumpOne with batched receives on a pool thread, parsing each batch while the next arrives. */
  private async dumpOneBatched(step: DumpStep, rx: BatchReceiver, read: (buf: Buffer, len: number, st: DumpState) => void, notes: DumpNotes): Promise<DumpState> {
    const t = this.transport!;
    const reuse = new Socket(step.kind, 'tcp', AF_INET, 0, t.shared);
    for (let attempt = 0; ; attempt++) {
      const st = this.start(step, reuse);
      let pending: Promise<number> | null = rx.receive(t.fd, 0);
      try {
        for (let cur: 0 | 1 = 0; !st.done; cur = cur === 0 ? 1 : 0) {
          const count: number = await pending!;
          pending = null;
          if (count < 0) {
            // The pool thread's receive failed, and its errno is not ours to read: finish here,
            // where a timeout or an error is reported as in dump() (EINTR simply goes on).
            const n = t.recvShared(true);
            if (n < 0) throw new NetlinkError('timeout', 'no reply from the kernel within the receive timeout', ERRNO.ETIMEDOUT);
            read(t.shared, n, st);
            while (!st.done) read(t.shared, t.recvShared(), st);
            break;
          }
          if (!rx.endsDump(cur, count)) pending = rx.receive(t.fd, cur === 0 ? 1 : 0);
          for (let j = 0; j < count && !st.done; j++) {
            const n = rx.length(cur, j);
            if (n > RECV_SIZE) throw new NetlinkError('malformed', `netlink datagram of ${n} bytes truncated to ${RECV_SIZE}`);
            read(rx.slot(cur, j), n, st);
          }
        }
      } catch (e) {
        t.dirty = true;
        // Never leave the pool thread writing into a batch a later dump will use.
        if (pending) await pending;
        throw e;
      }
      if (!this.redo(step.kind, st, attempt, notes)) return st;
    }
  }

  /** Sends a step's request; returns the fresh state of its dump. */
  private start(step: DumpStep, reuse: Socket | null): DumpState {
    const req = step.build();
    this.transport!.send(req);
    return step.bothFamilies
      ? newDumpState(step.kind, req.readUInt32LE(8), step.states, reuse, TCPDIAG_GETSOCK, AF_INET6)
      : newDumpState(step.kind, req.readUInt32LE(8), step.states, reuse);
  }

  /** Delivers the IPv6 sockets a both-families dump kept back, after its IPv4 ones (ss's order). */
  private replayDeferred(st: DumpState, onSocket: (s: Socket) => void): void {
    if (!st.deferred || st.deferredLen === 0) return;
    const again = newDumpState(st.kind, st.seq, st.states, st.reuse, st.msgType);
    parseDatagram(st.deferred, st.deferredLen, again, onSocket);
  }

  /** After an interrupted dump: true to redo it (first attempt, nothing delivered), else note it. */
  private redo(kind: SockKind, st: DumpState, attempt: number, notes: DumpNotes): boolean {
    if (!st.interrupted) return false;
    if (attempt === 0 && st.count === 0) return true;
    const line = `${kind}: inconsistent dump (the kernel's socket table changed during the dump; some sockets may be missing or repeated)`;
    if (!notes.notes.includes(line)) notes.notes.push(line);
    return false;
  }

  /** A kind's netlink dump ended with an error: fall back to /proc/net or note it. */
  private kindFailed(kind: SockKind, families: (4 | 6)[], states: number, errno: number, onSocket: (s: Socket) => void, notes: DumpNotes): void {
    if (errno === ERRNO.ENOENT || errno === ERRNO.EOPNOTSUPP || errno === ERRNO.EPERM || errno === ERRNO.EACCES) {
      const hasProc = PROC_NET_FILES.some((f) => f.kind === kind);
      const what = errno === ERRNO.ENOENT ? `the kernel has no ${DIAG_MODULE[kind]}` : `sock_diag refused ${kind} (${errnoName(errno)})`;
      if (hasProc) {
        const files = PROC_NET_FILES.filter((f) => f.kind === kind).map((f) => `/proc/net/${f.name}`).join(', ');
        notes.notes.push(`${kind}: ${what}; read ${files} instead (${PROCFS_LACKS})`);
        this.dumpProcfs(kind, families, states, onSocket, notes);
      } else {
        notes.notes.push(`${kind}: ${what}; ${kind} sockets are not shown`);
        notes.skipped.push(kind);
      }
      return;
    }
    throw new NetlinkError('kernel', `sock_diag dump of ${kind} sockets failed`, errno);
  }

  private dumpProcfs(kind: SockKind, families: (4 | 6)[], states: number, onSocket: (s: Socket) => void, notes: DumpNotes): void {
    if (kind === 'mptcp') {
      if (!notes.skipped.includes(kind)) { notes.skipped.push(kind); notes.notes.push('mptcp: /proc/net has no MPTCP table; mptcp sockets are not shown'); }
      return;
    }
    if (!notes.procfs.includes(kind)) notes.procfs.push(kind);
    PROC_NET_FILES.forEach((f, i) => {
      if (f.kind !== kind || (f.family !== 0 && !families.includes(f.family))) return;
      const text = this.readProc(f.name, i);
      if (text === null) return;
      if (f.family === 4 || f.family === 6) parseProcInet(text, kind, f.family, states, onSocket);
      else if (kind === 'unix') parseProcUnix(text, states, onSocket);
      else if (kind === 'packet') parseProcPacket(text, states, onSocket);
      else parseProcNetlink(text, states, onSocket);
    });
  }

  private readProc(name: string, index: number): string | null {
    try {
      if (!this.procFds) return fs.readFileSync(`/proc/self/net/${name}`, 'latin1');
      const fd = this.procFds[index];
      if (fd < 0) return null;
      return readWholeFd(fd);
    } catch (_e) {
      return null;
    }
  }
}

/** One netlink dump of a plan: its request (built afresh for each attempt) and state mask. */
interface DumpStep {
  kind: SockKind;
  build: () => Buffer;
  states: number;
  /** A TCPDIAG_GETSOCK dump of IPv4 and IPv6 together (IPv6 kept back until the end). */
  bothFamilies?: boolean;
}

function newNotes(): DumpNotes {
  return { notes: [], procfs: [], skipped: [], count: 0 };
}


function keyOf(s: Socket): SocketKey {
  return {
    kind: s.kind, family: s.family === AF_INET ? 4 : 6, cookie: s.cookie,
    src: s.localAddress ?? undefined, sport: s.localPort, dst: s.peerAddress ?? undefined, dport: s.peerPort,
    ifindex: s.ifindex, protocol: s.kind === 'raw' ? s.protocol : undefined, inode: s.kind === 'unix' ? s.inode : undefined,
  };
}

function addrBytes(text: string | undefined, family: 4 | 6): Uint8Array {
  const out = new Uint8Array(16);
  if (!text) return out;
  const b = parseAddress(text);
  if (!b || (family === 4 && b.length !== 4)) throw new NetlinkError('unsupported', `not an IPv${family} address: ${text}`, ERRNO.EINVAL);
  if (family === 6 && b.length === 4) {
    // IPv4 text for an IPv6 socket means the v4-mapped address.
    out[10] = 0xff; out[11] = 0xff; out.set(b, 12);
  } else out.set(b, 0);
  return out;
}

function inetId(k: SocketKey): InetSockId {
  return {
    sport: k.sport ?? 0, dport: k.dport ?? 0, src: addrBytes(k.src, k.family), dst: addrBytes(k.dst, k.family),
    ifindex: k.ifindex ?? 0, cookieLo: cookieLo(k.cookie), cookieHi: cookieHi(k.cookie),
  };
}

