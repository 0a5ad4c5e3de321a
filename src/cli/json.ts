// `--json`: a JSON array, one SocketRecord per line, streamed through the chunked Output so the
// whole document never exists as one string. Each socket is serialized straight from the engine's
// Socket into the text JSON.stringify(toSocketRecord(s)) would give (same keys, same order, same
// values) without building the record or bigints: at 100,000 sockets with tcp_info that matters.
import type { Socket } from '../netlink/index';
import { SK_MEMINFO_FIELDS, TCP_INFO_FIELDS } from '../fields/index';
import type { ProcessRef } from '../protocol/socket-record';
import { endpointsOf, type RecordOptions } from '../host/record';
import { ByteSink, type Output } from './output';
import { PackedStrings, putStr, putUint, putWords, viewOf } from './put';

const FAMILY: Record<number, string> = { 2: '"inet"', 10: '"inet6"', 1: '"unix"', 17: '"packet"' };
/**
 * tcp_info fields as flat typed arrays (one shape for the hot loop): offset, kind (1/2/4 = unsigned
 * of that size, 8 = u64, 9 = u64 with "unlimited", +16 = bit field), divisor/modulus for bit fields.
 * Their `,"name":` keys are PACKED_KEYS.
 */
const NF = TCP_INFO_FIELDS.length;
const F_OFF = new Int32Array(NF);
const F_END = new Int32Array(NF);
const F_KIND = new Int32Array(NF);
const F_DIV = new Float64Array(NF);
const F_MOD = new Float64Array(NF);
TCP_INFO_FIELDS.forEach((f, i) => {
  F_OFF[i] = f.offset;
  F_END[i] = f.offset + f.size;
  F_KIND[i] = f.size === 8 ? (f.unlimited ? 9 : 8) : f.size + (f.bits ? 16 : 0);
  F_DIV[i] = f.bits ? 2 ** f.bits[0] : 1;
  F_MOD[i] = f.bits ? 2 ** f.bits[1] : 1;
});
/** The other keys, packed for word copies (ids: the J_* constants, in this order). */
const J = new PackedStrings([
  '{"netid":"', '","state":"', '","family":', ',"recvQ":', ',"sendQ":', ',"localAddress":', ',"localPort":',
  ',"peerAddress":', ',"peerPort":', ',"iface":', ',"inode":', ',"uid":', ',"cookie":"', ',"mark":', ',"cgroupId":',
  ',"congestion":', ',"tos":', ',"tclass":', ',"shutdown":',
]);
const J_NETID = 0, J_STATE = 1, J_FAMILY = 2, J_RECVQ = 3, J_SENDQ = 4, J_LOCAL = 5, J_LPORT = 6, J_PEER = 7;
const J_PPORT = 8, J_IFACE = 9, J_INODE = 10, J_UID = 11, J_COOKIE = 12, J_MARK = 13, J_CGROUP = 14, J_CONG = 15;
const J_TOS = 16, J_TCLASS = 17, J_SHUTDOWN = 18;

/** Writes an inet socket's address as a JSON string; IPv4 as bytes straight from the datagram. */
function jsonAddress(o: ByteSink, s: Socket, off: number, text: () => string | null): void {
  if (s.family === 2 && off >= 0) { o.byte(34); o.ipv4(s.buf, off); o.byte(34); } else o.write(str(text()));
}

/** The congestion name as a JSON string: bytes as they are when they need no escaping, else JSON.stringify. */
function jsonCongestion(o: ByteSink, s: Socket): void {
  const b = s.buf;
  const start = s.attrs.cong;
  const stop = start + s.attrs.congLen;
  let q = start;
  while (q < stop && b[q] !== 0) {
    const c = b[q];
    if (c < 0x20 || c > 0x7e || c === 34 || c === 92) { o.write(JSON.stringify(s.congestion)); return; }
    q++;
  }
  o.byte(34);
  o.bytes(b, start, q);
  o.byte(34);
}

/** The same keys, packed for word copies (key f is id f). */
const PACKED_KEYS = new PackedStrings(TCP_INFO_FIELDS.map((f, i) => `${i ? ',' : ''}"${f.name}":`));
/** Room one tcpInfo object can take: its keys, 22 bytes per value, braces, word-copy slack. */
const TCPI_ROOM = PACKED_KEYS.view.byteLength + NF * 22 + 64;
const TCPI_OPEN = ',"tcpInfo":{';
/** memInfo's keys (src/fields' SK_MEMINFO table, in its order), each opening its value. */
const MEM_KEYS = SK_MEMINFO_FIELDS.map((f, i) => `${i ? ',' : ',"memInfo":{'}"${f.key}":`);

