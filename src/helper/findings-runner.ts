// The `findings` request: a fresh dump of the namespace, the kernel facts and firewall around it
// (src/host/findings), and the rules (src/findings) with one FindingsSession per namespace, so
// counters are compared with this client's previous call and CLOSE-WAIT ages accumulate. The
// firewall is re-read at most every FIREWALL_MAX_AGE_MS: it changes rarely and costs processes.
import { ResponseError } from 'vscode-jsonrpc/node';
import { FindingsSession, resolveThresholds, socketSummary, type FirewallFacts } from '../findings/index';
import { collectSnapshot } from '../host/findings/collect';
import { readFirewall } from '../host/findings/firewall';
import type { FindingsParams, FindingsResult } from '../protocol/helper-protocol';
import { ErrorCodes } from '../protocol/helper-protocol';
import { describeNetns, netnsPath } from './netns';
import type { SocketSource } from './socket-engine';

const FIREWALL_MAX_AGE_MS = 10_000;
const MAX_SESSIONS = 8;

export class FindingsRunner {
  private readonly sessions = new Map<string, FindingsSession>();
  private readonly firewalls = new Map<string, { at: number; facts: Promise<FirewallFacts> }>();

  constructor(private readonly source: SocketSource, private readonly now: () => number = () => Date.now()) {}

  async run(p: FindingsParams): Promise<FindingsResult> {
    if (!this.source.findingSockets) throw new ResponseError(ErrorCodes.NotSupported, 'this helper has no findings');
    const { thresholds, errors } = resolveThresholds(p.thresholds, 'thresholds');
    if (errors.length) throw new ResponseError(ErrorCodes.InvalidParams, errors[0], errors);
    const path = netnsPath(p.netns);
    const key = path ?? '';
    const dump = this.source.findingSockets(p.netns);
    const snapshot = await collectSnapshot({
      sockets: dump.sockets, diag: dump.diag, invisibleProcesses: dump.invisibleProcesses,
      firewall: this.firewall(key, path), ...(path ? { netnsPath: path, netns: describeNetns(p.netns) } : {}),
      takenAt: this.now(),
    });
    let session = this.sessions.get(key);
    if (!session) {
      if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
      session = new FindingsSession(thresholds);
      this.sessions.set(key, session);
    }
    session.setThresholds(thresholds);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const findings = session.run(snapshot);
    const used = process.cpuUsage(cpu);
    const rulesMs = performance.now() - started;
    return { findings, summary: socketSummary(snapshot.counters), rulesMs, rulesCpuMs: (used.user + used.system) / 1000, sockets: snapshot.sockets.length };
  }

  private firewall(key: string, path: string | undefined): Promise<FirewallFacts> {
    const hit = this.firewalls.get(key);
    if (hit && this.now() - hit.at < FIREWALL_MAX_AGE_MS) return hit.facts;
    const facts = readFirewall(path);
    this.firewalls.set(key, { at: this.now(), facts });
    return facts;
  }
}
