// The firewall in a neutral form, whatever it was read from (nft -j, iptables-save): tables of
// chains of rules, each rule a list of conditions (all must hold) and a verdict. Conditions keep
// what the rule said; deciding whether a packet from outside the host matches is evaluate.ts's job.

export type Proto = 'tcp' | 'udp';
export type IpFamily = 4 | 6;

export type Cond =
  /** The layer-4 protocol is (or, negated, is not) one of `protos` (lowercase names or numbers as text). */
  | { kind: 'proto'; protos: string[]; negate: boolean }
  /** The destination (or source) port is in one of `ranges`; `proto` when the match implies one. */
  | { kind: 'dport' | 'sport'; ranges: [number, number][]; proto?: Proto; negate: boolean }
  /** The input interface is one of `names`. */
  | { kind: 'iif'; names: string[]; negate: boolean }
  /** The conntrack state is one of `states` (lowercase: new, established, related, invalid, untracked). */
  | { kind: 'ctstate'; states: string[]; negate: boolean }
  /** Source or destination address in one of the prefixes; `any` when one of them is /0. */
  | { kind: 'saddr' | 'daddr'; any: boolean; negate: boolean; text: string }
  /** Only this IP version (nft `meta nfproto`, `ip`/`ip6` payload in an inet table). */
  | { kind: 'family'; family: IpFamily }
  /** Holds for some packets of a flow and not others (rate limits, quotas, TCP flags other than SYN). */
  | { kind: 'some'; what: string }
  /** Not understood: the evaluator cannot say whether it matches. */
  | { kind: 'unknown'; what: string };

export type Verdict =
  | { kind: 'accept' | 'drop' | 'return' | 'continue' }
  | { kind: 'jump' | 'goto'; chain: string }
  /** A terminal verdict the evaluator cannot follow (queue to userspace, ...). */
  | { kind: 'unknown'; what: string };

export interface Rule {
  conds: Cond[];
  verdict: Verdict;
  /** The rule as the user would recognise it (iptables-save line, or a short nft rendering), for evidence. */
  text: string;
}

export type Hook = 'prerouting' | 'input' | 'ingress';

export interface Chain {
  name: string;
  rules: Rule[];
  /** Base chains only: where packets enter it, its policy, and its priority (lower runs first). */
  base?: { hook: Hook; policy: 'accept' | 'drop'; priority: number };
}

export interface Table {
  /** `inet filter`, `ip nat`, `iptables filter` ... */
  name: string;
  /** IP versions the table sees. */
  families: IpFamily[];
  chains: Record<string, Chain>;
}

export interface Ruleset {
  source: 'nftables' | 'iptables' | 'ip6tables';
  /** iptables only: which kernel interface its rules live in (from iptables-save's header), if it says. */
  backend?: 'nf_tables' | 'legacy';
  tables: Table[];
}

/** A ruleset that could not be parsed: where and why. */
export class FirewallFormatError extends Error {
  constructor(readonly source: string, readonly where: string, why: string) {
    super(`${source}: ${where}: ${why}`);
    this.name = 'FirewallFormatError';
  }
}
