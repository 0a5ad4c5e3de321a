// `sockscope doctor [-N NETNS] [--json] [--interval SECONDS] [--threshold NAME=VALUE ...] [--config FILE]`:
// the findings (src/findings) for one namespace, as text grouped by severity or as a JSON array.
// Exit status: 0 without an error finding, 1 with one, 2 on a usage error.
import { readFileSync } from 'node:fs';
import { NetlinkError } from '../../netlink/index';
import {
  FindingsSession, THRESHOLDS, THRESHOLD_NAMES, resolveThresholds,
  type Finding, type Snapshot,
} from '../../findings/index';
import { SEVERITIES } from '../../protocol/findings';
import { snapshotNow } from '../../host/findings/snapshot-now';
import { CliError } from '../errors';
import { Output } from '../output';
import { netnsPathOf } from '../run';

export const DOCTOR_USAGE = `Usage: sockscope doctor [ OPTIONS ]
   -N, --net NETNS        look at the network namespace NETNS (a name under /run/netns, or a path)
       --json             print the findings as a JSON array
       --interval SECONDS take two snapshots SECONDS apart, so counters that grow are seen
       --threshold NAME=VALUE
                          override a threshold (repeatable); NAME is one of:
${THRESHOLD_NAMES.map((n) => `                            ${n.padEnd(34)} ${THRESHOLDS[n].value}`).join('\n')}
       --config FILE      a JSON file {"thresholds": {NAME: VALUE, ...}}
   -h, --help             this message
Exit status: 0 when no finding is an error, 1 otherwise, 2 on a usage error.
`;

interface DoctorArgs {
  netns?: string;
  json: boolean;
  help: boolean;
  intervalS: number;
  overrides: Record<string, unknown>;
  config?: string;
}

export function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
  const a: DoctorArgs = { json: false, help: false, intervalS: 0, overrides: {} };
  const value = (i: number, opt: string): string => {
    if (i >= argv.length) throw new CliError(`doctor: ${opt} needs a value`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i];
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const [opt, inline] = eq > 0 ? [w.slice(0, eq), w.slice(eq + 1)] : [w, undefined];
    const next = (): string => inline ?? value(++i, opt);
    if (opt === '-N' || opt === '--net') a.netns = next();
    else if (/^-N./.test(w)) a.netns = w.slice(2);
    else if (opt === '--json') a.json = true;
    else if (opt === '-h' || opt === '--help') a.help = true;
    else if (opt === '--interval') {
      const v = next();
      const n = Number(v);
      if (!/^\d+(\.\d+)?$/.test(v) || n > 3600) throw new CliError(`doctor: --interval must be a number of seconds (0 to 3600), got "${v}"`);
      a.intervalS = n;
    } else if (opt === '--threshold') {
      const v = next();
      const m = /^([a-z-]+\.[a-z-]+)=(.*)$/.exec(v);
      if (!m) throw new CliError(`doctor: --threshold takes NAME=VALUE, got "${v}"`);
      a.overrides[m[1]] = m[2];
    } else if (opt === '--config') a.config = next();
    else throw new CliError(`doctor: unknown option "${w}" (see sockscope doctor --help)`);
  }
  return a;
}

function readConfig(file: string): Record<string, unknown> {
  let doc: unknown;
  try { doc = JSON.parse(readFileSync(file, 'utf8')); } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CliError(`doctor: cannot read --config ${file}: ${err.code ?? err.message}`);
  }
  const th = (doc as { thresholds?: unknown } | null)?.thresholds;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || (th !== undefined && (typeof th !== 'object' || th === null || Array.isArray(th)))) {
    throw new CliError(`doctor: ${file}: expected {"thresholds": {NAME: VALUE, ...}}`);
  }
  const unknown = Object.keys(doc).filter((k) => k !== 'thresholds');
  if (unknown.length) throw new CliError(`doctor: ${file}: unknown key "${unknown[0]}" (expected "thresholds")`);
  return (th ?? {}) as Record<string, unknown>;
}

async function snapshotOf(netnsPath: string | undefined, netns: string | undefined): Promise<Snapshot> {
  try {
    return await snapshotNow(netnsPath, netns);
  } catch (e) {
    if (e instanceof NetlinkError && netns && (e.errno === 1 || e.errno === 13)) throw new CliError(`permission denied entering network namespace "${netns}" (needs root or CAP_SYS_ADMIN)`, 1);
    if (e instanceof NetlinkError) throw new CliError(`${netns ? `cannot open network namespace "${netns}"` : 'cannot open a sock_diag socket'}: ${e.message}`, 1);
    throw e;
  }
}

const HEADINGS = { error: 'Errors', warning: 'Warnings', info: 'Information' } as const;

/** The text form: one block per severity, each finding with its numbers, evidence counts and hint. */
export function doctorText(findings: readonly Finding[], where: string): string {
  if (findings.length === 0) return `sockscope doctor: no findings in ${where}.\n`;
  let out = '';
  for (const sev of SEVERITIES) {
    const group = findings.filter((f) => f.severity === sev);
    if (!group.length) continue;
    out += `${HEADINGS[sev]} (${group.length})\n`;
    for (const f of group) {
      out += `  ${sev.toUpperCase().padEnd(7)} ${f.rule}: ${f.title}\n`;
      out += `          ${f.detail}\n`;
      const ev: string[] = [];
      if (f.sockets.length) ev.push(`sockets ${f.sockets.slice(0, 8).map((c) => `sk:${c}`).join(' ')}${f.sockets.length > 8 ? ` (+${f.sockets.length - 8})` : ''}`);
      if (f.processes.length) ev.push(`pids ${f.processes.slice(0, 8).join(' ')}${f.processes.length > 8 ? ` (+${f.processes.length - 8})` : ''}`);
      if (ev.length) out += `          ${ev.join('; ')}\n`;
      out += `          hint: ${f.hint}\n`;
    }
    out += '\n';
  }
  const counts = SEVERITIES.map((s) => { const n = findings.filter((f) => f.severity === s).length; return `${n} ${s}${n === 1 || s === 'info' ? '' : 's'}`; }).join(', ');
  return out + `${counts} in ${where}.\n`;
}

export async function runDoctor(argv: readonly string[]): Promise<number> {
  const a = parseDoctorArgs(argv);
  const stdout = new Output(1);
  if (a.help) { stdout.write(DOCTOR_USAGE); stdout.flush(); return 0; }
  const overrides = { ...(a.config ? readConfig(a.config) : {}), ...a.overrides };
  const { thresholds, errors } = resolveThresholds(overrides, a.config && Object.keys(a.overrides).length === 0 ? a.config : 'doctor');
  if (errors.length) throw new CliError(errors[0]);
  const netnsPath = a.netns ? netnsPathOf(a.netns) : undefined;
  const session = new FindingsSession(thresholds);
  let findings = session.run(await snapshotOf(netnsPath, a.netns));
  if (a.intervalS > 0) {
    await new Promise((r) => setTimeout(r, a.intervalS * 1000));
    findings = session.run(await snapshotOf(netnsPath, a.netns));
  }
  stdout.write(a.json ? JSON.stringify(findings, null, 2) + '\n' : doctorText(findings, a.netns ? `network namespace ${a.netns}` : 'this network namespace'));
  stdout.flush();
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}
