// Name resolution for filters the helper evaluates. Unlike the CLI it never runs a command and
// never resolves a path taken from a request outside the cgroup tree: services and hosts come from
// /etc/services and /etc/hosts, interfaces from /sys/class/net of the helper's own namespace.
import type { SsqResolver } from '../ssq';
import { NameResolver } from '../host/name-resolver';

/** A resolver for one request. `ownNamespace` false: interface names are not resolved (no /sys view of it). */
export function filterResolver(ownNamespace: boolean): SsqResolver {
  const names = new NameResolver();
  return {
    service: (name, proto) => names.servicePorts(name, proto ? [proto] : ['tcp', 'udp'])[0],
    host: (name) => names.hostsFileAddresses(name),
    ifindex: (name) => (ownNamespace ? names.interfaceIndex(name) : /^\d+$/.test(name) ? Number(name) : undefined),
    cgroupId: (path) => (path.split('/').includes('..') ? undefined : names.cgroupId(path)),
  };
}

/** Interface index -> name in the helper's own namespace (undefined elsewhere: records show the index). */
export function interfaceNamer(ownNamespace: boolean): ((index: number) => string | undefined) | undefined {
  if (!ownNamespace) return undefined;
  const names = new NameResolver();
  return (index) => names.interfaceName(index);
}
