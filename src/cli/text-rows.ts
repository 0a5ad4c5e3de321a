// ss's rows, cell by cell, for each kind of socket: inet rows written straight into the cell
// buffer (addresses and numbers as bytes), unix, packet and netlink rows as text cells; -o's timer,
// -e's details, -m's memory and -i's tcp_info (tcp-info-text.ts) end the inet row's last cell.
// The WebAssembly writer (wasm/inet-rows.ts) writes the plain inet rows of -tan[i] the same way.
import { SK_MEMINFO_FIELDS, TCP_STATE } from '../fields/index';
import type { PacketRing, Socket } from '../netlink/index';
import type { NameResolver, ServiceProto } from '../host/name-resolver';
import { NETLINK_PROTOCOL_NAMES, etherProtocolName } from '../host/record';
import { fmtMsTimer } from './format';
import { mptcpInfoText } from './mptcp-info-text';
import { writeTcpInfoText } from './tcp-info-text';
import { Col, type TextColumns } from './text-columns';
import type { ByteSink } from './output';
import { v6onlyOf } from './v6only';

export interface RowOptions {
  /** -n: ports (and netlink protocols) as numbers. */
  numeric: boolean;
  /** -r: host names for addresses. */
  resolveHosts: boolean;
  /** -i */
  info: boolean;
  /** -m */
  mem: boolean;
  /** -e */
  extended: boolean;
  /** -o */
  timers: boolean;
  showNetid: boolean;
  showState: boolean;
  /** --cgroup */
  cgroup?: boolean;
  /**
   * -N NS: ss switches to the namespace's view of the mounts with a fresh /sys, where a cgroup2 mount
   * under /sys is gone: it prints such cgroups as unreachable:ID, and so does this.
   */
  netnsSwitched?: boolean;
}

const SPACES = ' '.repeat(8);
function padRight6(n: number): string {
  const s = String(n);
  return s.length >= 6 ? s : s + SPACES.slice(0, 6 - s.length);
}

/** ss's skmem:(...) tags: those every kernel sends, then those it prints only when the kernel's array reaches them. */
const SKMEM_ALWAYS = SK_MEMINFO_FIELDS.filter((f) => !f.ssIfSent);
const SKMEM_IF_SENT = SK_MEMINFO_FIELDS.filter((f) => f.ssIfSent);

export class RowBuilder {
  constructor(private readonly c: TextColumns, private readonly opts: RowOptions, private readonly names: NameResolver) {}

  /** Adds one socket's row to the columns. */
  add(s: Socket): void {
    switch (s.kind) {
      case 'unix': this.c.pushRow(this.unixRow(s), s.inode); break;
      case 'packet': this.c.pushRow(this.packetRow(s), s.inode); break;
      case 'netlink': this.c.pushRow(this.netlinkRow(s), s.inode); break;
      default: this.addInet(s);
    }
  }

  private common(s: Socket): [string, string, string, string] {
    return [s.netid, s.stateName, padRight6(s.recvQ), padRight6(s.sendQ)];
  }

  private hostText(s: Socket, addr: string | null): string {
    if (addr === null) return '*';
    if (s.family === 2) {
      return this.opts.resolveHosts && addr !== '0.0.0.0' ? this.names.hostName(addr) : addr;
    }
    if (addr === '::' && !v6onlyOf(s)) return '*';
    const text = this.opts.resolveHosts && addr !== '::' ? this.names.hostName(addr) : addr;
    return text.includes(':') ? `[${text}]` : text;
  }

  private portText(s: Socket, port: number): string {
    if (port === 0) return '*';
    if (this.opts.numeric) return String(port);
    if (s.kind === 'raw') return this.names.protocolName(port) ?? String(port);
    const proto: ServiceProto = s.kind === 'udp' ? 'udp' : 'tcp';
    return this.names.portText(port, proto);
  }

