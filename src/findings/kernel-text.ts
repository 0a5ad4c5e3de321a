// Parsers of the kernel's text files the findings read: /proc/net/netstat and /proc/net/snmp
// (pairs of "Group: names" / "Group: values" lines), /proc/net/sockstat{,6} ("GROUP: name value
// ..."), and /proc/PID/limits. Pure: the collectors (src/host/findings) read the files.

/** netstat/snmp text -> `Group.Name` -> value. Lines that do not pair up are an error naming them. */
export function parseNetstat(text: string, file = 'netstat'): Record<string, number> {
  const out: Record<string, number> = {};
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (let i = 0; i + 1 < lines.length || i < lines.length; i += 2) {
    const head = lines[i];
    const vals = lines[i + 1];
    const group = /^(\w+):/.exec(head)?.[1];
    if (!group || vals === undefined || !vals.startsWith(group + ':')) throw new Error(`${file}: line ${i + 1}: expected a "${group ?? 'Group'}:" names line followed by its values`);
    const names = head.slice(group.length + 1).trim().split(/\s+/);
    const values = vals.slice(group.length + 1).trim().split(/\s+/);
    if (names.length !== values.length) throw new Error(`${file}: ${group}: ${names.length} names but ${values.length} values`);
    names.forEach((n, k) => {
      const v = Number(values[k]);
      if (Number.isFinite(v)) out[`${group}.${n}`] = v;
    });
  }
  return out;
}

/** sockstat text -> `sockstat.GROUP.name` -> value. */
export function parseSockstat(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const words = m[2].split(/\s+/);
    for (let i = 0; i + 1 < words.length; i += 2) {
      const v = Number(words[i + 1]);
      if (Number.isFinite(v)) out[`sockstat.${m[1]}.${words[i]}`] = v;
    }
  }
  return out;
}

/** The soft "Max open files" of /proc/PID/limits; null for unlimited; undefined when absent. */
export function parseNofileLimit(text: string): number | null | undefined {
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  if (!line) return undefined;
  const soft = line.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === 'unlimited') return null;
  const n = Number(soft);
  return Number.isFinite(n) ? n : undefined;
}
