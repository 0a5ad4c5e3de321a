// src/dst host words and port words, following ss's parse_hostcond.
import type { HostFamilyPrefix, HostSpec, InetPrefix, PortValue } from './ast';
import type { Diagnostic, Fix } from './diagnostics';
import type { SsqFamily, SsqKind } from './query';
import type { SsqResolver } from './resolver';
import { parseCInteger, parseIPv4, parseIPv6 } from './address';
import { staticResolver } from './resolver';

/** Used for service names when no resolver is injected (no errors for unknown names then). */
const FALLBACK = staticResolver();

/** Ethernet protocol names ll_proto_a2n knows best (host byte order values). */
const LINK_PROTOS: Readonly<Record<string, number>> = {
  all: 0x0003, ip: 0x0800, ipv4: 0x0800, ipv6: 0x86dd, arp: 0x0806, rarp: 0x8035, '802_3': 0x0001, '802_2': 0x0004,
  vlan: 0x8100, '802.1q': 0x8100, '802.1ad': 0x88a8, mpls_uc: 0x8847, mpls_mc: 0x8848, lldp: 0x88cc, pppoe_disc: 0x8863,
  pppoe_sess: 0x8864, ipx: 0x8137, loop: 0x0060, snap: 0x0005, tipc: 0x88ca, '802_1x': 0x888e, ieee8021x: 0x888e,
};

/** Netlink protocol names exactly as ss knows them (iproute2's nl_proto_tab; case-sensitive). */
const NETLINK_PROTOS: Readonly<Record<string, number>> = {
  rtnl: 0, unused: 1, usersock: 2, fw: 3, tcpdiag: 4, nflog: 5, xfrm: 6, selinux: 7, iscsi: 8, audit: 9,
  fiblookup: 10, connector: 11, nft: 12, ip6fw: 13, 'dec-rt': 14, uevent: 15, genl: 16, 'scsi-trans': 18,
  ecryptfs: 19, rdma: 20, crypto: 21,
};

export interface HostContext {
  resolver: SsqResolver | undefined;
  /** Tables being dumped (service names are looked up for tcp and/or udp like ss). */
  kinds: ReadonlySet<SsqKind>;
  diags: Diagnostic[];
}

const own = <T>(o: Readonly<Record<string, T>>, k: string): T | undefined => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

function err(ctx: HostContext, start: number, end: number, message: string, code: Diagnostic['code'], fixes?: Fix[]): void {
  ctx.diags.push({ range: { start, end }, severity: 'error', code, message, fixes });
}

/**
 * Parses a port word (after `sport`/`dport`, or the `:PORT` part of a host). `start` is the
 * source offset of text[0]; the word is assumed contiguous in the source when `contiguous`.
 */
export function parsePort(text: string, start: number, end: number, ctx: HostContext, after: string): PortValue {
  const range = { start, end };
  let t = text;
  if (t.startsWith(':')) t = t.slice(1);
  if (t === '' || t === '*') return { text, range, value: null };
  const n = parseCInteger(t);
  if (n !== undefined) {
    if (n > 65535) err(ctx, start, end, `port ${n} is out of range (0-65535) after \`${after}\``, 'bad-port');
    return { text, range, value: n > 65535 ? null : n };
  }
  if (/^-[0-9]+$/.test(t)) {
    err(ctx, start, end, `port ${t} is out of range (0-65535) after \`${after}\``, 'bad-port');
    return { text, range, value: null };
  }
  if (!/^[A-Za-z][A-Za-z0-9_.+-]*$/.test(t)) {
    err(ctx, start, end, `expected a port after \`${after}\`, found \`${text}\``, 'bad-port');
    return { text, range, value: null };
  }
  const r = ctx.resolver ?? FALLBACK;
  const tcp = ctx.kinds.has('tcp') || ctx.kinds.has('mptcp') || ctx.kinds.has('dccp') || ctx.kinds.has('sctp');
  const udp = ctx.kinds.has('udp');
  const viaTcp = r && (tcp || !udp) ? r.service(t, 'tcp') : undefined;
  const viaUdp = r && (udp || !tcp) ? r.service(t, 'udp') : undefined;
  if (viaTcp !== undefined && viaUdp !== undefined && viaTcp !== viaUdp) {
    err(ctx, start, end, `ambiguous port \`${t}\`: ${viaTcp}/tcp but ${viaUdp}/udp`, 'bad-port');
    return { text, range, value: null, service: t };
  }
  const v = viaTcp ?? viaUdp ?? (r ? r.service(t) : undefined);
  if (v === undefined) {
    if (ctx.resolver) err(ctx, start, end, `\`${t}\` is not a port number or a known service name`, 'unresolved');
    return { text, range, value: null, service: t };
  }
  return { text, range, value: v, service: t };
}