  /** An inet socket's row: cells written straight into the byte buffer, no row array. */
  private addInet(s: Socket): void {
    const c = this.c;
    const d = c.data;
    const o = this.opts;
    c.beginRow(s.inode);
    let st = d.pos;
    if (o.showNetid) { d.write(s.netid); c.endCell(Col.Netid, st); st = d.pos; }
    if (o.showState) { d.write(s.stateName); c.endCell(Col.State, st); st = d.pos; }
    d.uint(s.recvQ);
    d.fill(32, 6 - (d.pos - st));
    c.endCell(Col.RecvQ, st);
    st = d.pos;
    d.uint(s.sendQ);
    d.fill(32, 6 - (d.pos - st));
    c.endCell(Col.SendQ, st);
    st = d.pos;
    // IPv4 without -r: the address bytes straight into the buffer (no address string).
    const v4 = s.family === 2 && !o.resolveHosts;
    this.endpoint(s, v4 ? s.srcOff : -1, true, Col.Local);
    this.endpoint(s, v4 ? s.dstOff : -1, false, Col.Peer);
    st = d.pos;
    if (o.info && !o.timers && !o.extended && !o.mem && s.kind !== 'udp' && s.attrs.skmem < 0 && s.attrs.mem < 0) {
      // Plain -i: the line break, then the tcp_info text (what inetExt + writeTcpInfo write). A
      // socket with memory info (read from a TCPDIAG_FILE captured with -m) shows it, as in ss.
      d.byte(10); d.byte(9);
      if ((s.kind === 'tcp' || s.kind === 'mptcp') && s.attrs.info >= 0) this.writeTcpInfo(s, d);
    } else {
      d.write(this.inetExt(s));
      // The tcp_info text follows the -m/-i line start, straight into the cell.
      if ((o.mem || o.info) && (s.kind === 'tcp' || s.kind === 'mptcp') && s.attrs.info >= 0) this.writeTcpInfo(s, d);
    }
    c.endCell(Col.Process, st);
  }

  /** The address cell (`addr:`, from its bytes at `off` when >= 0) and the port cell of one end of an inet socket. */
  private endpoint(s: Socket, off: number, local: boolean, col: Col.Local | Col.Peer): void {
    const c = this.c;
    const d = c.data;
    let st = d.pos;
    if (off >= 0) d.ipv4(s.buf, off); else d.write(this.hostText(s, local ? s.localAddress : s.peerAddress));
    if (local && s.ifindex) { d.byte(37); d.write(this.names.interfaceName(s.ifindex) ?? String(s.ifindex)); }
    d.byte(58);
    c.endCell(col, st);
    st = d.pos;
    const port = local ? s.localPort : s.peerPort;
    if (this.opts.numeric && port) d.uint(port); else d.write(this.portText(s, port));
    c.endCell(col + 1, st);
  }

  /** Everything after the peer port: timer (-o), details (-e), and the -m/-i line start. */
  private inetExt(s: Socket): string {
    let ext = '';
    const o = this.opts;
    if (o.timers && s.timerKind) {
      const name = ['off', 'on', 'keepalive', 'timewait', 'persist', 'unknown'][Math.min(s.timerKind, 5)];
      ext += ` timer:(${name},${fmtMsTimer(s.timerExpires)},${s.timerRetrans})`;
    }
    if (o.extended) {
      ext += this.details(s);
      const v6only = v6onlyOf(s);
      if (s.family === 10 && v6only !== undefined) ext += ` v6only:${v6only}`;
      if (s.shutdown !== undefined) ext += ` ${s.shutdown & 1 ? '-' : '<'}-${s.shutdown & 2 ? '-' : '>'}`;
    }
    // ss's --cgroup: after the details (which print it too), before the -m/-i line.
    if (o.cgroup && s.cgroupId !== undefined) ext += ` cgroup:${this.cgroupText(s.cgroupId)}`;
    if (o.mem || (o.info && s.kind !== 'udp')) {
      ext += '\n\t' + this.memText(s);
    }
    return ext;
  }

  private details(s: Socket): string {
    let t = '';
    if (s.uid) t += ` uid:${s.uid}`;
    t += ` ino:${s.inode} sk:${s.cookie.toString(16)}`;
    if (s.mark) t += ` fwmark:0x${s.mark.toString(16)}`;
    if (s.cgroupId) t += ` cgroup:${this.cgroupText(s.cgroupId)}`;
    return t;
  }

  /** ss's cg_id_to_path: the path, or unreachable:ID (hex) where it cannot find one. */
  private cgroupText(id: bigint): string {
    return this.names.cgroupPath(id, { outsideSys: this.opts.netnsSwitched }) ?? 'unreachable:' + id.toString(16);
  }

