// The server's name resolver for the ssq parser: /etc/services, /etc/hosts, /sys/class/net and the
// cgroup2 mount, read synchronously and cached (the parser is synchronous). Also the service table
// that completion and hover use.
import * as fs from 'node:fs';
import type { SsqResolver } from '../ssq';

export interface ServiceEntry {
  name: string;
  port: number;
  protos: string[];
  aliases: string[];
}

let servicesCache: ServiceEntry[] | undefined;

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Parses /etc/services ("name port/proto aliases... # comment"). */
export function parseServices(text: string): ServiceEntry[] {
  const byName = new Map<string, ServiceEntry>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, portProto, ...aliases] = line.split(/\s+/);
    const m = /^(\d+)\/(\w+)$/.exec(portProto ?? '');
    if (!name || !m) continue;
    const port = Number(m[1]);
    const e = byName.get(name);
    if (e && e.port === port) {
      if (!e.protos.includes(m[2])) e.protos.push(m[2]);
    } else if (!e) {
      byName.set(name, { name, port, protos: [m[2]], aliases });
    }
  }
  return [...byName.values()];
}

export function services(): ServiceEntry[] {
  servicesCache ??= parseServices(readText('/etc/services'));
  return servicesCache;
}

/** The service names of a port number ("ssh" for 22), first the main name. */
export function serviceNamesOfPort(port: number): string[] {
  return services().filter((s) => s.port === port).map((s) => s.name);
}

function parseHosts(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [addr, ...names] = line.split(/\s+/);
    for (const n of names) map.set(n, [...(map.get(n) ?? []), addr]);
  }
  return map;
}

export function createSystemResolver(): SsqResolver {
  let hosts: Map<string, string[]> | undefined;
  const ifindexes = new Map<string, number | undefined>();
  const cgroups = new Map<string, bigint | undefined>();
  return {
    service(name) {
      const lower = name.toLowerCase();
      const e = services().find((s) => s.name === lower || s.aliases.includes(lower));
      return e?.port;
    },
    host(name) {
      hosts ??= parseHosts(readText('/etc/hosts'));
      return hosts.get(name) ?? [];
    },
    ifindex(name) {
      if (!ifindexes.has(name)) {
        const t = /^[\w.:@-]+$/.test(name) ? readText(`/sys/class/net/${name}/ifindex`).trim() : '';
        ifindexes.set(name, t ? Number(t) : undefined);
      }
      return ifindexes.get(name);
    },
    cgroupId(path) {
      if (!cgroups.has(path)) {
        let id: bigint | undefined;
        try {
          if (!path.split('/').includes('..')) id = fs.statSync(`/sys/fs/cgroup/${path.replace(/^\/+/, '')}`, { bigint: true }).ino;
        } catch {
          id = undefined;
        }
        cgroups.set(path, id);
      }
      return cgroups.get(path);
    },
  };
}
