// Live values for the ssq language server's completions and hovers, computed from the helper's
// socket dumps (listening ports with their processes, peers of current connections, named network
// namespaces) and from sysfs (interfaces, cgroups). No vscode import: testable with plain records.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NamespaceInfo, SocketQuery } from '../../protocol/helper-protocol';
import type { LiveValue, LiveValueKind } from '../../protocol/live-values';
import type { SocketRecord } from '../../protocol/socket-record';

/** What the provider needs from the helper client (HelperClient fits structurally). */
export interface LiveSocketSource {
  dump(query: SocketQuery): Promise<{ records: SocketRecord[] }>;
  listNamespaces(): Promise<{ namespaces: NamespaceInfo[] }>;
}

const procText = (r: SocketRecord): string => {
  const p = r.processes?.[0];
  return p ? `${p.name} (pid ${p.pid})` : '';
};

/** One value per listening port: `:5432` with detail `:5432 — postgres (pid 812), LISTEN`. */
export function listeningPorts(records: SocketRecord[]): LiveValue[] {
  const byPort = new Map<number, SocketRecord[]>();
  for (const r of records) {
    if ((r.state !== 'LISTEN' && r.state !== 'UNCONN') || (r.family !== 'inet' && r.family !== 'inet6') || r.localPort <= 0) continue;
    byPort.set(r.localPort, [...(byPort.get(r.localPort) ?? []), r]);
  }
  return [...byPort.entries()].sort((a, b) => a[0] - b[0]).map(([port, rs]) => {
    const who = rs.map(procText).find(Boolean);
    const kinds = [...new Set(rs.map((r) => (r.state === 'LISTEN' ? `${r.netid} LISTEN` : `${r.netid} UNCONN`)))].join(', ');
    return { value: `:${port}`, port, detail: `:${port} — ${who ? `${who}, ` : ''}${kinds}` };
  });
}

const ANY = new Set(['0.0.0.0', '::', '*', '']);

/** One value per peer address of current connections, most connections first. */
export function peerAddresses(records: SocketRecord[]): LiveValue[] {
  const byPeer = new Map<string, SocketRecord[]>();
  for (const r of records) {
    if ((r.family !== 'inet' && r.family !== 'inet6') || !r.peerAddress || ANY.has(r.peerAddress) || r.state === 'LISTEN') continue;
    byPeer.set(r.peerAddress, [...(byPeer.get(r.peerAddress) ?? []), r]);
  }
  return [...byPeer.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0])).map(([addr, rs]) => {
    const value = addr.includes(':') ? `[${addr}]` : addr;
    const names = [...new Set(rs.map((r) => r.processes?.[0]?.name).filter(Boolean))].slice(0, 3).join(', ');
    return { value, detail: `${value} — ${rs.length} connection${rs.length === 1 ? '' : 's'}${names ? ` (${names})` : ''}` };
  });
}

function readTrim(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

export function interfaces(sysClassNet = '/sys/class/net'): LiveValue[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(sysClassNet);
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const index = readTrim(path.join(sysClassNet, name, 'ifindex'));
    const state = readTrim(path.join(sysClassNet, name, 'operstate'));
    return { value: name, detail: `${name} — index ${index || '?'}${state ? `, ${state}` : ''}` };
  });
}

export function namespaceValues(namespaces: NamespaceInfo[], runNetns = '/run/netns'): LiveValue[] {
  const out = new Map<string, LiveValue>();
  for (const n of namespaces) {
    if (n.name) out.set(n.name, { value: n.name, detail: `${n.name} — net:[${n.inode}]${n.pid ? `, ${n.processName ?? 'pid'} (pid ${n.pid})` : ''}` });
  }
  try {
    for (const name of fs.readdirSync(runNetns)) if (!out.has(name)) out.set(name, { value: name, detail: `${name} — ${runNetns}/${name}` });
  } catch {
    /* no named namespaces */
  }
  return [...out.values()].sort((a, b) => a.value.localeCompare(b.value));
}

/** cgroup v2 paths (relative to the mount, as `cgroup` takes them), breadth first, bounded. */
export function cgroups(root = '/sys/fs/cgroup', maxDepth = 3, max = 400): LiveValue[] {
  const out: LiveValue[] = [{ value: '/', detail: '/ — the root cgroup' }];
  let level = [''];
  for (let depth = 0; depth < maxDepth && out.length < max; depth++) {
    const next: string[] = [];
    for (const rel of level) {
      let entries: fs.Dirent[] = [];
      try {
        entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!e.isDirectory() || out.length >= max) continue;
        const p = `${rel}/${e.name}`;
        out.push({ value: p, detail: p });
        next.push(p);
      }
    }
    level = next;
  }
  return out;
}

/** The live values the language server asks for (SsqLanguage): answers each kind from the helper or sysfs. */
export function createLiveValuesProvider(source: LiveSocketSource): (kind: LiveValueKind) => Promise<LiveValue[]> {
  return async (kind) => {
    switch (kind) {
      case 'ports':
        return listeningPorts((await source.dump({ netids: ['tcp', 'udp'], states: ['LISTEN', 'UNCONN'], extensions: { processes: true } })).records);
      case 'peers':
        return peerAddresses((await source.dump({ netids: ['tcp', 'udp'], extensions: { processes: true } })).records).slice(0, 200);
      case 'interfaces':
        return interfaces();
      case 'netns':
        return namespaceValues((await source.listNamespaces().catch(() => ({ namespaces: [] }))).namespaces);
      case 'cgroups':
        return cgroups();
    }
  };
}
