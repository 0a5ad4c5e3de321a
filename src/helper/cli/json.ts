// `--json`: a JSON array, one SocketRecord per line, streamed through the chunked Output so the
// whole document never exists as one string. Each socket is serialized straight from the engine's
// Socket into the text JSON.stringify(toSocketRecord(s)) would give (same keys, same order, same
// values) without building the record or bigints: at 100,000 sockets with tcp_info that matters.
import { TCP_INFO_FIELDS, type Socket } from '../../netlink/index';
import type { ProcessRef } from '../../protocol/socket';
import { NETLINK_PROTOCOL_NAMES, etherProtocolName, type RecordOptions } from '../record';
import { ByteSink, type Output } from './output';
import { RawTcpInfo } from './raw-tcp-info';

const FAMILY: Record<number, string> = { 2: '"inet"', 10: '"inet6"', 1: '"unix"', 17: '"packet"' };
/**
 * tcp_info fields as flat typed arrays (one shape for the hot loop): offset, kind (1/2/4 = unsigned
 * of that size, 8 = u64, 9 = u64 with "unlimited", +16 = bit field), divisor/modulus for bit fields,
 * and each `,"name":` key pre-encoded into one buffer.
 */
const NF = TCP_INFO_FIELDS.length;
const F_OFF = new Int32Array(NF);
const F_END = new Int32Array(NF);
const F_KIND = new Int32Array(NF);
const F_DIV = new Float64Array(NF);
const F_MOD = new Float64Array(NF);
const F_KEY_START = new Int32Array(NF + 1);
const KEYS = Buffer.from(TCP_INFO_FIELDS.map((f, i) => `${i ? ',' : ''}"${f.name}":`).join(''), 'latin1');
{
  let k = 0;
  TCP_INFO_FIELDS.forEach((f, i) => {
    F_OFF[i] = f.offset;
    F_END[i] = f.offset + f.size;
    F_KIND[i] = f.size === 8 ? (f.unlimited ? 9 : 8) : f.size + (f.bits ? 16 : 0);
    F_DIV[i] = f.bits ? 2 ** f.bits[0] : 1;
    F_MOD[i] = f.bits ? 2 ** f.bits[1] : 1;
    F_KEY_START[i] = k;
    k += (i ? 1 : 0) + f.name.length + 3;
  });
  F_KEY_START[NF] = k;
}
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function str(v: string | null): string {
  return v === null ? 'null' : JSON.stringify(v);
}

/**
 * `array`: one JSON array, one socket per line (a dump). `lines`: one JSON object per line and nothing
 * else (JSON Lines), for output that never ends, such as -E.
 */
export type JsonFraming = 'array' | 'lines';

export class JsonArrayWriter {
  private count = 0;
  private readonly tcpi = new RawTcpInfo();

  constructor(private readonly out: Output, private readonly opts: RecordOptions = {}, private readonly framing: JsonFraming = 'array') {
    if (framing === 'array') out.write('[');
  }

  private separator(): string {
    if (this.framing === 'lines') return this.count++ ? '\n' : '';
    return this.count++ ? ',\n' : '\n';
  }

  /** Adds a prepared record or plain object. */
  addRecord(rec: object): void {
    this.out.write(this.separator() + JSON.stringify(rec));
  }

  /** Adds one socket, serialized directly into the output buffer. */
  add(s: Socket): void {
    this.out.write(this.separator());
    this.writeSocket(s, this.out);
    // A line is complete only with its newline: a reader of JSON Lines must not wait for the next socket.
    if (this.framing === 'lines') { this.out.write('\n'); this.count = 0; }
  }

  finish(): void {
    if (this.framing === 'array') this.out.write(this.count ? '\n]\n' : ']\n');
    this.out.flush();
  }

  /** Exactly JSON.stringify(toSocketRecord(s, opts)), as a string (for tests). */
  socketJson(s: Socket): string {
    const sink = new ByteSink(4096);
    this.writeSocket(s, sink);
    return sink.buf.toString('utf8', 0, sink.pos);
  }

