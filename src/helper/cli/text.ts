// ss-shaped text output. Like ss, rows are buffered so columns can be sized to their content
// (compact output: each column as wide as its longest cell, as ss does when stdout is not a
// terminal), rendered every few megabytes with the widths seen so far, so memory stays bounded.
import type { Socket } from '../../netlink/socket';
import type { ProcessRef } from '../../protocol/socket';
import type { NameResolver, ServiceProto } from '../resolver';
import type { Output } from './output';
import { fmtBw, fmtG, fmtMsTimer } from './format';
import { v6onlyOf } from './v6only';
import { NETLINK_PROTOCOL_NAMES, etherProtocolName } from '../record';

export interface TextOptions {
  /** -n: ports (and netlink protocols) as numbers. */
  numeric: boolean;
  /** -r: host names for addresses. */
  resolveHosts: boolean;
  /** -p */
  processes: boolean;
  /** -i */
  info: boolean;
  /** -m */
  mem: boolean;
  /** -e */
  extended: boolean;
  /** -o */
  timers: boolean;
  /** false with -H */
  header: boolean;
  /** ss hides Netid when one socket table is dumped, State when one state is asked for. */
  showNetid: boolean;
  showState: boolean;
}

const enum Col { Netid, State, RecvQ, SendQ, Local, LPort, Peer, PPort, Process }
const HEADERS = ['Netid', 'State', 'Recv-Q', 'Send-Q', 'Local Address:', 'Port', 'Peer Address:', 'Port', 'Process'];
const LDELIM = ['', ' ', ' ', ' ', ' ', '', ' ', '', ''];
const RIGHT = [false, false, false, false, true, false, true, false, false];
/** ss renders its buffer every BUF_CHUNKS_MAX (5) chunks of 1 MiB. */
const RENDER_EVERY = 5 * 1024 * 1024;

const SPACES = ' '.repeat(256);
function spaces(n: number): string {
  if (n <= 0) return '';
  return n <= 256 ? SPACES.slice(0, n) : ' '.repeat(n);
}
function padRight6(n: number): string {
  const s = String(n);
  return s.length >= 6 ? s : s + SPACES.slice(0, 6 - s.length);
}

export class TextRenderer {
  private readonly cols: Col[];
  private readonly maxLen: number[] = new Array(9).fill(0);
  private cells: string[] = [];
  private buffered = 0;

  constructor(
    private readonly out: Output,
    private readonly opts: TextOptions,
    private readonly names: NameResolver,
    private readonly procs?: Map<number, ProcessRef[]>,
  ) {
    this.cols = [];
    for (let c = Col.Netid; c <= Col.Process; c++) {
      if (c === Col.Netid && !opts.showNetid) continue;
      if (c === Col.State && !opts.showState) continue;
      this.cols.push(c);
    }
    if (opts.header) this.pushRow(HEADERS);
  }

  /** Adds one socket's row. */
  add(s: Socket): void {
    const row = this.rowOf(s);
    this.pushRow(row);
    if (this.buffered >= RENDER_EVERY) this.render();
  }

  /** Renders whatever is buffered. */
  finish(): void {
    this.render();
    this.out.flush();
  }

  private pushRow(row: readonly string[]): void {
    const max = this.maxLen;
    for (const c of this.cols) {
      const cell = row[c];
      if (cell.length > max[c]) max[c] = cell.length;
      this.cells.push(cell);
      this.buffered += cell.length + 1;
    }
  }

  private render(): void {
    const cols = this.cols;
    const n = cols.length;
    if (this.cells.length === 0) return;
    const width: number[] = new Array(n);
    let first = true;
    for (let i = 0; i < n; i++) {
      const c = cols[i];
      const m = this.maxLen[c];
      width[i] = !first && m ? m + LDELIM[c].length : m;
      if (width[i]) first = false;
    }
    const cells = this.cells;
    const out = this.out;
    let line = '';
    for (let k = 0; k < cells.length; k += n) {
      line = '';
      for (let i = 0; i < n; i++) {
        const c = cols[i];
        const cell = cells[k + i];
        let printed = 0;
        if (i > 0) { line += LDELIM[c]; printed = LDELIM[c].length; }
        const w = width[i];
        if (w && RIGHT[c]) {
          const s = w - cell.length - printed;
          if (s > 0) { line += spaces(s); printed += s; }
          line += cell;
        } else {
          line += cell;
          printed += cell.length;
          if (w) line += spaces(w - printed);
        }
      }
      out.write(line + '\n');
    }
    this.cells = [];
    this.buffered = 0;
  }

  private rowOf(s: Socket): string[] {
    switch (s.kind) {
      case 'unix': return this.unixRow(s);
      case 'packet': return this.packetRow(s);
      case 'netlink': return this.netlinkRow(s);
      default: return this.inetRow(s);
    }
  }

  private common(s: Socket): [string, string, string, string] {
    return [s.netid, s.stateName, padRight6(s.recvQ), padRight6(s.sendQ)];
  }

