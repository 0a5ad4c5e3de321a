// The server's name resolver for the ssq parser: /etc/services, /etc/hosts, /sys/class/net and the
// cgroup2 mount, read synchronously and cached (the parser is synchronous). Also the service table
// that completion and hover use.
import * as fs from 'node:fs';
import { indexHostsText, parseServicesText, type SsqResolver } from '../ssq';

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

/** The services of /etc/services text, one entry per name (its first port, every protocol listed for it). */
export function parseServices(text: string): ServiceEntry[] {
  const byName = new Map<string, ServiceEntry>();
  for (const { name, port, proto, aliases } of parseServicesText(text)) {
    const e = byName.get(name);
    if (!e) byName.set(name, { name, port, protos: [proto], aliases });
    else if (e.port === port && !e.protos.includes(proto)) e.protos.push(proto);
  }
  return [...byName.values()];
}

/** The services a filter can name: those with a TCP or UDP port (ss resolves names for those only). */
export function services(): ServiceEntry[] {
  servicesCache ??= parseServices(readText('/etc/services')).filter((s) => s.protos.includes('tcp') || s.protos.includes('udp'));
  return servicesCache;
}

/** The service names of a port number ("ssh" for 22), first the main name. */
export function serviceNamesOfPort(port: number): string[] {
  return services().filter((s) => s.port === port).map((s) => s.name);
}

export function createSystemResolver(): SsqResolver {
  let hosts: Map<string, string[]> | undefined;
  const ifindexes = new Map<string, number | undefined>();
  const cgroups = new Map<string, bigint | undefined>();
  return {
    service(name, proto) {
      const lower = name.toLowerCase();
      const e = services().find((s) => (s.name === lower || s.aliases.includes(lower)) && (!proto || s.protos.includes(proto)));
      return e?.port;
    },
    host(name) {
      hosts ??= indexHostsText(readText('/etc/hosts')).byName;
      return hosts.get(name.toLowerCase()) ?? [];
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
