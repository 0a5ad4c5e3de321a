// Hover and completion documentation for the filter keywords (ss(8), EXPRESSION and STATE-FILTER).

export interface KeywordDoc {
  name: string;
  aliases: string[];
  /** Syntax line shown in hovers. */
  syntax: string;
  doc: string;
  /** What follows the keyword: drives completion after it. */
  takes: 'state' | 'host' | 'port' | 'dev' | 'mark' | 'cgroup' | 'nothing';
}

export const KEYWORD_DOCS: readonly KeywordDoc[] = [
  { name: 'state', aliases: [], syntax: 'state STATE', takes: 'state', doc: 'Adds a state or state group to the set of states to match. Several `state` words add up. Must come before the expression.' },
  { name: 'exclude', aliases: ['excl'], syntax: 'exclude STATE', takes: 'state', doc: 'Removes a state or group. When the first state word is `exclude`, the set starts from `all`. Must come before the expression.' },
  { name: 'src', aliases: [], syntax: 'src [=] [FAMILY:]ADDRESS[/PREFIX][:PORT]', takes: 'host', doc: 'Matches the local (source) address. IPv6 needs brackets (`[::1]:443`); `*` is any address; a unix address is a glob over the path.' },
  { name: 'dst', aliases: [], syntax: 'dst [=] [FAMILY:]ADDRESS[/PREFIX][:PORT]', takes: 'host', doc: 'Matches the remote (destination) address. Only `=` (or nothing) is allowed: write `not dst X`, not `dst != X`.' },
  { name: 'sport', aliases: [], syntax: 'sport [OP] [FAMILY:]:PORT', takes: 'port', doc: 'Compares the local (source) port. OP is one of `= != < <= > >=` (or their word forms). PORT is a number, hex, octal, a service name from /etc/services, or `*`.' },
  { name: 'dport', aliases: [], syntax: 'dport [OP] [FAMILY:]:PORT', takes: 'port', doc: 'Compares the remote (destination) port. OP is one of `= != < <= > >=` (or their word forms).' },
  { name: 'dev', aliases: [], syntax: 'dev [=|!=] DEVICE', takes: 'dev', doc: 'Matches the interface the socket is bound to, by name or index. ss sends no kernel bytecode when `dev` is used.' },
  { name: 'fwmark', aliases: [], syntax: 'fwmark [=|!=] MARK[/MASK]', takes: 'mark', doc: 'Matches the socket mark (SO_MARK). With a mask only the masked bits compare: `fwmark = 0x01/0x03`.' },
  { name: 'cgroup', aliases: [], syntax: 'cgroup [=|!=] PATH', takes: 'cgroup', doc: 'Matches sockets whose cgroup (v2) is at PATH, relative to the cgroup2 mount, e.g. `/system.slice/ssh.service`.' },
  { name: 'autobound', aliases: [], syntax: 'autobound', takes: 'nothing', doc: 'Matches sockets whose local port or path was picked by the kernel rather than bound explicitly.' },
];

export function findKeywordDoc(word: string): KeywordDoc | undefined {
  return KEYWORD_DOCS.find((k) => k.name === word || k.aliases.includes(word));
}

export function keywordMarkdown(k: KeywordDoc): string {
  const aka = k.aliases.length ? ` (also ${k.aliases.map((a) => `\`${a}\``).join(', ')})` : '';
  return `**\`${k.name}\`**${aka}\n\n\`\`\`ssq\n${k.syntax}\n\`\`\`\n\n${k.doc}`;
}
