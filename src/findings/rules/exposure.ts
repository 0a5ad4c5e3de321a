// exposed-no-firewall and udp-amplification: listeners on a wildcard address, and what the firewall
// does with new traffic from outside to their ports (firewall/evaluate.ts). Where a firewall source
// could not be read, only a drop is certain: anything else is "could not tell", never "exposed".
import type { Finding } from '../../protocol/findings';
import { evaluateExposure, iptablesNftTables, type ExposureResult } from '../firewall/evaluate';
import type { IpFamily, Proto } from '../firewall/model';
import type { FindingSocket, Snapshot } from '../snapshot';
import { endpoint, finding, isWildcard, pidsOf, type RuleContext } from './context';

/** Reflection-prone UDP services (the ports that amplification advisories list). */
export const AMPLIFICATION_PORTS: Readonly<Record<number, string>> = {
  17: 'QOTD', 19: 'chargen', 53: 'DNS', 69: 'TFTP', 111: 'portmap', 123: 'NTP', 137: 'NetBIOS', 161: 'SNMP',
  389: 'CLDAP', 520: 'RIP', 1900: 'SSDP', 3283: 'ARD', 3702: 'WS-Discovery', 5353: 'mDNS', 5683: 'CoAP',
  10001: 'Ubiquiti discovery', 11211: 'memcached',
};

interface Listener {
  proto: Proto;
  address: string;
  port: number;
  sockets: FindingSocket[];
}

/** Wildcard tcp listeners and bound udp sockets, one per (protocol, address, port). */
export function wildcardListeners(sockets: readonly FindingSocket[]): Listener[] {
  const out = new Map<string, Listener>();
  for (const s of sockets) {
    const proto: Proto | undefined = s.netid === 'tcp' && s.state === 'LISTEN' ? 'tcp' : s.netid === 'udp' && s.state === 'UNCONN' && s.peerPort === 0 ? 'udp' : undefined;
    if (!proto || s.localPort === 0 || !isWildcard(s.localAddress)) continue;
    const key = `${proto} ${endpoint(s.localAddress, s.localPort)}`;
    const l = out.get(key);
    if (l) l.sockets.push(s);
    else out.set(key, { proto, address: s.localAddress ?? '0.0.0.0', port: s.localPort, sockets: [s] });
  }
  return [...out.values()];
}

/** The worst outcome over the IP versions the listener takes (an IPv6 wildcard takes IPv4 too unless v6only). */
export function exposureOf(snap: Snapshot, l: Listener): ExposureResult {
  const families: IpFamily[] = l.address === '0.0.0.0' ? [4] : l.sockets.every((s) => s.v6only === true) ? [6] : [6, 4];
  const skip = iptablesNftTables(snap.firewall.rulesets);
  const results = families.map((family) => evaluateExposure(snap.firewall.rulesets, { proto: l.proto, port: l.port, family }, skip));
  const rank = { unfiltered: 0, unknown: 1, accepted: 2, filtered: 3, dropped: 4 } as const;
  let worst = results.reduce((a, b) => (rank[b.exposure] < rank[a.exposure] ? b : a));
  // An unread source may hold a rule for the port: only a drop is certain then.
  if (snap.firewall.problems.length && worst.exposure !== 'dropped' && results.some((r) => r.exposure !== 'dropped')) {
    worst = { exposure: 'unknown', because: snap.firewall.problems.join('; ') };
  }
  return worst;
}

export function exposedNoFirewall(ctx: RuleContext): Finding[] {
  const { snap } = ctx;
  const out: Finding[] = [];
  const unknown: { l: Listener; because: string }[] = [];
  for (const l of wildcardListeners(ctx.index.wildcard)) {
    const e = exposureOf(snap, l);
    const where = endpoint(l.address, l.port);
    if (e.exposure === 'unknown') { unknown.push({ l, because: e.because }); continue; }
    if (e.exposure !== 'unfiltered') continue;
    const owner = l.sockets[0].processes?.[0];
    out.push(finding('exposed-no-firewall', `${l.proto}:${where}`, 'warning', {
      title: `${l.proto} ${where}${owner ? ` (${owner.name})` : ''} listens on all interfaces and no firewall rule filters it`,
      detail: `New ${l.proto} traffic from outside the host to port ${l.port} is let in by ${e.because}; no rule accepts, drops or restricts port ${l.port}.`,
      sockets: l.sockets.map((s) => s.cookie),
      processes: pidsOf(l.sockets),
      hint: `Bind it to 127.0.0.1 (or ::1) if only this host needs it, or filter it: nft add rule inet filter input ${l.proto} dport ${l.port} drop (or iptables -A INPUT -p ${l.proto} --dport ${l.port} -j DROP), or accept it from the sources that need it.`,
    }));
  }
  if (unknown.length) {
    const reasons = [...new Set(unknown.map((u) => u.because))];
    out.push(finding('exposed-no-firewall', 'not-evaluated', 'info', {
      title: `Could not tell whether ${unknown.length} wildcard listener${unknown.length === 1 ? ' is' : 's are'} exposed`,
      detail: `${unknown.slice(0, 12).map((u) => `${u.l.proto} ${endpoint(u.l.address, u.l.port)}`).join(', ')}${unknown.length > 12 ? ', ...' : ''}: ${reasons.slice(0, 3).join('; ')}.`,
      sockets: unknown.flatMap((u) => u.l.sockets.map((s) => s.cookie)),
      processes: pidsOf(unknown.flatMap((u) => u.l.sockets)),
      hint: 'Check the ruleset yourself (nft list ruleset; iptables-save), or run sockscope doctor as root so it can read the firewall.',
    }));
  }
  return out;
}

export function udpAmplification(ctx: RuleContext): Finding[] {
  const { snap } = ctx;
  const out: Finding[] = [];
  for (const l of wildcardListeners(ctx.index.wildcard)) {
    const service = AMPLIFICATION_PORTS[l.port];
    if (l.proto !== 'udp' || !service) continue;
    const e = exposureOf(snap, l);
    if (e.exposure === 'dropped') continue;
    const where = endpoint(l.address, l.port);
    const fw = e.exposure === 'unknown' ? `whether the firewall lets it in could not be told (${e.because})` : `the firewall: ${e.exposure} (${e.because})`;
    out.push(finding('udp-amplification', `udp:${where}`, 'warning', {
      title: `${service} on udp ${where} answers on all interfaces: it can be abused for reflection attacks`,
      detail: `udp port ${l.port} (${service}) is bound to a wildcard address; ${fw}. Small spoofed requests to such services produce large replies to the victim.`,
      sockets: l.sockets.map((s) => s.cookie),
      processes: pidsOf(l.sockets),
      hint: `Bind ${service} to the addresses that need it (127.0.0.1 for local use), or drop udp ${l.port} from outside: nft add rule inet filter input udp dport ${l.port} drop; for DNS/NTP also disable recursion/monlist for outside clients.`,
    }));
  }
  return out;
}
