// Cheap identity and content fingerprints of an engine Socket, so a watch tick skips building and
// serializing the record of every socket that did not change. Only for records without tcp_info,
// memory, timers or -e fields (those change all the time or need the full record anyway).
import type { Socket } from '../netlink';
import type { SocketRecord } from '../protocol/socket-record';

/**
 * The watch key of a socket without building its record: the cookie as a number (exact while the
 * cookie's high word is below 2^21, i.e. always in practice; `key.toString(16)` is then the
 * record's cookie text), the hex text beyond that, undefined for cookie 0.
 */
export function cookieKey(s: Socket): number | string | undefined {
  const hi = s.cookieHi >>> 0;
  const lo = s.cookieLo >>> 0;
  if (hi === 0 && lo === 0) return undefined;
  if (hi < 0x200000) return hi * 0x100000000 + lo;
  return hi.toString(16) + lo.toString(16).padStart(8, '0');
}

/** The key's text as it appears in `removed` (recordKey of the record). */
export function keyText(key: number | string): string {
  return typeof key === 'number' ? key.toString(16) : key;
}

function addressWords(s: Socket, off: number): string {
  if (off < 0) return '-';
  const b = s.buf;
  if (s.family === 2) return String(b.readUInt32LE(off));
  return `${b.readUInt32LE(off)}.${b.readUInt32LE(off + 4)}.${b.readUInt32LE(off + 8)}.${b.readUInt32LE(off + 12)}`;
}

/**
 * Everything a plain record (plus processes) is made of that can change for one cookie: state,
 * queues, addresses and ports, interface, inode, uid, unix name, protocol and the processes, as
 * `processes`: a number standing for the socket's list of processes (LiveProcessMap.serialOf).
 */
export function plainFingerprint(s: Socket, processes: number | undefined): string {
  // netid, family, inode, uid and protocol never change for one cookie.
  let fp = `${s.state}|${s.recvQ}|${s.sendQ}|${addressWords(s, s.srcOff)}|${s.localPort}|${addressWords(s, s.dstOff)}|${s.peerPort}|${s.ifindex}`;
  if (s.kind === 'unix') fp += `|${s.unixName ?? ''}|${s.peerInode}`;
  if (processes !== undefined) fp += `|p${processes}`;
  return fp;
}

/** What a fast dump hands the watch for each socket (one object reused: valid during the callback only). */
export interface KeyedSocket {
  /** The record's key without building it (see cookieKey; keyText gives recordKey), if known. */
  key: number | string | undefined;
  /** A content fingerprint, or undefined when only the record's JSON can tell. */
  fingerprint: string | undefined;
  build(): SocketRecord;
}
