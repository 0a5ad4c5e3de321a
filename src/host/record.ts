// The netlink engine's Socket -> the protocol's SocketRecord (what `sockscope --json` prints and
// what the helper process sends to the extension). Plain JSON: bigints become numbers while exact,
// decimal strings beyond 2^53 - 1.
import { SK_MEMINFO_FIELDS } from '../fields/index';
import type { SkMemInfo, Socket } from '../netlink/index';
import type { Counter, Family, MemInfo, Netid, ProcessRef, SocketRecord, StateName } from '../protocol/socket-record';

export interface RecordOptions {
  /** Socket inode -> processes (from readProcessMap); omitted = no `processes` field. */
  processes?: Map<number, ProcessRef[]>;
  /** Interface index -> name in the dumped namespace. */
  interfaceName?: (index: number) => string | undefined;
  /**
   * Which optional groups to include (as RecordExtensions names them); omitted = everything the
   * socket carries. Leaving a group out here, rather than deleting it afterwards, keeps the record a
   * fast object for JSON.stringify.
   */
  include?: { timers?: boolean; extended?: boolean; tcpInfo?: boolean; memInfo?: boolean };
}

/** Netlink protocol names as ss prints them without -n. */
export const NETLINK_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0: 'rtnl', 1: 'unused', 2: 'usersock', 3: 'fw', 4: 'tcpdiag', 5: 'nflog', 6: 'xfrm', 7: 'selinux', 8: 'iscsi',
  9: 'audit', 10: 'fiblookup', 11: 'connector', 12: 'nft', 13: 'ip6fw', 14: 'dec-rt', 15: 'uevent', 16: 'genl',
  18: 'scsi-trans', 19: 'ecryptfs', 20: 'rdma', 21: 'crypto', 22: 'smc',
};

/** Ethernet protocol names (host order), iproute2's ll_proto table, as ss prints them for packet sockets. */
export const ETHER_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0x0060: 'loop', 0x0200: 'pup', 0x0201: 'pupat', 0x0800: 'ip', 0x0805: 'x25', 0x0806: 'arp', 0x08ff: 'bpq',
  0x0a00: 'ieeepup', 0x0a01: 'ieeepupat', 0x6000: 'dec', 0x6001: 'dna_dl', 0x6002: 'dna_rc', 0x6003: 'dna_rt',
  0x6004: 'lat', 0x6005: 'diag', 0x6006: 'cust', 0x6007: 'sca', 0x8035: 'rarp', 0x809b: 'atalk', 0x80f3: 'aarp',
  0x8137: 'ipx', 0x86dd: 'ipv6', 0x8863: 'ppp_disc', 0x8864: 'ppp_ses', 0x884c: 'atmmpoa', 0x8884: 'atmfate',
  0x0001: '802.3', 0x0002: 'ax25', 0x0003: 'all', 0x0004: '802.2', 0x0005: 'snap', 0x0006: 'ddcmp',
  0x0007: 'wan_ppp', 0x0008: 'ppp_mp', 0x0009: 'localtalk', 0x000c: 'can', 0x0010: 'ppptalk', 0x0011: 'tr_802.2',
  0x0015: 'mobitex', 0x0016: 'control', 0x0017: 'irda', 0x0018: 'econet', 0x88ca: 'tipc', 0x88a2: 'aoe',
  0x8100: '802.1Q', 0x88a8: '802.1ad', 0x8847: 'mpls_uc', 0x8848: 'mpls_mc', 0x6558: 'teb',
};

