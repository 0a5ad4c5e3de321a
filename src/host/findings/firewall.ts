// Reads the firewall of a namespace: `nft -j list ruleset`, `iptables-save`, `ip6tables-save`
// (iptables-nft or legacy, whichever `iptables` is). A tool that is missing, refuses (not root), or
// prints what the parser does not understand becomes a problem line, never a silent gap.
import { parseIptablesSave, parseNftJson, type FirewallFacts, type Ruleset } from '../../findings/index';
import { findTool, runTool, type CommandResult } from './netns-read';

function failure(tool: string, r: CommandResult): string {
  if (r.error) return `${tool}: ${r.error}`;
  const msg = r.stderr.trim().split('\n')[0] ?? '';
  if (/permission|not permitted|you must be root/i.test(msg)) return `${tool}: permission denied (reading the ruleset needs root or CAP_NET_ADMIN)`;
  return `${tool}: exited with ${r.status}${msg ? `: ${msg.slice(0, 200)}` : ''}`;
}

export async function readFirewall(netnsPath?: string): Promise<FirewallFacts> {
  const rulesets: Ruleset[] = [];
  const problems: string[] = [];
  const nft = findTool('nft');
  const jobs: Promise<void>[] = [];
  if (!nft) problems.push('nft: not installed (nftables rules, if any, were not read)');
  else {
    jobs.push(runTool(nft, ['-j', 'list', 'ruleset'], netnsPath).then((r) => {
      if (r.status !== 0) { problems.push(failure('nft', r)); return; }
      // An empty ruleset prints nothing with some versions.
      if (r.stdout.trim() === '') { rulesets.push({ source: 'nftables', tables: [] }); return; }
      try { rulesets.push(parseNftJson(r.stdout)); } catch (e) { problems.push(`nft: ruleset not understood: ${(e as Error).message}`); }
    }));
  }
  // Without iptables installed there are no iptables rules but those nft lists (iptables-nft's
  // tables are nftables tables); legacy xtables need the iptables-legacy tools to exist at all.
  for (const [tool, source] of [['iptables-save', 'iptables'], ['ip6tables-save', 'ip6tables']] as const) {
    const path = findTool(tool);
    if (!path) continue;
    jobs.push(runTool(path, [], netnsPath).then((r) => {
      if (r.status !== 0) { problems.push(failure(tool, r)); return; }
      try { rulesets.push(parseIptablesSave(r.stdout, source)); } catch (e) { problems.push(`${tool}: not understood: ${(e as Error).message}`); }
    }));
  }
  await Promise.all(jobs);
  // Order does not change the outcome, but keep output stable.
  rulesets.sort((a, b) => a.source.localeCompare(b.source));
  problems.sort();
  return { rulesets, problems };
}
