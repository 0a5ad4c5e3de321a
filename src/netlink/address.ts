// Address bytes to canonical text, exactly as glibc's inet_ntop prints them (which is what ss shows).

const AF_INET = 2;

/** IPv4 dotted quad from 4 bytes at `off`. */
export function formatIPv4(buf: Uint8Array, off: number): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

/**
 * IPv6 text from 16 bytes at `off`: lowercase hex, the longest run (>= 2) of zero groups as "::",
 * and the embedded IPv4 forms "::a.b.c.d" / "::ffff:a.b.c.d" as inet_ntop writes them.
 */
export function formatIPv6(buf: Uint8Array, off: number): string {
  const w = new Array<number>(8);
  for (let i = 0; i < 8; i++) w[i] = (buf[off + 2 * i] << 8) | buf[off + 2 * i + 1];
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      if (curBase < 0) { curBase = i; curLen = 1; } else curLen++;
      if (curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
    } else curBase = -1;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      out += formatIPv4(buf, off + 12);
      break;
    }
    out += w[i].toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** Address text for an inet family (AF_INET -> 4 bytes, otherwise 16). */
export function formatAddress(buf: Uint8Array, off: number, family: number): string {
  return family === AF_INET ? formatIPv4(buf, off) : formatIPv6(buf, off);
}

/** Whether 16 IPv6 bytes are an IPv4-mapped address (::ffff:a.b.c.d). */
export function isV4Mapped(buf: Uint8Array, off: number): boolean {
  for (let i = 0; i < 10; i++) if (buf[off + i] !== 0) return false;
  return buf[off + 10] === 0xff && buf[off + 11] === 0xff;
}

/** Parse IPv4 or IPv6 text into bytes (4 or 16), or null if it is not an address. */
export function parseAddress(text: string): Uint8Array | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const b = v4.slice(1).map(Number);
    return b.every((n) => n <= 255) ? Uint8Array.from(b) : null;
  }
  if (!text.includes(':')) return null;
  let head = text, tail = '';
  const dbl = text.indexOf('::');
  if (dbl >= 0) { head = text.slice(0, dbl); tail = text.slice(dbl + 2); if (tail.includes('::')) return null; }
  const words = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
        const q = parseAddress(p);
        if (!q || q.length !== 4) return null;
        out.push((q[0] << 8) | q[1], (q[2] << 8) | q[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return null;
    }
    return out;
  };
  const h = words(head), t = words(tail);
  if (!h || !t) return null;
  const fill = 8 - h.length - t.length;
  if (dbl >= 0 ? fill < 1 : fill !== 0) return null;
  const all = [...h, ...new Array<number>(dbl >= 0 ? fill : 0).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((v, i) => { out[2 * i] = v >> 8; out[2 * i + 1] = v & 0xff; });
  return out;
}