/** What ss prints for a packet socket's protocol: `*` for all, a name (not with -n), else `[decimal]`. */
export function etherProtocolName(proto: number, numeric = false): string {
  if (proto === 3) return '*';
  return (!numeric && ETHER_PROTOCOL_NAMES[proto]) || `[${proto}]`;
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** A kernel counter as JSON: a number while exact, else a decimal string. */
export function counter(v: bigint | number | string): Counter {
  if (typeof v === 'bigint') return v <= MAX_EXACT ? Number(v) : v.toString();
  return v;
}

/** The socket's address family by name. */
export function familyOf(s: Socket): Family {
  switch (s.family) {
    case 2: return 'inet';
    case 10: return 'inet6';
    case 1: return 'unix';
    case 17: return 'packet';
    default: return 'netlink';
  }
}

/** What a record says about the socket's two ends: their meaning depends on the socket's kind (see SocketRecord). */
export interface Endpoints {
  localAddress: string | null;
  peerAddress: string | null;
  localPort: number;
  peerPort: number;
  iface: string | null;
  /** An inet socket, whose addresses are left null when not asked for (the JSON writer writes their bytes). */
  inet: boolean;
}

/** The socket's ends as a record has them; `inetAddresses`: false leaves an inet socket's address texts null. */
export function endpointsOf(s: Socket, opts: RecordOptions, inetAddresses = true): Endpoints {
  const e: Endpoints = { localAddress: null, peerAddress: null, localPort: s.localPort, peerPort: s.peerPort, iface: null, inet: false };
  switch (s.kind) {
    case 'unix':
      e.localAddress = s.unixName;
      e.localPort = s.inode;
      break;
    case 'packet':
      e.localAddress = etherProtocolName(s.protocol);
      e.localPort = s.ifindex;
      e.peerPort = 0;
      if (s.ifindex) e.iface = opts.interfaceName?.(s.ifindex) ?? null;
      break;
    case 'netlink':
      e.localAddress = NETLINK_PROTOCOL_NAMES[s.protocol] ?? String(s.protocol);
      break;
    default:
      e.inet = true;
      if (inetAddresses) { e.localAddress = s.localAddress; e.peerAddress = s.peerAddress; }
      if (s.ifindex) e.iface = opts.interfaceName?.(s.ifindex) ?? String(s.ifindex);
  }
  return e;
}

/** SK_MEMINFO as a record's memInfo: every key of the table, 0 for what the kernel did not send. */
export function memInfoOf(m: SkMemInfo): MemInfo {
  const mem = {} as MemInfo;
  for (const f of SK_MEMINFO_FIELDS) mem[f.key] = m.raw[f.index] ?? 0;
  return mem;
}

/** Converts one socket. Only what was dumped appears (tcpInfo with ext.info, memInfo with ext.mem ...). */
export function toSocketRecord(s: Socket, opts: RecordOptions = {}): SocketRecord {
  const family = familyOf(s);
  const { localAddress, peerAddress, localPort, peerPort, iface } = endpointsOf(s, opts);
  const rec: SocketRecord = {
    netid: s.netid as Netid,
    state: s.stateName as StateName,
    family,
    recvQ: s.recvQ,
    sendQ: s.sendQ,
    localAddress,
    localPort,
    peerAddress,
    peerPort,
    iface,
    inode: s.inode,
    uid: s.uid,
    cookie: s.cookie.toString(16),
  };
  const inc = opts.include;
  const extended = !inc || inc.extended === true;
  const tcpInfo = !inc || inc.tcpInfo === true;
  if (extended && s.mark !== undefined) rec.mark = s.mark;
  if (extended && s.cgroupId !== undefined) rec.cgroupId = counter(s.cgroupId);
  if (s.timerKind && (!inc || inc.timers)) {
    const t = s.timer;
    if (t) rec.timer = { name: t.name, expiresMs: t.expiresMs, retrans: t.retrans };
  }
  const cong = tcpInfo ? s.congestion : undefined;
  if (cong !== undefined) rec.congestion = cong;
  if (extended) {
    if (s.tos !== undefined) rec.tos = s.tos;
    if (s.tclass !== undefined) rec.tclass = s.tclass;
    if (s.shutdown !== undefined) rec.shutdown = s.shutdown;
  }
  if (opts.processes) rec.processes = s.inode ? (opts.processes.get(s.inode) ?? []) : [];
  const info = tcpInfo ? s.tcpInfo : undefined;
  if (info) {
    // 64-bit fields arrive as bigints: made JSON counters in place, in one object.
    const obj = info.toObject() as Record<string, number | bigint | string>;
    for (const k in obj) { const v = obj[k]; if (typeof v === 'bigint') obj[k] = counter(v); }
    rec.tcpInfo = obj as Record<string, Counter>;
  }
  const m = !inc || inc.memInfo ? s.skmem : undefined;
  if (m) rec.memInfo = memInfoOf(m);
  return rec;
}
