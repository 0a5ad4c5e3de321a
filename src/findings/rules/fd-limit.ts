// fd-limit: a process near its soft open-file limit (RLIMIT_NOFILE): the next socket() or accept()
// fails with EMFILE. Processes whose limits cannot be read are named, not skipped.
import type { Finding } from '../../protocol/findings';
import { errorOf, valueOf, type ProcessFacts } from '../snapshot';
import { finding, pct, type RuleContext } from './context';

function ratioOf(p: ProcessFacts): number {
  const fds = valueOf(p.fds);
  const limit = valueOf(p.fdLimit);
  return fds === undefined || !limit ? 0 : fds / limit;
}

export function fdLimit(ctx: RuleContext): Finding[] {
  const { snap, th } = ctx;
  const out: Finding[] = [];
  const unreadable: { pid: number; name: string; why: string }[] = [];
  // Each flagged process's sockets, gathered in one pass once the flagged ones are known.
  let socketsOf: Map<number, string[]> | undefined;
  const cookiesOf = (pid: number): string[] => {
    if (!socketsOf) {
      socketsOf = new Map();
      const flagged = new Set(snap.processes.filter((p) => ratioOf(p) >= th['fd-limit.ratio']).map((p) => p.pid));
      for (const s of snap.sockets) {
        for (const r of s.processes ?? []) {
          if (!flagged.has(r.pid)) continue;
          const l = socketsOf.get(r.pid);
          if (l) { if (l[l.length - 1] !== s.cookie) l.push(s.cookie); } else socketsOf.set(r.pid, [s.cookie]);
        }
      }
    }
    return socketsOf.get(pid) ?? [];
  };
  for (const p of snap.processes) {
    const fds = valueOf(p.fds);
    const limit = valueOf(p.fdLimit);
    if (fds === undefined || limit === undefined) {
      unreadable.push({ pid: p.pid, name: p.name, why: (errorOf(p.fds) ?? errorOf(p.fdLimit))! });
      continue;
    }
    if (limit === null || limit === 0) continue;
    const ratio = fds / limit;
    if (ratio < th['fd-limit.ratio']) continue;
    const sockets = cookiesOf(p.pid);
    out.push(finding('fd-limit', `pid:${p.pid}`, ratio >= th['fd-limit.error'] ? 'error' : 'warning', {
      title: `${p.name} (pid ${p.pid}) has ${fds} of ${limit} open files (${pct(ratio)})`,
      detail: `${fds} descriptors open, soft limit (Max open files) ${limit}: ${pct(ratio)} (warning at ${pct(th['fd-limit.ratio'])}, error at ${pct(th['fd-limit.error'])}); ${sockets.length} of them are sockets in this namespace. At the limit socket() and accept() fail with EMFILE.`,
      sockets,
      processes: [p.pid],
      hint: `Look for a descriptor leak (ls -l /proc/${p.pid}/fd | wc -l over time), else raise the limit: LimitNOFILE= in the systemd unit, ulimit -n in the starting shell, or prlimit --pid ${p.pid} --nofile=65536:65536.`,
    }));
  }
  if (unreadable.length) {
    const list = unreadable.slice(0, 10).map((u) => `${u.name} (pid ${u.pid})`).join(', ');
    out.push(finding('fd-limit', 'unreadable', 'info', {
      title: `Open-file limits of ${unreadable.length} process${unreadable.length === 1 ? '' : 'es'} could not be checked`,
      detail: `${list}${unreadable.length > 10 ? `, and ${unreadable.length - 10} more` : ''}: ${unreadable[0].why}.`,
      processes: unreadable.map((u) => u.pid),
      hint: 'Another user\'s /proc/PID/limits and /proc/PID/fd need root: run sockscope doctor with sudo (in VS Code: Show All Processes (root)).',
    }));
  }
  return out;
}
