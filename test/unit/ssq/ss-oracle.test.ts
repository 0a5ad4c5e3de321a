// The installed ss is the oracle for what the language accepts: every corpus query is run through
// `ss -n` (argv exactly as a shell would pass it) and through parseArgv with a resolver over this
// system; both must accept or both reject, except for the documented differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { parseArgv, type SsqResolver } from '../../../src/ssq/index';

const hasSs = spawnSync('ss', ['-V']).status === 0;

/** A resolver over /etc/services, /etc/hosts, /sys/class/net and the cgroup2 mount (test-only copy). */
function systemResolver(): SsqResolver {
  const services = new Map<string, number>();
  try {
    for (const line of readFileSync('/etc/services', 'utf8').split('\n')) {
      const m = /^([^#\s]+)\s+(\d+)\/(tcp|udp)(.*)$/.exec(line);
      if (!m) continue;
      for (const n of [m[1], ...m[4].replace(/#.*/, '').trim().split(/\s+/).filter(Boolean)]) {
        services.set(`${n}/${m[3]}`, Number(m[2]));
      }
    }
  } catch { /* none */ }
  const hosts = new Map<string, string[]>();
  try {
    for (const line of readFileSync('/etc/hosts', 'utf8').split('\n')) {
      const f = line.replace(/#.*/, '').trim().split(/\s+/);
      for (const n of f.slice(1)) hosts.set(n, [...(hosts.get(n) ?? []), f[0]]);
    }
  } catch { /* none */ }
  return {
    service: (name, proto) => (proto ? services.get(`${name}/${proto}`) : services.get(`${name}/tcp`) ?? services.get(`${name}/udp`)),
    host: (name) => hosts.get(name) ?? [],
    ifindex: (name) => {
      try {
        return readdirSync('/sys/class/net').includes(name) ? Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8')) : undefined;
      } catch {
        return undefined;
      }
    },
    cgroupId: (path) => {
      try {
        return BigInt(statSync(`/sys/fs/cgroup${path === '/' ? '' : path}`).ino);
      } catch {
        return undefined;
      }
    },
  };
}

/** Shell-like split (the corpus uses single quotes only). */
function argv(cmd: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(cmd))) out.push(m[1] ?? m[2]);
  return out;
}

const ACCEPT_BOTH = [
  '-t', '-tan', '-tuna', '-xa', '-A inet', '-A tcp,udp', '-A inet,!tcp', '-A unix_stream', '-4', '-6 -t', '-0', '-f inet', '-f link', '--tcp --all',
  '--query=udp', '--family=inet6', '-t --numeric --listening', '-tl -H', '-tn -H',
  'state established', 'state syn-rcv', 'state close', 'state unconnected', 'state Established', 'state connected state bucket',
  'exclude listening', 'excl closed', '-a state all', 'state synchronized', 'state big',
  "'( dport = :443 or sport = :443 )'", '( dport = :443 or sport = :443 )', "'sport = :22' or 'dport = :22'",
  'sport = 22', 'sport == 22', 'sport eq 22', 'sport 22', 'dport != 22', 'dport ne 22', 'dport neq 22', 'dport > 1024', 'dport gt 1024',
  'dport < 1024', 'dport lt 1024', 'dport >= 1024', 'dport ge 1024', 'dport geq 1024', 'dport <= 1024', 'dport le 1024', 'dport leq 1024',
  'sport = :ssh', 'sport = 0x16', 'sport = 026', 'sport = *', 'sport = :*', 'dport = :',
  'src 10.0.0.1', 'src = 10.0.0.1', 'src == 10.0.0.1', 'src eq 10.0.0.1', 'dst 10.99/16', 'dst 10.99.0/24', 'src 127.1', 'src 0x7f.1',
  'dst 10.0.0.0/255.0.0.0', 'src [::1]', 'src [::1]:22', 'dst [fd00::/64]', 'dst [::ffff:10.0.0.2]', 'dst *:443', 'dst :443', 'src *', 'dst *:*',
  'src inet:10.0.0.1', 'src inet6:[::1]', 'src any', 'src inet:any', 'src localhost', 'src []',
  'src unix:/tmp/*', 'src unix:@foo', '-x src /run/*', 'src link:ip', 'src link:ip:lo', 'src netlink:rtnl', 'src netlink:rtnl:kernel', 'src vsock:3:22',
  'dev = lo', 'dev lo', 'dev != lo', 'dev 1', 'dev eq lo', 'fwmark = 0x10/0xff', 'fwmark = 5', 'fwmark != 5', 'fwmark ne 1', 'cgroup = /', 'cgroup != /',
  'autobound', 'not autobound', '! autobound', '! ! autobound', 'not ( sport = 1 or sport = 2 )', 'sport = 1 and sport = 2', 'sport = 1 && sport = 2',
  'sport = 1 & sport = 2', 'sport = 1 || sport = 2', 'sport = 1 | sport = 2', 'sport = 1 sport = 2', 'sport = 1 or sport = 2 and sport = 3',
  '-t state listening sport = :22', 'sport = :22 -t', '-o state established \'( dport = :ssh or sport = :ssh )\'',
  "-4 dst 193.233.7/24", "-x src /tmp/.X11-unix/*", 'dst 127.0.0.1 and sport gt :1023',
];

const REJECT_BOTH = [
  'state listen', 'state new-syn-recv', 'state nosuch', 'state', '-A TCP', '-A nosuch', '-f foo', '-q', '--nosuch',
  'sport = :22 state established', 'dport =', 'dport', 'src', 'autobound and', '( )', 'sport = 1 )', '( sport = 1', 'and sport = 1',
  'src ::1', 'src 10.0.0.1/33', 'src 10.0.0.256', 'src [::1', 'src @foo', 'src /tmp/x', 'dst nosuchhost.invalid', 'dst 10.0.0.0/255.0.255.0',
  'dport = nosuchsvc', 'dport = 09', 'dev = nosuch0', 'cgroup = /nonexistent-cgroup', 'fwmark = zz', 'fwmark = 5/',
  'src > 10.0.0.1', '10.0.0.1', 'port = 22', 'sport > > 1', 'dev > lo',
];

/** ss accepts these; Sockscope rejects them on purpose (values that cannot match, or spec states ss 6.1 lacks). */
const ONLY_SS = ['dport = 99999', "'sport = -1'"];
/** Extensions (spec section 3) and newer ss words: Sockscope accepts, ss 6.1 rejects. */
const ONLY_SOCKSCOPE = ['dport>=443', '(sport = :22)', "'!(sport = :443)'", 'dst != 10.0.0.1', 'src != 10.0.0.1', 'state bound-inactive', '--netlink'];

function ssAccepts(args: string[]): boolean {
  const r = spawnSync('ss', ['-n', ...args], { encoding: 'utf8', timeout: 10000, stdio: ['ignore', 'ignore', 'pipe'] });
  return r.status === 0;
}

function weAccept(args: string[], resolver: SsqResolver): boolean {
  return !parseArgv(args, { resolver }).diagnostics.some((d) => d.severity === 'error');
}

test('accept/reject agrees with ss', { skip: !hasSs && 'ss not installed' }, () => {
  const resolver = systemResolver();
  const bad: string[] = [];
  for (const q of ACCEPT_BOTH) {
    const a = argv(q);
    if (!ssAccepts(a)) bad.push(`ss rejects (corpus wrong?): ${q}`);
    if (!weAccept(a, resolver)) bad.push(`we reject: ${q}: ${parseArgv(a, { resolver }).diagnostics.map((d) => d.message).join('; ')}`);
  }
  for (const q of REJECT_BOTH) {
    const a = argv(q);
    if (ssAccepts(a)) bad.push(`ss accepts (corpus wrong?): ${q}`);
    if (weAccept(a, resolver)) bad.push(`we accept: ${q}`);
  }
  for (const q of ONLY_SS) {
    const a = argv(q);
    if (!ssAccepts(a)) bad.push(`ss rejects: ${q}`);
    if (weAccept(a, resolver)) bad.push(`we accept: ${q}`);
  }
  for (const q of ONLY_SOCKSCOPE) {
    const a = argv(q);
    if (ssAccepts(a)) bad.push(`ss accepts: ${q}`);
    if (!weAccept(a, resolver)) bad.push(`we reject: ${q}`);
    const strict = !parseArgv(a, { resolver, extensions: false }).diagnostics.some((d) => d.severity === 'error');
    if (strict && !q.includes('bound-inactive')) bad.push(`accepted with extensions off: ${q}`);
  }
  assert.deepEqual(bad, []);
});
