// diag-unavailable: what the user sees is partial: sock_diag refused (seccomp), a protocol's diag
// module missing (read from /proc/net instead, or not at all), a dump interrupted, processes
// that could not be read, a firewall that could not be read.
import type { Finding } from '../../protocol/findings';
import { finding, sysctlNumber, type RuleContext } from './context';

export function diagUnavailable(ctx: RuleContext): Finding[] {
  const { snap } = ctx;
  const d = snap.diag;
  const out: Finding[] = [];
  if (d.error) {
    out.push(finding('diag-unavailable', 'dump-failed', 'error', {
      title: 'The socket dump failed: no socket findings could be made',
      detail: d.error,
      hint: /EPERM|EACCES|permission/i.test(d.error)
        ? 'sock_diag was refused: a container seccomp profile may block NETLINK_SOCK_DIAG (docker run --security-opt seccomp=... allowing socket(AF_NETLINK)), or run with the privileges the namespace needs.'
        : 'Run sockscope -tan to see the error alone; SOCKSCOPE_DEBUG=1 prints more.',
    }));
  }
  const partial = [...d.procfs, ...d.skipped];
  if (partial.length) {
    out.push(finding('diag-unavailable', `kinds:${[...new Set(partial)].join(',')}`, 'warning', {
      title: `Partial view: ${[...new Set(partial)].join(', ')} sockets ${d.skipped.length ? 'are missing or ' : ''}came from /proc/net instead of sock_diag`,
      detail: `${d.notes.join('; ')}. Rules that need tcp_info or cookies (retransmits, window-limited) see nothing for those sockets.`,
      hint: 'Load the diag modules (modprobe tcp_diag udp_diag inet_diag raw_diag), or allow NETLINK_SOCK_DIAG in the container\'s seccomp profile.',
    }));
  }
  const inconsistent = d.notes.filter((n) => /inconsistent|interrupted|truncated/.test(n));
  if (inconsistent.length) {
    const rmem = sysctlNumber(snap, 'net.core.rmem_max').value;
    out.push(finding('diag-unavailable', 'interrupted', 'warning', {
      title: 'A socket dump was interrupted: some sockets may be missing or repeated',
      detail: `${inconsistent.join('; ')}. net.core.rmem_max = ${rmem ?? '?'}.`,
      hint: 'The socket table changed faster than the dump was read; run again, and give netlink sockets a larger receive buffer: sysctl -w net.core.rmem_max=8388608.',
    }));
  }
  if (snap.invisibleProcesses > 0) {
    out.push(finding('diag-unavailable', 'processes', 'info', {
      title: `${snap.invisibleProcesses} process${snap.invisibleProcesses === 1 ? '' : 'es'} could not be read: their sockets have no owner in these findings`,
      detail: `${snap.invisibleProcesses} processes' /proc/PID/fd could not be read (another user's, without root); close-wait and fd-limit cannot name them.`,
      hint: 'Run sockscope doctor with sudo (in VS Code: Show All Processes (root)).',
    }));
  }
  for (const p of snap.firewall.problems) {
    out.push(finding('diag-unavailable', `firewall:${p.split(':')[0]}`, 'info', {
      title: `Firewall not fully read: ${p.split(':')[0]}`,
      detail: `${p}. Listeners are not called exposed where this source might filter them.`,
      hint: 'Install the tool (Debian: nftables, iptables) or run as root (reading the ruleset needs CAP_NET_ADMIN).',
    }));
  }
  return out;
}
