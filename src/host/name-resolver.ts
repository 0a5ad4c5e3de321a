// Names for numbers and numbers for names, as ss resolves them: services from /etc/services,
// hosts from /etc/hosts then DNS (through getent, i.e. the system's NSS), interface names of the
// dumped namespace, and cgroup v2 paths <-> ids from the cgroup2 mount. Everything is read lazily,
// once, and cached; every lookup that fails returns undefined rather than throwing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { SpawnSyncReturns } from 'node:child_process';
import { PORT_RANGE_SYSCTL, parsePortRange } from '../netlink/index';
import { indexHostsText, parseServicesText } from '../ssq/index';

/** child_process, loaded on first use (most runs never resolve a name). */
function spawnSync(cmd: string, args: string[], opts: { encoding: 'utf8'; timeout: number }): SpawnSyncReturns<string> {
  return (require('node:child_process') as typeof import('node:child_process')).spawnSync(cmd, args, opts);
}

export type ServiceProto = 'tcp' | 'udp' | 'sctp' | 'dccp';

export interface NamespaceRef {
  /** A name under /run/netns (ip netns). */
  name?: string;
  /** A path to a network namespace file (/proc/PID/ns/net, /run/netns/NAME). */
  path?: string;
}

interface ServiceTable { byPort: Map<string, string>; byName: Map<string, number[]> }

function readText(file: string): string {
  try { return readFileSync(file, 'utf8'); } catch { return ''; }
}

function readServices(file: string): ServiceTable {
  const byPort = new Map<string, string>();
  const byName = new Map<string, number[]>();
  for (const { name, port, proto, aliases } of parseServicesText(readText(file))) {
    const key = `${port}/${proto}`;
    if (!byPort.has(key)) byPort.set(key, name);
    for (const n of [name, ...aliases]) {
      const k = `${n}/${proto}`;
      const list = byName.get(k) ?? [];
      if (!list.includes(port)) list.push(port);
      byName.set(k, list);
    }
  }
  return { byPort, byName };
}

function readHosts(file: string): ReturnType<typeof indexHostsText> {
  return indexHostsText(readText(file));
}

/** Finds the cgroup2 mount point in /proc/self/mountinfo (`outsideSys`: only one not under /sys). */
function cgroup2Mount(outsideSys = false): string | undefined {
  try {
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const sep = line.indexOf(' - ');
      if (sep < 0) continue;
      const at = line.split(' ')[4];
      if (outsideSys && (at === '/sys' || at.startsWith('/sys/'))) continue;
      if (line.slice(sep + 3).startsWith('cgroup2 ')) return at;
    }
  } catch { /* no procfs */ }
  return undefined;
}

export class NameResolver {
  private services: ServiceTable | undefined;
  private hosts: ReturnType<typeof readHosts> | undefined;
  private ephemeral: [number, number] | undefined;
  private links: Map<number, string> | undefined;
  private protocols: Map<number, string> | undefined;
  private cgroupById: Map<bigint, string> | undefined;
  private cgroupOutsideSys: Map<bigint, string> | undefined;
  private readonly hostCache = new Map<string, string>();

  constructor(
    private readonly netns: NamespaceRef = {},
    private readonly files = { services: '/etc/services', hosts: '/etc/hosts' },
  ) {}

  /** The service name for a port (as getservbyport), or undefined. */
  serviceName(port: number, proto: ServiceProto): string | undefined {
    this.services ??= readServices(this.files.services);
    return this.services.byPort.get(`${port}/${proto}`);
  }

  /** The ports a service name stands for, for the given protocols (ss looks at tcp and udp). */
  servicePorts(name: string, protos: readonly ServiceProto[] = ['tcp', 'udp']): number[] {
    this.services ??= readServices(this.files.services);
    const out: number[] = [];
    for (const p of protos) for (const port of this.services.byName.get(`${name}/${p}`) ?? []) if (!out.includes(port)) out.push(port);
    return out;
  }

  /** ss leaves ports in the ephemeral range numeric: names there are mostly noise. */
  isEphemeral(port: number): boolean {
    // ss's default when the sysctl cannot be read.
    this.ephemeral ??= parsePortRange(readText(PORT_RANGE_SYSCTL)) ?? [1024, 4999];
    return port >= this.ephemeral[0] && port <= this.ephemeral[1];
  }

  /** What ss prints for a port without -n: a service name outside the ephemeral range, else the number. */
  portText(port: number, proto: ServiceProto): string {
    if (port === 0) return '*';
    if (this.isEphemeral(port)) return String(port);
    return this.serviceName(port, proto) ?? String(port);
  }

  /** Addresses for a host name from /etc/hosts only (no DNS, no command). */
  hostsFileAddresses(name: string): string[] {
    this.hosts ??= readHosts(this.files.hosts);
    return this.hosts.byName.get(name.toLowerCase()) ?? [];
  }

  /** Addresses for a host name: /etc/hosts first, then the system resolver (getent ahosts). */
  hostAddresses(name: string): string[] {
    const local = this.hostsFileAddresses(name);
    if (local.length) return local;
    const r = spawnSync('getent', ['ahosts', name], { encoding: 'utf8', timeout: 5000 });
    if (r.status !== 0 || !r.stdout) return [];
    const out: string[] = [];
    for (const line of r.stdout.split('\n')) {
      const addr = line.split(/\s+/)[0];
      if (addr && !out.includes(addr)) out.push(addr);
    }
    return out;
  }