/** A u64 as exact decimal text (for values above 2^53). */
function u64Text(b: Buffer, o: number): string {
  return ((BigInt(b.readUInt32LE(o + 4)) << 32n) | BigInt(b.readUInt32LE(o))).toString();
}

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
    // Inet addresses are written by jsonAddress (IPv4 without an address string).
    const { localAddress, peerAddress, localPort, peerPort, iface, inet } = endpointsOf(s, opts, false);
    o.packed(J, J_NETID); o.write(s.netid);
    o.packed(J, J_STATE); o.write(s.stateName);
    o.packed(J, J_FAMILY); o.write(FAMILY[s.family] ?? '"netlink"');
    o.packed(J, J_RECVQ); o.uint(s.recvQ);
    o.packed(J, J_SENDQ); o.uint(s.sendQ);
    o.packed(J, J_LOCAL);
    if (inet) jsonAddress(o, s, s.srcOff, () => s.localAddress); else o.write(str(localAddress));
    o.packed(J, J_LPORT); o.uint(localPort);
    o.packed(J, J_PEER);
    if (inet) jsonAddress(o, s, s.dstOff, () => s.peerAddress); else o.write(str(peerAddress));
    o.packed(J, J_PPORT); o.uint(peerPort);
    o.packed(J, J_IFACE); o.write(str(iface));
    o.packed(J, J_INODE); o.uint(s.inode);
    o.packed(J, J_UID); o.uint(s.uid);
    o.packed(J, J_COOKIE);
    if (s.cookieHi) o.write(s.cookie.toString(16)); else o.hex32(s.cookieLo >>> 0);
    o.byte(34);
    if (s.mark !== undefined) { o.packed(J, J_MARK); o.uint(s.mark); }
    const cg = s.attrs.cgroup;
    if (cg >= 0) {
      o.packed(J, J_CGROUP);
      const b = s.buf;
      const hi = b.readUInt32LE(cg + 4);
      if (hi < 0x200000) o.uint(hi * 4294967296 + b.readUInt32LE(cg)); else o.write(`"${s.cgroupId}"`);
    }
    if (s.timerKind) {
      const t = s.timer;
      if (t) o.write(`,"timer":{"name":"${t.name}","expiresMs":${t.expiresMs},"retrans":${t.retrans}}`);
    }
    if (s.attrs.cong >= 0) { o.packed(J, J_CONG); jsonCongestion(o, s); }
    if (s.tos !== undefined) { o.packed(J, J_TOS); o.uint(s.tos); }
    if (s.tclass !== undefined) { o.packed(J, J_TCLASS); o.uint(s.tclass); }
    if (s.shutdown !== undefined) { o.packed(J, J_SHUTDOWN); o.uint(s.shutdown); }
    if (opts.processes) {
      const list: ProcessRef[] = s.inode ? (opts.processes.get(s.inode) ?? []) : [];
      o.write(',"processes":'); o.write(JSON.stringify(list));
    }
    // What toSocketRecord gives tcpInfo: a tcp socket's tcp_info, the fields its kernel sent.
    const a = s.attrs;
    if (a.info >= 0 && s.kind === 'tcp') {
      o.reserve(TCPI_ROOM);
      const ob = o.buf;
      const dv = viewOf(ob);
      const kv = PACKED_KEYS.view;
      const kStart = PACKED_KEYS.start;
      const kLen = PACKED_KEYS.len;
      let p = putStr(ob, o.pos, TCPI_OPEN);
      const len = a.infoLen;
      const buf = s.buf;
      const base = a.info;
      for (let f = 0; f < NF; f++) {
        if (F_END[f] > len) continue;
        p = putWords(dv, p, kv, kStart[f], kLen[f]);
        const at = base + F_OFF[f];
        const kind = F_KIND[f];
        if (kind === 4) {
          p = putUint(ob, p, (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16)) + buf[at + 3] * 16777216);
        } else if (kind === 1) {
          p = putUint(ob, p, buf[at]);
        } else if (kind >= 8 && kind <= 9) {
          const lo = (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16)) + buf[at + 3] * 16777216;
          const hi = (buf[at + 4] | (buf[at + 5] << 8) | (buf[at + 6] << 16)) + buf[at + 7] * 16777216;
          if (kind === 9 && lo === 0xffffffff && hi === 0xffffffff) p = putStr(ob, p, '"unlimited"');
          else if (hi < 0x200000) p = putUint(ob, p, hi * 4294967296 + lo);
          else { ob[p++] = 34; p = putStr(ob, p, u64Text(buf, at)); ob[p++] = 34; }
        } else {
          const size = kind & 15;
          const raw = size === 1 ? buf[at] : size === 2 ? buf[at] | (buf[at + 1] << 8)
            : (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16)) + buf[at + 3] * 16777216;
          p = putUint(ob, p, kind & 16 ? Math.floor(raw / F_DIV[f]) % F_MOD[f] : raw);
        }
      }
      ob[p++] = 125;
      o.pos = p;
    }
    if (a.skmem >= 0) {
      const m = s.skmem!;
      for (const f of SK_MEMINFO_FIELDS) { o.write(MEM_KEYS[f.index]); o.uint(m.raw[f.index] ?? 0); }
      o.byte(125);
    }
    o.byte(125);
  }
}