  private users(s: Socket): string {
    if (!this.opts.processes || !this.procs) return '';
    const list = this.procs.get(s.inode);
    if (!list || s.inode === 0) return '';
    // ss lists the most recently scanned holder first.
    let text = '';
    for (let i = list.length - 1; i >= 0; i--) {
      const p = list[i];
      text += `${text ? ',' : ''}("${p.name}",pid=${p.pid},fd=${p.fd})`;
    }
    return ` users:(${text})`;
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
    if (this.opts.numeric || s.kind === 'raw') return String(port);
    const proto: ServiceProto = s.kind === 'udp' ? 'udp' : 'tcp';
    return this.names.portText(port, proto);
  }

  private inetRow(s: Socket): string[] {
    const [netid, state, rq, wq] = this.common(s);
    let local = this.hostText(s, s.localAddress);
    if (s.ifindex) local += `%${this.names.interfaceName(s.ifindex) ?? s.ifindex}`;
    const peer = this.hostText(s, s.peerAddress);
    let ext = this.users(s);
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
    if (o.mem || (o.info && s.kind !== 'udp')) {
      ext += '\n\t' + this.memText(s);
      if (s.kind === 'tcp') ext += this.tcpInfoText(s);
    }
    return [netid, state, rq, wq, local + ':', this.portText(s, s.localPort), peer + ':', this.portText(s, s.peerPort), ext];
  }

  private details(s: Socket): string {
    let t = '';
    if (s.uid) t += ` uid:${s.uid}`;
    t += ` ino:${s.inode} sk:${s.cookie.toString(16)}`;
    if (s.mark) t += ` fwmark:0x${s.mark.toString(16)}`;
    if (s.cgroupId) t += ` cgroup:${this.names.cgroupPath(s.cgroupId) ?? 'unreachable:' + s.cgroupId.toString(16)}`;
    return t;
  }

  private memText(s: Socket): string {
    const m = s.skmem;
    if (m) {
      let t = ` skmem:(r${m.rmemAlloc},rb${m.rcvbuf},t${m.wmemAlloc},tb${m.sndbuf},f${m.fwdAlloc},w${m.wmemQueued},o${m.optmem ?? 0}`;
      if (m.backlog !== undefined) t += `,bl${m.backlog}`;
      if (m.drops !== undefined) t += `,d${m.drops}`;
      return t + ')';
    }
    const old = s.meminfo;
    return old ? ` mem:(r${old.rmem},w${old.wmem},f${old.fmem},t${old.tmem})` : '';
  }