  /** A host name for an address (-r): /etc/hosts, then getent hosts; the address itself when none. */
  hostName(addr: string): string {
    const hit = this.hostCache.get(addr);
    if (hit !== undefined) return hit;
    this.hosts ??= readHosts(this.files.hosts);
    let name = this.hosts.byAddress.get(addr);
    if (name === undefined) {
      const r = spawnSync('getent', ['hosts', addr], { encoding: 'utf8', timeout: 2000 });
      name = r.status === 0 ? r.stdout.trim().split(/\s+/)[1] : undefined;
    }
    const result = name ?? addr;
    this.hostCache.set(addr, result);
    return result;
  }

  /** An IP protocol's name from /etc/protocols (ss names raw sockets' "port" this way), or undefined. */
  protocolName(proto: number): string | undefined {
    if (!this.protocols) {
      this.protocols = new Map();
      try {
        for (const raw of readFileSync('/etc/protocols', 'utf8').split('\n')) {
          const w = raw.replace(/#.*/, '').trim().split(/\s+/);
          if (w.length >= 2 && /^\d+$/.test(w[1]) && !this.protocols.has(Number(w[1]))) this.protocols.set(Number(w[1]), w[0]);
        }
      } catch { /* no /etc/protocols */ }
    }
    return this.protocols.get(proto);
  }

  /** ss's label for a netlink port id owned by a process: "name/pid", or the number. */
  processLabel(pid: number): string {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const m = /^\d+ \((.*)\) /s.exec(stat);
      if (m) return `${m[1]}/${pid}`;
    } catch { /* not a process id */ }
    return String(pid);
  }

  /** Interface name for an index in the dumped namespace. */
  interfaceName(index: number): string | undefined {
    this.links ??= this.readLinks();
    return this.links.get(index);
  }

  /** Interface index for a name (or a decimal index) in the dumped namespace. */
  interfaceIndex(name: string): number | undefined {
    this.links ??= this.readLinks();
    for (const [i, n] of this.links) if (n === name) return i;
    return /^\d+$/.test(name) ? Number(name) : undefined;
  }

  private readLinks(): Map<number, string> {
    const links = new Map<number, string>();
    if (!this.netns.name && !this.netns.path) {
      try {
        for (const name of readdirSync('/sys/class/net')) {
          try { links.set(Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8')), name); } catch { /* gone */ }
        }
        return links;
      } catch { /* fall through to ip */ }
    }
    // Another namespace: /sys shows ours, so ask ip(8) inside it.
    const argv = this.netns.name ? ['ip', '-n', this.netns.name, '-o', 'link', 'show']
      : ['nsenter', `--net=${this.netns.path}`, 'ip', '-o', 'link', 'show'];
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 5000 });
    for (const line of (r.stdout ?? '').split('\n')) {
      const m = /^(\d+):\s+([^:@\s]+)/.exec(line);
      if (m) links.set(Number(m[1]), m[2]);
    }
    return links;
  }

  /**
   * The cgroup v2 path ("/system.slice/x.service") of a cgroup id, or undefined. `outsideSys`: as a
   * program sees it after entering a namespace's mounts with a fresh /sys (ss -N): only through a
   * cgroup2 mount outside /sys.
   */
  cgroupPath(id: bigint, options: { outsideSys?: boolean } = {}): string | undefined {
    const outside = options.outsideSys === true;
    let byId = outside ? this.cgroupOutsideSys : this.cgroupById;
    if (!byId) {
      byId = new Map();
      const root = cgroup2Mount(outside);
      if (root) this.walkCgroups(byId, root, '/', 0);
      if (outside) this.cgroupOutsideSys = byId; else this.cgroupById = byId;
    }
    return byId.get(id);
  }

  /** The cgroup id of a cgroup v2 path (as `cgroup PATH` in a filter), or undefined. */
  cgroupId(path: string): bigint | undefined {
    const root = cgroup2Mount();
    if (!root) return undefined;
    try {
      return statSync(root + (path.startsWith('/') ? path : '/' + path), { bigint: true }).ino;
    } catch {
      return undefined;
    }
  }

  private walkCgroups(into: Map<bigint, string>, dir: string, rel: string, depth: number): void {
    try { into.set(statSync(dir, { bigint: true }).ino, rel); } catch { return; }
    if (depth > 32) return;
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (e.isDirectory()) this.walkCgroups(into, `${dir}/${e.name}`, rel === '/' ? `/${e.name}` : `${rel}/${e.name}`, depth + 1);
    }
  }
}

/** The ssq parser's resolver over a NameResolver (services, hosts, interfaces, cgroups of its namespace). */
export function ssqResolverOf(names: NameResolver): import('../ssq/index').SsqResolver {
  return {
    service: (name: string, proto?: 'tcp' | 'udp') => names.servicePorts(name, proto ? [proto] : ['tcp', 'udp'])[0],
    host: (name: string) => names.hostAddresses(name),
    ifindex: (name: string) => names.interfaceIndex(name),
    cgroupId: (path: string) => names.cgroupId(path),
  };
}
