// Name resolution is injected: src/ssq never touches the system. The CLI/helper provides a resolver
// over /etc/services, /etc/hosts, /sys/class/net and cgroupfs.

export interface SsqResolver {
  /** Port number of a service name (`ssh` -> 22), optionally for one protocol. */
  service(name: string, proto?: 'tcp' | 'udp'): number | undefined;
  /** Addresses (IPv4 dotted or IPv6 text) of a host name; empty when unknown. */
  host(name: string): string[];
  /** Index of a network interface by name. */
  ifindex(name: string): number | undefined;
  /** cgroup v2 id (inode of the cgroup directory) of a cgroup path such as `/system.slice`. */
  cgroupId(path: string): bigint | undefined;
}

/** A fixed-table resolver, handy for tests and for the language server when no system resolver exists. */
export interface StaticResolverTables {
  services?: Record<string, number>;
  hosts?: Record<string, string[]>;
  interfaces?: Record<string, number>;
  cgroups?: Record<string, bigint>;
}

/** A few well-known services, enough for tests and offline use. */
export const WELL_KNOWN_SERVICES: Readonly<Record<string, number>> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, pop3: 110, imap2: 143, imap: 143,
  https: 443, submission: 587, imaps: 993, pop3s: 995, mysql: 3306, postgresql: 5432, 'http-alt': 8080,
};

export function staticResolver(t: StaticResolverTables = {}): SsqResolver {
  const services = t.services ?? WELL_KNOWN_SERVICES;
  return {
    service: (name) => (Object.prototype.hasOwnProperty.call(services, name) ? services[name] : undefined),
    host: (name) => (t.hosts && Object.prototype.hasOwnProperty.call(t.hosts, name) ? t.hosts[name] : []),
    ifindex: (name) => (t.interfaces && Object.prototype.hasOwnProperty.call(t.interfaces, name) ? t.interfaces[name] : undefined),
    cgroupId: (path) => (t.cgroups && Object.prototype.hasOwnProperty.call(t.cgroups, path) ? t.cgroups[path] : undefined),
  };
}
