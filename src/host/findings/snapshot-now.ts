// One findings Snapshot of a namespace, from scratch: a tcp and udp dump (tcp_info, processes), the
// kernel facts and the firewall. What `sockscope doctor` runs, and what any other program (the
// Prometheus exporter) can hand to runFindings.
import { ALL_STATES, SockDiag, type Socket } from '../../netlink/index';
import type { DiagFacts, FindingSocket, Snapshot } from '../../findings/index';
import { ProcessMapJob } from '../process-map';
import { collectSnapshot } from './collect';
import { readFirewall } from './firewall';
import { labelProcesses, toFindingSocket } from './finding-socket';
import { ProcessIdentities } from '../process-identity';

export interface FindingDump { sockets: FindingSocket[]; diag: DiagFacts; invisibleProcesses: number }

/**
 * Every tcp and udp socket as the rules read them. A dump that fails is reported in `diag.error`
 * (the diag-unavailable rule says so); a namespace that cannot be entered throws NetlinkError.
 */
export async function dumpFindingSockets(netnsPath?: string): Promise<FindingDump> {
  const job = new ProcessMapJob();
  // dumpBatched's sockets are transient: converted at once, processes joined after the dump.
  const sockets: FindingSocket[] = [];
  const inodes: number[] = [];
  const take = (s: Socket): void => { sockets.push(toFindingSocket(s)); inodes.push(s.inode); };
  const notes: string[] = [];
  const procfs: string[] = [];
  const skipped: string[] = [];
  let error: string | undefined;
  const diag = SockDiag.open(netnsPath ? { netnsPath } : {});
  try {
    for (const kind of ['tcp', 'udp'] as const) {
      const n = await diag.dumpBatched({ kinds: [kind], states: ALL_STATES, ext: { info: kind === 'tcp' } }, take);
      notes.push(...n.notes);
      procfs.push(...n.procfs);
      skipped.push(...n.skipped);
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    diag.close();
  }
  const pm = job.join();
  sockets.forEach((s, i) => { const p = inodes[i] ? pm.byInode.get(inodes[i]) : undefined; if (p) s.processes = p; });
  // Findings name processes by what they are, as the Sockets view does.
  const identities = new ProcessIdentities();
  const labels = new Map<number, string | undefined>();
  labelProcesses(sockets, (pid) => { if (!labels.has(pid)) labels.set(pid, identities.get(pid)?.label); return labels.get(pid); });
  return { sockets, diag: { notes, procfs, skipped, ...(error ? { error } : {}) }, invisibleProcesses: pm.unreadable };
}

/** A whole Snapshot now; the firewall is read by child processes while the dump runs. */
export async function snapshotNow(netnsPath?: string, netns?: string): Promise<Snapshot> {
  const firewall = readFirewall(netnsPath);
  const d = await dumpFindingSockets(netnsPath);
  return collectSnapshot({
    sockets: d.sockets, diag: d.diag, invisibleProcesses: d.invisibleProcesses, firewall,
    ...(netnsPath ? { netnsPath } : {}), ...(netns ? { netns } : {}),
  });
}