const PREFIXES: readonly HostFamilyPrefix[] = ['unix', 'link', 'netlink', 'vsock', 'inet6', 'inet'];
export const PREFIX_FAMILY: Readonly<Record<HostFamilyPrefix, SsqFamily>> = {
  unix: 'unix', link: 'packet', netlink: 'netlink', vsock: 'vsock', inet: 'inet', inet6: 'inet6',
};

export interface HostResult {
  host: HostSpec;
  /** The family this word narrows the dump to (ss's filter_af_set in parse_hostcond), or null. */
  family: SsqFamily | null;
}

/**
 * Parses the word after `src`/`dst`. `at(i)` maps a character index of `text` to a source offset.
 * `preferred` is ss's preferred_family at this point (from -4/-6/-x/-0/-f or an earlier prefix).
 */
export function parseHost(text: string, at: (i: number) => number, end: number, preferred: SsqFamily | null, ctx: HostContext, after: string): HostResult {
  const range = { start: at(0), end };
  const rangeOf = (i: number, j: number): [number, number] => [at(i), j >= text.length ? end : at(j)];
  let prefix: HostFamilyPrefix | null = null;
  for (const p of PREFIXES) {
    if (text.startsWith(p + ':')) {
      prefix = p;
      break;
    }
  }
  const fam: SsqFamily | null = prefix ? PREFIX_FAMILY[prefix] : preferred;
  const body = prefix ? text.slice(prefix.length + 1) : text;
  const bodyOff = prefix ? prefix.length + 1 : 0;

  if (fam === 'unix') {
    return { host: { kind: 'unix', text, range, prefix, pattern: body }, family: 'unix' };
  }
  if (fam === 'packet') {
    const c = body.indexOf(':');
    const protoText = c >= 0 ? body.slice(0, c) : body;
    const ifText = c >= 0 ? body.slice(c + 1) : '';
    let protocol: number | null = null;
    let ifindex: number | null = null;
    if (ifText && ifText !== '*') {
      const n = parseCInteger(ifText);
      if (n !== undefined) ifindex = n;
      else if (ctx.resolver) {
        const ix = ctx.resolver.ifindex(ifText);
        if (ix === undefined) err(ctx, ...rangeOf(bodyOff + c + 1, text.length), `unknown interface \`${ifText}\``, 'unresolved');
        else ifindex = ix;
      }
    }
    if (protoText && protoText !== '*') {
      const n = parseCInteger(protoText) ?? own(LINK_PROTOS, protoText.toLowerCase());
      if (n === undefined || n > 0xffff) err(ctx, ...rangeOf(bodyOff, bodyOff + protoText.length), `unknown link protocol \`${protoText}\``, 'bad-host');
      else protocol = n;
    }
    return { host: { kind: 'link', text, range, prefix, protocol, ifindex }, family: 'packet' };
  }
  if (fam === 'netlink') {
    const c = body.indexOf(':');
    const protoText = c >= 0 ? body.slice(0, c) : body;
    const portText = c >= 0 ? body.slice(c + 1) : '';
    let protocol: number | null = null;
    let portId: number | null = null;
    if (portText && portText !== '*') {
      const n = portText === 'kernel' ? 0 : parseSignedInt(portText);
      if (n === undefined) err(ctx, ...rangeOf(bodyOff + c + 1, text.length), `expected a netlink port id, found \`${portText}\``, 'bad-host');
      else portId = n;
    }
    if (protoText && protoText !== '*') {
      const n = parseCInteger(protoText) ?? own(NETLINK_PROTOS, protoText);
      if (n === undefined) err(ctx, ...rangeOf(bodyOff, bodyOff + protoText.length), `unknown netlink protocol \`${protoText}\``, 'bad-host');
      else protocol = n;
    }
    return { host: { kind: 'netlink', text, range, prefix, protocol, portId }, family: 'netlink' };
  }
  if (fam === 'vsock') {
    const c = body.indexOf(':');
    const cidText = c >= 0 ? body.slice(0, c) : body;
    const portText = c >= 0 ? body.slice(c + 1) : null;
    let cid: number | null = null;
    let port: number | null = null;
    if (portText !== null && portText !== '*' && portText !== '') {
      const n = parseCInteger(portText);
      if (n === undefined || n > 0xffffffff) err(ctx, ...rangeOf(bodyOff + c + 1, text.length), `expected a vsock port, found \`${portText}\``, 'bad-port');
      else port = n;
    }
    if (cidText && cidText !== '*') {
      const n = parseCInteger(cidText);
      if (n === undefined || n > 0xffffffff) err(ctx, ...rangeOf(bodyOff, bodyOff + cidText.length), `expected a vsock CID, found \`${cidText}\``, 'bad-host');
      else cid = n;
    }
    return { host: { kind: 'vsock', text, range, prefix, cid, port }, family: 'vsock' };
  }

  // inet / inet6 / unspecified
  const v: 4 | 6 | null = fam === 'inet' ? 4 : fam === 'inet6' ? 6 : null;
  let addrText: string;
  let addrOff = bodyOff;
  let portText: string | null = null;
  let portOff = 0;
  if (!body.startsWith('[') && body.indexOf(':') !== body.lastIndexOf(':')) {
    const whole = parsePrefix(body, null);
    if (whole.ok && whole.ok.family === 6) {
      const slash = body.indexOf('/');
      const bracketed = slash >= 0 ? `[${body.slice(0, slash)}]${body.slice(slash)}` : `[${body}]`;
      const fixed = (prefix ? prefix + ':' : '') + bracketed;
      err(ctx, range.start, end, `IPv6 addresses need brackets: \`${fixed}\``, 'bad-host', [
        { title: `Write \`${fixed}\``, edits: [{ range: { start: range.start, end }, newText: fixed }] },
      ]);
      return { host: { kind: 'inet', text, range, prefix, family: 6, addresses: [whole.ok], port: null }, family: fam };
    }
  }
  if (body.startsWith('[')) {
    const close = body.indexOf(']');
    if (close < 0) {
      err(ctx, range.start, end, `missing \`]\` after the IPv6 address in \`${text}\``, 'bad-host', [
        { title: 'Add `]`', edits: [{ range: { start: end, end }, newText: ']' }] },
      ]);
      return { host: { kind: 'inet', text, range, prefix, family: v, addresses: [], port: null, hostname: body.slice(1) }, family: fam };
    }
    addrText = body.slice(1, close);
    addrOff = bodyOff + 1;
    portText = body.slice(close + 1);
    portOff = bodyOff + close + 1;
    if (portText !== '' && !portText.startsWith(':')) {
      err(ctx, ...rangeOf(portOff, text.length), `expected \`:PORT\` after \`]\`, found \`${portText}\``, 'bad-host');
      portText = null;
    }
  } else if (body.startsWith('*')) {
    addrText = '*';
    portText = body.slice(1);
    portOff = bodyOff + 1;
  } else {
    const slash = body.indexOf('/');
    const c = body.lastIndexOf(':');
    if (c >= 0 && c >= slash) {
      addrText = body.slice(0, c);
      portText = body.slice(c);
      portOff = bodyOff + c;
    } else addrText = body;
  }
  let port: PortValue | null = null;
  if (portText !== null && portText !== '' && portText !== ':') {
    port = parsePort(portText, at(portOff), end, ctx, after);
  }
  const host: HostSpec = { kind: 'inet', text, range, prefix, family: v, addresses: [], port };
  if (addrText === '' || addrText === '*') return { host, family: fam };
  const aStart = at(addrOff);
  const aEnd = addrOff + addrText.length >= text.length ? end : at(addrOff + addrText.length);
  if (addrText === 'any' || addrText === 'all' || addrText === 'default') {
    if (v === null) return { host, family: fam };
    host.addresses.push({ family: v ?? 4, bytes: new Uint8Array(v === 6 ? 16 : 4), prefixLen: 0 });
    return { host, family: fam };
  }
  const pfx = parsePrefix(addrText, v);
  if (pfx.ok) {
    host.addresses.push(pfx.ok);
    host.family = pfx.ok.family;
    return { host, family: fam };
  }
  if (pfx.error) {
    err(ctx, aStart, aEnd, pfx.error, 'bad-host', pfx.fixes?.map((f) => ({ title: f.title, edits: [{ range: { start: range.start, end }, newText: f.replacement(text) }] })));
    return { host, family: fam };
  }
  // A host name.
  if (!/^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/.test(addrText) || /^[0-9.]+$/.test(addrText)) {
    const fixes: Fix[] = [];
    if (addrText.startsWith('/') || addrText.startsWith('@')) {
      fixes.push({ title: `Use \`unix:${text}\``, edits: [{ range: { start: range.start, end: range.start }, newText: 'unix:' }] });
    }
    err(ctx, aStart, aEnd, fixes.length ? `\`${addrText}\` is not an inet address; unix sockets need the \`unix:\` prefix (or -x)` : `expected an address after \`${after}\`, found \`${addrText}\``, 'bad-host', fixes);
    return { host, family: fam };
  }
  host.hostname = addrText;
  if (ctx.resolver) {
    const found: InetPrefix[] = [];
    for (const a of ctx.resolver.host(addrText)) {
      const b4 = !a.includes(':') ? parseIPv4(a) : undefined;
      const b6 = a.includes(':') ? parseIPv6(a) : undefined;
      if (b4 && v !== 6) found.push({ family: 4, bytes: b4, prefixLen: 32 });
      else if (b6 && v !== 4) found.push({ family: 6, bytes: b6, prefixLen: 128 });
    }
    if (!found.length) err(ctx, aStart, aEnd, `cannot resolve host \`${addrText}\``, 'unresolved-host');
    host.addresses = found;
  }
  return { host, family: fam };
}

