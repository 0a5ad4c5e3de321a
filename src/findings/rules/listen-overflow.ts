// listen-overflow: a listener's accept queue is full (Recv-Q, the connections waiting for accept(),
// reached Send-Q, the backlog), or the kernel's ListenOverflows/ListenDrops counters grew.
import type { Finding } from '../../protocol/findings';
import { counter, delta, endpoint, finding, ownerText, pct, sysctlNumber, type RuleContext } from './context';

export function listenOverflow(ctx: RuleContext): Finding[] {
  const { snap, th } = ctx;
  const out: Finding[] = [];
  const somaxconn = sysctlNumber(snap, 'net.core.somaxconn').value;
  const raise = `raise the backlog the program passes to listen()${somaxconn !== undefined ? ` (the kernel caps it at net.core.somaxconn = ${somaxconn}: sysctl -w net.core.somaxconn=4096)` : ' (capped by net.core.somaxconn)'}`;
  const full: string[] = [];
  for (const s of ctx.index.listeners) {
    if (s.sendQ <= 0) continue;
    const fill = s.recvQ / s.sendQ;
    const isFull = s.recvQ >= s.sendQ;
    if (!isFull && fill < th['listen-overflow.fill']) continue;
    if (isFull) full.push(s.cookie);
    const where = endpoint(s.localAddress, s.localPort);
    out.push(finding('listen-overflow', where, isFull ? 'error' : 'warning', {
      title: `${where} (${ownerText(s)}): accept queue ${isFull ? 'full' : 'nearly full'}, ${s.recvQ} of ${s.sendQ}`,
      detail: `Recv-Q ${s.recvQ} waiting for accept(), backlog (Send-Q) ${s.sendQ}: ${pct(fill)} (warning at ${pct(th['listen-overflow.fill'])}, error when full). New connections are dropped or delayed while it is full.`,
      sockets: [s.cookie],
      processes: (s.processes ?? []).map((p) => p.pid),
      hint: `The program is not calling accept() fast enough: accept in a loop or on more threads, and ${raise}.`,
    }));
  }
  const overflows = delta(ctx, 'TcpExt.ListenOverflows');
  const drops = delta(ctx, 'TcpExt.ListenDrops');
  if ((overflows ?? 0) > 0 || (drops ?? 0) > 0) {
    const seconds = ctx.prev ? Math.max(0, (snap.takenAt - ctx.prev.takenAt) / 1000) : 0;
    out.push(finding('listen-overflow', 'counters', 'error', {
      title: `Connections were dropped at a full accept queue: ListenOverflows +${overflows ?? 0}, ListenDrops +${drops ?? 0} in ${seconds.toFixed(1)} s`,
      detail: `TcpExt.ListenOverflows grew by ${overflows ?? 0} and TcpExt.ListenDrops by ${drops ?? 0} since the previous snapshot (threshold: any growth).${full.length ? ` Full listeners now: ${full.length}.` : ' No listener is full at this moment; the overflow was in between.'}`,
      sockets: full,
      hint: `Find the listener with a Recv-Q near its Send-Q (sockscope -ltn) and ${raise}.`,
    }));
  } else if (!ctx.prev) {
    const total = counter(snap, 'TcpExt.ListenOverflows');
    if (total !== undefined && total > 0) {
      out.push(finding('listen-overflow', 'since-boot', 'info', {
        title: `${total} connections overflowed an accept queue since the namespace started`,
        detail: `TcpExt.ListenOverflows is ${total} (ListenDrops ${counter(snap, 'TcpExt.ListenDrops') ?? '?'}); one snapshot cannot tell whether it still happens.`,
        hint: 'Run `sockscope doctor --interval 5` to see whether the counter grows, or watch it in the Findings view.',
      }));
    }
  }
  return out;
}