  /** Writes JSON.stringify(toSocketRecord(s, opts)) into `o`. */
  writeSocket(s: Socket, o: ByteSink): void {
    const opts = this.opts;
    let localAddress: string | null;
    let peerAddress: string | null;
    let localPort = s.localPort;
    let peerPort = s.peerPort;
    let iface: string | null = null;
    switch (s.kind) {
      case 'unix': localAddress = s.unixName; peerAddress = null; localPort = s.inode; break;
      case 'packet':
        localAddress = etherProtocolName(s.protocol); peerAddress = null; localPort = s.ifindex; peerPort = 0;
        if (s.ifindex) iface = opts.interfaceName?.(s.ifindex) ?? null;
        break;
      case 'netlink': localAddress = NETLINK_PROTOCOL_NAMES[s.protocol] ?? String(s.protocol); peerAddress = null; break;
      default:
        localAddress = s.localAddress; peerAddress = s.peerAddress;
        if (s.ifindex) iface = opts.interfaceName?.(s.ifindex) ?? String(s.ifindex);
    }
    o.write('{"netid":"'); o.write(s.netid);
    o.write('","state":"'); o.write(s.stateName);
    o.write('","family":'); o.write(FAMILY[s.family] ?? '"netlink"');
    o.write(',"recvQ":'); o.uint(s.recvQ);
    o.write(',"sendQ":'); o.uint(s.sendQ);
    o.write(',"localAddress":'); o.write(str(localAddress));
    o.write(',"localPort":'); o.uint(localPort);
    o.write(',"peerAddress":'); o.write(str(peerAddress));
    o.write(',"peerPort":'); o.uint(peerPort);
    o.write(',"iface":'); o.write(str(iface));
    o.write(',"inode":'); o.uint(s.inode);
    o.write(',"uid":'); o.uint(s.uid);
    o.write(',"cookie":"'); o.write(s.cookieHi ? s.cookie.toString(16) : (s.cookieLo >>> 0).toString(16)); o.byte(34);
    if (s.mark !== undefined) { o.write(',"mark":'); o.uint(s.mark); }
    if (s.cgroupId !== undefined) { o.write(',"cgroupId":'); o.write(s.cgroupId <= MAX_SAFE ? String(s.cgroupId) : `"${s.cgroupId}"`); }
    if (s.timerKind) {
      const t = s.timer;
      if (t) o.write(`,"timer":{"name":"${t.name}","expiresMs":${t.expiresMs},"retrans":${t.retrans}}`);
    }
    if (s.attrs.cong >= 0) { const cong = s.congestion; if (cong !== undefined) { o.write(',"congestion":'); o.write(JSON.stringify(cong)); } }
    if (s.tos !== undefined) { o.write(',"tos":'); o.uint(s.tos); }
    if (s.tclass !== undefined) { o.write(',"tclass":'); o.uint(s.tclass); }
    if (s.shutdown !== undefined) { o.write(',"shutdown":'); o.uint(s.shutdown); }
    if (opts.processes) {
      const list: ProcessRef[] = s.inode ? (opts.processes.get(s.inode) ?? []) : [];
      o.write(',"processes":'); o.write(JSON.stringify(list));
    }
    const i = this.tcpi;
    if (i.reset(s)) {
      o.write(',"tcpInfo":{');
      const len = i.len;
      const buf = i.buf;
      const base = i.base;
      for (let f = 0; f < NF; f++) {
        if (F_END[f] > len) continue;
        o.bytes(KEYS, F_KEY_START[f], F_KEY_START[f + 1]);
        const at = base + F_OFF[f];
        const kind = F_KIND[f];
        if (kind >= 8 && kind <= 9) {
          const lo = (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16)) + buf[at + 3] * 16777216;
          const hi = (buf[at + 4] | (buf[at + 5] << 8) | (buf[at + 6] << 16)) + buf[at + 7] * 16777216;
          if (kind === 9 && lo === 0xffffffff && hi === 0xffffffff) o.write('"unlimited"');
          else if (hi < 0x200000) o.uint(hi * 4294967296 + lo);
          else { o.byte(34); o.write(i.u64Text(F_OFF[f])); o.byte(34); }
        } else {
          const size = kind & 15;
          const raw = size === 1 ? buf[at] : size === 2 ? buf[at] | (buf[at + 1] << 8)
            : (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16)) + buf[at + 3] * 16777216;
          o.uint(kind & 16 ? Math.floor(raw / F_DIV[f]) % F_MOD[f] : raw);
        }
      }
      o.byte(125);
    }
    if (s.attrs.skmem >= 0) {
      const m = s.skmem!;
      o.write(`,"memInfo":{"rmemAlloc":${m.rmemAlloc},"rcvbuf":${m.rcvbuf},"wmemAlloc":${m.wmemAlloc},"sndbuf":${m.sndbuf},"fwdAlloc":${m.fwdAlloc},"wmemQueued":${m.wmemQueued},"optmem":${m.optmem ?? 0},"backlog":${m.backlog ?? 0},"drops":${m.drops ?? 0}}`);
    }
    o.byte(125);
  }
}