  private memText(s: Socket): string {
    const m = s.skmem;
    if (m) {
      let t = ' skmem:(' + SKMEM_ALWAYS.map((f) => f.ss + (m.raw[f.index] ?? 0)).join(',');
      for (const f of SKMEM_IF_SENT) if (m.raw.length > f.index) t += `,${f.ss}${m.raw[f.index]}`;
      return t + ')';
    }
    const old = s.meminfo;
    return old ? ` mem:(r${old.rmem},w${old.wmem},f${old.fmem},t${old.tmem})` : '';
  }

  /** Writes ss's tcp_info text for `s` (mptcp_info for an MPTCP socket) into `d`. */
  private writeTcpInfo(s: Socket, d: ByteSink): void {
    if (s.kind === 'mptcp') {
      const m = s.mptcpInfo;
      if (m) d.write(mptcpInfoText(m));
      return;
    }
    writeTcpInfoText(d, s, this.opts.timers, this.opts.numeric);
  }

  private unixRow(s: Socket): string[] {
    const [netid, state, rq, wq] = this.common(s);
    let ext = '';
    if (this.opts.mem) ext += this.memText(s);
    if (this.opts.extended) {
      if (s.shutdown !== undefined) ext += ` ${s.shutdown & 1 ? '-' : '<'}-${s.shutdown & 2 ? '-' : '>'}`;
      const vfs = s.unixVfs;
      if (vfs) ext += ` ino:${vfs.ino} dev:${Math.floor(vfs.dev / 256) & 0xfff}/${(vfs.dev & 0xff) | ((vfs.dev >>> 12) & 0xfff00)}`;
      const icons = s.unixIcons;
      if (icons) ext += ' peers:' + icons.map((p) => ` ${p}`).join('');
    }
    return [netid, state, rq, wq, `${s.unixName ?? '*'} `, String(s.inode), '* ', String(s.peerPort), ext];
  }

  private packetRow(s: Socket): string[] {
    const [netid, state, rq, wq] = this.common(s);
    const proto = s.protocol;
    const addr = etherProtocolName(proto, this.opts.numeric);
    const port = s.ifindex === 0 ? '*' : (this.names.interfaceName(s.ifindex) ?? String(s.ifindex));
    let ext = '';
    const pi = s.packet;
    if (this.opts.extended) {
      ext += this.details(s);
      if (pi) {
        const f = pi.flags;
        ext += `\n\tver:${pi.version} cpy_thresh:${pi.copyThresh} flags( ${f & 1 ? 'running' : ''}${f & 2 ? ' auxdata' : ''}${f & 4 ? ' origdev' : ''}${f & 8 ? ' vnethdr' : ''}${f & 16 ? ' loss' : ''}${f ? '' : '0'} )`;
        const ring = (r: PacketRing): string => `blk_size:${r.blockSize},blk_nr:${r.blockNr},frm_size:${r.frameSize},frm_nr:${r.frameNr},tmo:${r.retireTmo},features:0x${r.features.toString(16)}`;
        if (pi.rxRing) ext += `\n\tring_rx(${ring(pi.rxRing)})`;
        if (pi.txRing) ext += `\n\tring_tx(${ring(pi.txRing)})`;
        if (pi.fanout !== undefined) {
          const type = (pi.fanout >>> 16) & 0xffff;
          const names = ['hash', 'lb', 'cpu', 'roll', 'random', 'qm'];
          ext += `\n\tfanout(id:${pi.fanout & 0xffff},type:${names[type & 0xff] ?? `0x${type.toString(16)}`})`;
        }
      }
    }
    return [netid, state, rq, wq, addr + ':', port, '*', '', ext];
  }

  private netlinkRow(s: Socket): string[] {
    const [netid, state, rq, wq] = this.common(s);
    const numeric = this.opts.numeric;
    const proto = numeric ? String(s.protocol) : (NETLINK_PROTOCOL_NAMES[s.protocol] ?? String(s.protocol));
    const pid = s.localPort | 0;
    let proc: string;
    if (pid === -1) proc = '*';
    else if (numeric) proc = String(pid);
    else if (pid === 0) proc = 'kernel';
    else proc = this.names.processLabel(pid);
    // ss: a connected socket shows group:pid of its peer, any other just `*`.
    if (s.state === TCP_STATE.ESTABLISHED) return [netid, state, rq, wq, proto + ':', proc, `${s.peerInode}:`, String(s.peerPort), ''];
    return [netid, state, rq, wq, proto + ':', proc, '*', '', ''];
  }
}
