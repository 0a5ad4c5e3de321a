// close-wait: a process holds sockets its peers closed and it did not. CLOSE-WAIT only ends when the
// process calls close(); a growing count is a leak (often after a peer timed out on a slow reply).
import type { Finding } from '../../protocol/findings';
import { finding, groupBy, type RuleContext } from './context';

export function closeWait(ctx: RuleContext): Finding[] {
  const { snap, th } = ctx;
  const sockets = ctx.index.closeWait;
  const byPid = groupBy(sockets, (s) => String(s.processes?.[0]?.pid ?? 0));
  const out: Finding[] = [];
  for (const [pidText, group] of byPid) {
    const pid = Number(pidText);
    const count = group.length;
    let oldest: number | undefined;
    for (const s of group) {
      const since = ctx.closeWaitSince?.get(s.cookie);
      if (since !== undefined && (oldest === undefined || since < oldest)) oldest = since;
    }
    const ageS = oldest === undefined ? undefined : Math.floor((snap.takenAt - oldest) / 1000);
    const byCount = count >= th['close-wait.count'];
    const byAge = ageS !== undefined && ageS >= th['close-wait.age-seconds'];
    if (!byCount && !byAge) continue;
    const severity = count >= th['close-wait.error'] ? 'error' : 'warning';
    const name = group[0].processes?.[0]?.name;
    const who = pid ? `${name} (pid ${pid})` : 'processes Sockscope cannot see';
    const age = ageS === undefined ? 'how long they have been there is not known yet (seen in one snapshot)' : `the oldest has been in CLOSE-WAIT for at least ${ageS} s (warning at ${th['close-wait.age-seconds']} s)`;
    out.push(finding('close-wait', pid ? `pid:${pid}` : 'unowned', severity, {
      title: `${who} holds ${count} CLOSE-WAIT socket${count === 1 ? '' : 's'}: it is not closing connections its peers closed`,
      detail: `${count} CLOSE-WAIT (warning at ${th['close-wait.count']}, error at ${th['close-wait.error']}); ${age}.`,
      sockets: group.map((s) => s.cookie),
      processes: pid ? [pid] : [],
      hint: `The process must close() a socket once read() returns 0 (EOF). Look for a code path that returns early without closing, or a pool that never releases. See them: sockscope -tnpo state close-wait${pid ? ` (pid ${pid})` : ''}.`,
    }));
  }
  return out;
}
