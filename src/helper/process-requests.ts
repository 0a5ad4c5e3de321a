// The `processes` request: identities (host/process-identity.ts) of asked-for processes and their
// process trees, or of every process with the ports it listens on (the client's Follow Process…
// picker). Trees come from the parents the socket engine's live process map already reads on every
// watch tick, so following a tree costs no extra pass over /proc.
import type { ProcessesParams, ProcessesResult } from '../protocol/helper-protocol';
import type { ProcessIdentity } from '../protocol/process-identity';
import { ProcessIdentities } from '../host/process-identity';
import { descendants, readParents } from '../host/process-tree';
import type { SocketSource } from './socket-engine';

export class ProcessService {
  private readonly identities = new ProcessIdentities();
  private calls = 0;

  constructor(private readonly source: Pick<SocketSource, 'dump' | 'parents'>) {}

  processes(p: ProcessesParams): ProcessesResult {
    const parents = this.source.parents?.() ?? readParents();
    // Forget exited processes now and then (identities are cached by pid).
    if (++this.calls % 32 === 0) this.identities.prune(new Set(parents.keys()));
    if (p.all) return { processes: this.all(parents), missing: [] };
    const asked = [...new Set(p.pids ?? [])];
    const pids = p.children ? descendants(parents, asked) : asked;
    const processes: ProcessIdentity[] = [];
    const found = new Set<number>();
    for (const pid of pids) {
      const id = this.identities.get(pid);
      if (!id) continue;
      processes.push(id);
      found.add(pid);
    }
    return { processes, missing: asked.filter((pid) => !found.has(pid)) };
  }

  private all(parents: Map<number, number>): ProcessIdentity[] {
    const ports = new Map<number, Set<number>>();
    this.source.dump({ netids: ['tcp', 'udp'], states: ['LISTEN', 'UNCONN'], extensions: { processes: true } }, (r) => {
      if (r.localPort === 0) return;
      for (const ref of r.processes ?? []) {
        const set = ports.get(ref.pid);
        if (set) set.add(r.localPort);
        else ports.set(ref.pid, new Set([r.localPort]));
      }
    });
    const out: ProcessIdentity[] = [];
    for (const pid of [...parents.keys()].sort((a, b) => a - b)) {
      const id = this.identities.get(pid);
      if (!id || id.cmdline.length === 0) continue; // kernel threads
      const mine = ports.get(pid);
      out.push(mine ? { ...id, ports: [...mine].sort((a, b) => a - b) } : id);
    }
    return out;
  }
}