  private tcpInfoText(s: Socket): string {
    const i = s.tcpInfo;
    if (!i) return '';
    const o = this.opts;
    const num = (v: number | bigint | string | undefined): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : 0);
    let t = '';
    const options = num(i.options);
    // ss 6.1 shows the negotiated options only together with -o.
    if (o.timers) {
      if (options & 1) t += ' ts';
      if (options & 2) t += ' sack';
      if (options & 8) t += ' ecn';
      if (options & 16) t += ' ecnseen';
      if (options & 32) t += ' fastopen';
    }
    const cong = s.congestion;
    if (cong) t += ` ${cong}`;
    if (options & 4) t += ` wscale:${num(i.snd_wscale)},${num(i.rcv_wscale)}`;
    const rto = num(i.rto);
    if (rto && rto !== 3000000) t += ` rto:${fmtG(rto / 1000)}`;
    if (num(i.backoff)) t += ` backoff:${num(i.backoff)}`;
    const rttUs = num(i.rtt);
    if (rttUs) t += ` rtt:${fmtG(rttUs / 1000)}/${fmtG(num(i.rttvar) / 1000)}`;
    if (num(i.ato)) t += ` ato:${fmtG(num(i.ato) / 1000)}`;
    const mss = num(i.snd_mss);
    const cwnd = num(i.snd_cwnd);
    if (mss) t += ` mss:${mss}`;
    if (num(i.pmtu)) t += ` pmtu:${num(i.pmtu)}`;
    if (num(i.rcv_mss)) t += ` rcvmss:${num(i.rcv_mss)}`;
    if (num(i.advmss)) t += ` advmss:${num(i.advmss)}`;
    if (cwnd) t += ` cwnd:${cwnd}`;
    const ssthresh = num(i.snd_ssthresh);
    if (ssthresh && ssthresh < 0xffff) t += ` ssthresh:${ssthresh}`;
    for (const [key, label] of [['bytes_sent', 'bytes_sent'], ['bytes_retrans', 'bytes_retrans'], ['bytes_acked', 'bytes_acked'], ['bytes_received', 'bytes_received'], ['segs_out', 'segs_out'], ['segs_in', 'segs_in'], ['data_segs_out', 'data_segs_out'], ['data_segs_in', 'data_segs_in']] as const) {
      const v = i[key];
      if (v !== undefined && v !== 0 && v !== 0n) t += ` ${label}:${v}`;
    }
    const dctcp = s.dctcp;
    if (dctcp && dctcp.enabled) t += ` dctcp:(ce_state:${dctcp.ceState},alpha:${dctcp.alpha},ab_ecn:${dctcp.abEcn},ab_tot:${dctcp.abTot})`;
    else if (dctcp) t += ' dctcp:fallback_mode';
    const bbr = s.bbr;
    if (bbr) {
      t += ` bbr:(bw:${fmtBw(Number(bbr.bw) * 8, o.numeric)}bps,mrtt:${fmtG(bbr.minRtt / 1000)}`;
      if (bbr.pacingGain) t += `,pacing_gain:${fmtG(bbr.pacingGain / 256)}`;
      if (bbr.cwndGain) t += `,cwnd_gain:${fmtG(bbr.cwndGain / 256)}`;
      t += ')';
    }
    let rtt = rttUs;
    const vegas = s.vegas;
    if (vegas && vegas.enabled && vegas.rtt && vegas.rtt !== 0x7fffffff) rtt = vegas.rtt;
    if (rtt > 0 && mss && cwnd) t += ` send ${fmtBw((cwnd * mss * 8000000) / rtt, o.numeric)}bps`;
    if (num(i.last_data_sent)) t += ` lastsnd:${num(i.last_data_sent)}`;
    if (num(i.last_data_recv)) t += ` lastrcv:${num(i.last_data_recv)}`;
    if (num(i.last_ack_recv)) t += ` lastack:${num(i.last_ack_recv)}`;
    const pacing = i.pacing_rate;
    if (pacing !== undefined && pacing !== 'unlimited' && pacing !== 0n) {
      t += ` pacing_rate ${fmtBw(Number(pacing) * 8, o.numeric)}bps`;
      const max = i.max_pacing_rate;
      if (max !== undefined && max !== 'unlimited' && max !== 0n) t += `/${fmtBw(Number(max) * 8, o.numeric)}bps`;
    }
    const delivery = num(i.delivery_rate);
    if (delivery) t += ` delivery_rate ${fmtBw(delivery * 8, o.numeric)}bps`;
    if (num(i.delivered)) t += ` delivered:${num(i.delivered)}`;
    if (num(i.delivered_ce)) t += ` delivered_ce:${num(i.delivered_ce)}`;
    if (num(i.delivery_rate_app_limited)) t += ' app_limited';
    const busy = i.busy_time;
    if (busy !== undefined && busy !== 0n) {
      const b = Number(busy);
      t += ` busy:${busy / 1000n}ms`;
      const rw = i.rwnd_limited ?? 0n;
      if (rw) t += ` rwnd_limited:${rw / 1000n}ms(${((100 * Number(rw)) / b).toFixed(1)}%)`;
      const sb = i.sndbuf_limited ?? 0n;
      if (sb) t += ` sndbuf_limited:${sb / 1000n}ms(${((100 * Number(sb)) / b).toFixed(1)}%)`;
    }
    if (num(i.unacked)) t += ` unacked:${num(i.unacked)}`;
    if (num(i.retrans) || num(i.total_retrans)) t += ` retrans:${num(i.retrans)}/${num(i.total_retrans)}`;
    if (num(i.lost)) t += ` lost:${num(i.lost)}`;
    if (num(i.sacked) && s.state !== 10) t += ` sacked:${num(i.sacked)}`;
    if (num(i.dsack_dups)) t += ` dsack_dups:${num(i.dsack_dups)}`;
    if (num(i.fackets)) t += ` fackets:${num(i.fackets)}`;
    if (num(i.reordering) !== 3) t += ` reordering:${num(i.reordering)}`;
    if (num(i.reord_seen)) t += ` reord_seen:${num(i.reord_seen)}`;
    if (num(i.rcv_rtt)) t += ` rcv_rtt:${fmtG(num(i.rcv_rtt) / 1000)}`;
    if (num(i.rcv_space)) t += ` rcv_space:${num(i.rcv_space)}`;
    if (num(i.rcv_ssthresh)) t += ` rcv_ssthresh:${num(i.rcv_ssthresh)}`;
    if (num(i.notsent_bytes)) t += ` notsent:${num(i.notsent_bytes)}`;
    const minRtt = num(i.min_rtt);
    if (minRtt && minRtt !== 0xffffffff) t += ` minrtt:${fmtG(minRtt / 1000)}`;
    if (num(i.rcv_ooopack)) t += ` rcv_ooopack:${num(i.rcv_ooopack)}`;
    if (num(i.snd_wnd)) t += ` snd_wnd:${num(i.snd_wnd)}`;
    return t;
  }

  private unixRow(s: Socket): string[] {
    const [netid, state, rq, wq] = this.common(s);
    let ext = this.users(s);
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
    const addr = etherProtocolName(proto);
    const port = s.ifindex === 0 ? '*' : (this.names.interfaceName(s.ifindex) ?? String(s.ifindex));
    let ext = this.users(s);
    if (this.opts.extended) ext += this.details(s);
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
    const connected = s.state === 1;
    const peerAddr = connected ? String(s.peerInode) : '*';
    const peerPort = connected ? String(s.peerPort) : '*';
    return [netid, state, rq, wq, proto + ':', proc, peerAddr + ':', peerPort, this.users(s)];
  }
}