function parseSignedInt(s: string): number | undefined {
  if (s.startsWith('-')) {
    const n = parseCInteger(s.slice(1));
    return n === undefined ? undefined : -n;
  }
  return parseCInteger(s);
}

interface PrefixResult {
  ok?: InetPrefix;
  /** Set when the text is clearly an address but wrong; unset = maybe a host name. */
  error?: string;
  fixes?: { title: string; replacement: (text: string) => string }[];
}

/** get_prefix_1: ADDRESS[/LEN] in the given family (null = either). */
export function parsePrefix(text: string, v: 4 | 6 | null): PrefixResult {
  const slash = text.indexOf('/');
  const a = slash >= 0 ? text.slice(0, slash) : text;
  const lenText = slash >= 0 ? text.slice(slash + 1) : null;
  let fam: 4 | 6;
  let bytes: Uint8Array | undefined;
  if (a.includes(':')) {
    bytes = parseIPv6(a);
    fam = 6;
    if (!bytes) return /^[0-9a-fA-F:.]+$/.test(a) ? { error: `\`${a}\` is not a valid IPv6 address` } : {};
    if (v === 4) return { error: `\`${a}\` is an IPv6 address but the family is inet` };
  } else {
    bytes = parseIPv4(a);
    fam = 4;
    if (!bytes) return /^[0-9.]+$/.test(a) || (lenText !== null && /^[0-9x.]+$/i.test(a)) ? { error: `\`${a}\` is not a valid IPv4 address` } : {};
    if (v === 6) return { error: `\`${a}\` is an IPv4 address but the family is inet6 (write \`[::ffff:${a}]\` for a v4-mapped address)` };
  }
  const max = fam === 4 ? 32 : 128;
  let prefixLen = max;
  if (lenText !== null) {
    const n = /^[0-9]+$/.test(lenText) ? Number(lenText) : undefined;
    if (n !== undefined && n <= max) prefixLen = n;
    else if (fam === 4 && lenText.includes('.')) {
      const m = parseIPv4(lenText);
      const len = m ? maskLength(m) : undefined;
      if (len === undefined) return { error: `\`${lenText}\` is not a valid netmask` };
      prefixLen = len;
    } else return { error: `prefix length \`${lenText}\` is out of range (0-${max})` };
  }
  return { ok: { family: fam, bytes, prefixLen } };
}

function maskLength(m: Uint8Array): number | undefined {
  let len = 0;
  let ended = false;
  for (const b of m) {
    for (let bit = 7; bit >= 0; bit--) {
      const on = (b >> bit) & 1;
      if (on && ended) return undefined;
      if (on) len++;
      else ended = true;
    }
  }
  return len;
}
