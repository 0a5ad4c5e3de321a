// The text of /etc/services and /etc/hosts, line by line, as the C library's files backend reads it
// ("#" starts a comment, fields are separated by blanks). Pure: the callers read the files and
// build their own indexes (the helper's NameResolver, the language server's system resolver).

/** One /etc/services entry: `name port/proto aliases...`. */
export interface ServiceLine {
  name: string;
  port: number;
  proto: string;
  aliases: string[];
}

/** One /etc/hosts entry: an address and its names (canonical name first). */
export interface HostsLine {
  address: string;
  names: string[];
}

function fields(text: string): string[][] {
  const out: string[][] = [];
  for (const raw of text.split('\n')) {
    const hash = raw.indexOf('#');
    const words = (hash >= 0 ? raw.slice(0, hash) : raw).split(/[ \t\r]+/).filter(Boolean);
    if (words.length) out.push(words);
  }
  return out;
}

/** The entries of /etc/services text, in file order; malformed lines are skipped. */
export function parseServicesText(text: string): ServiceLine[] {
  const out: ServiceLine[] = [];
  for (const [name, portProto, ...aliases] of fields(text)) {
    const m = /^(\d+)\/(\w+)$/.exec(portProto ?? '');
    if (!m || Number(m[1]) > 65535) continue;
    out.push({ name, port: Number(m[1]), proto: m[2], aliases });
  }
  return out;
}

/** The entries of /etc/hosts text, in file order; lines without a name are skipped. */
export function parseHostsText(text: string): HostsLine[] {
  const out: HostsLine[] = [];
  for (const [address, ...names] of fields(text)) if (names.length) out.push({ address, names });
  return out;
}

/**
 * /etc/hosts text indexed as the files backend looks it up: a name (in lower case: names compare
 * without case) to its addresses in file order, and an address to its first name.
 */
export function indexHostsText(text: string): { byName: Map<string, string[]>; byAddress: Map<string, string> } {
  const byName = new Map<string, string[]>();
  const byAddress = new Map<string, string>();
  for (const { address, names } of parseHostsText(text)) {
    if (!byAddress.has(address)) byAddress.set(address, names[0]);
    for (const n of names) {
      const list = byName.get(n.toLowerCase()) ?? [];
      if (!list.includes(address)) list.push(address);
      byName.set(n.toLowerCase(), list);
    }
  }
  return { byName, byAddress };
}
