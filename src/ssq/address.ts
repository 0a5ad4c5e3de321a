// Address text <-> bytes, without node:net. IPv4 follows iproute2's get_addr_ipv4 (each part is a
// C integer in base 0, missing trailing parts are zero: "10.99" is 10.99.0.0); IPv6 follows inet_pton.

/** Parses a C-style unsigned integer (strtoul base 0: 0x hex, 0 octal, decimal). Whole string must match. */
export function parseCInteger(s: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0[0-7]*$/.test(s)) return s.length === 1 ? 0 : parseInt(s.slice(1), 8);
  if (/^[1-9][0-9]*$/.test(s)) return parseInt(s, 10);
  return undefined;
}

/** iproute2's get_addr_ipv4: 1 to 4 dot-separated C integers, each <= 255. */
export function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < parts.length; i++) {
    const m = /^(0[xX][0-9a-fA-F]*|[0-9]+)/.exec(parts[i]);
    if (!m || m[0].length !== parts[i].length) return undefined;
    const v = parseCInteger(m[0] === '0x' || m[0] === '0X' ? '0' : m[0]);
    if (v === undefined || v > 255) return undefined;
    out[i] = v;
  }
  return out;
}

/** Strict dotted quad (inet_pton AF_INET), used for embedded IPv4 in IPv6 and socket text. */
function parseDottedQuad(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out.push(v);
  }
  return out;
}

/** inet_pton(AF_INET6). */
export function parseIPv6(s: string): Uint8Array | undefined {
  if (s.length < 2 || s.length > 45) return undefined;
  let tail: number[] = [];
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    const q = parseDottedQuad(text.slice(lastColon + 1));
    if (!q) return undefined;
    tail = q;
    text = text.slice(0, lastColon + 1) + (text[lastColon - 1] === ':' ? '' : '0');
    if (text.endsWith(':0')) {
      text = text.slice(0, -2);
    }
    if (text.endsWith('::')) {
      /* keep */
    } else if (text.endsWith(':')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !rest) return undefined;
  const words = tail.length ? 6 : 8;
  const have = head.length + rest.length;
  if (halves.length === 1 ? have !== words : have > words - 1) return undefined;
  const all = [...head, ...new Array<number>(words - have).fill(0), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < words; i++) {
    out[i * 2] = all[i] >> 8;
    out[i * 2 + 1] = all[i] & 0xff;
  }
  if (tail.length) out.set(tail, 12);
  return out;
}

/** Address text as a socket record has it ("10.0.0.1", "::ffff:1.2.3.4", "*", "[::1]"). */
export function parseAddressText(text: string): Uint8Array | undefined {
  let t = text;
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const pct = t.indexOf('%');
  if (pct >= 0) t = t.slice(0, pct);
  if (t === '*' || t === '') return undefined;
  if (t.includes(':')) return parseIPv6(t);
  const q = parseDottedQuad(t);
  return q ? Uint8Array.from(q) : undefined;
}

/** bitstring_match: the first `bits` bits of a and b are equal. */
export function prefixMatch(a: Uint8Array, aOff: number, b: Uint8Array, bits: number): boolean {
  const full = bits >> 3;
  for (let i = 0; i < full; i++) if (a[aOff + i] !== b[i]) return false;
  const rem = bits & 7;
  if (rem) {
    const mask = (0xff << (8 - rem)) & 0xff;
    if ((a[aOff + full] & mask) !== (b[full] & mask)) return false;
  }
  return true;
}

export function isV4Mapped(a: Uint8Array): boolean {
  if (a.length !== 16) return false;
  for (let i = 0; i < 10; i++) if (a[i] !== 0) return false;
  return a[10] === 0xff && a[11] === 0xff;
}
