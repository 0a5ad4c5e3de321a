// The system (Debian) packages the tests need: the one list. `npm test` (scripts/test.mjs) checks the
// packages of the stages it runs before it runs any: as root with apt-get it installs what is missing
// (saying so), otherwise it stops at once naming the packages and the command that installs them.
// To add one: append an entry (Debian package name, a file it installs to detect it where dpkg is absent,
// the stages that need it, and why).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** @type {ReadonlyArray<{ pkg: string; provides: string[]; stages: string[]; why: string }>} */
export const SYSTEM_PACKAGES = [
  { pkg: 'iproute2', provides: ['/usr/bin/ss', '/bin/ss', '/usr/sbin/ss', '/sbin/ip', '/usr/sbin/ip', '/usr/bin/ip'], stages: ['unit', 'system', 'lsp', 'e2e'], why: 'ss (the reference the tests compare with) and ip netns' },
  { pkg: 'util-linux', provides: ['/usr/bin/nsenter', '/usr/bin/unshare'], stages: ['system', 'e2e'], why: 'nsenter and unshare for the test network namespaces' },
  { pkg: 'sudo', provides: ['/usr/bin/sudo'], stages: ['system'], why: 'the helper privilege tests (sudo -n, sudo -S)' },
  { pkg: 'python3', provides: ['/usr/bin/python3'], stages: ['system', 'e2e'], why: 'test peers that open sockets the tests look at' },
  { pkg: 'nftables', provides: ['/usr/sbin/nft'], stages: ['system'], why: 'firewall rules in test namespaces (findings)' },
  { pkg: 'iptables', provides: ['/usr/sbin/iptables'], stages: ['system'], why: 'firewall rules in test namespaces' },
  { pkg: 'prometheus', provides: ['/usr/bin/prometheus'], stages: ['system'], why: 'fleet metrics of saved queries, scraped by a real Prometheus' },
  { pkg: 'sqlite3', provides: ['/usr/bin/sqlite3'], stages: ['system'], why: 'socket history recordings, read back with the sqlite3 shell' },
  { pkg: 'chromium', provides: ['/usr/bin/chromium'], stages: ['e2e'], why: 'the browser Playwright drives code-server with' },
  { pkg: 'libkrb5-dev', provides: ['/usr/include/krb5.h', '/usr/include/krb5/krb5.h'], stages: ['e2e'], why: "code-server's native modules build against it" },
  { pkg: 'g++', provides: ['/usr/bin/g++'], stages: ['e2e'], why: "code-server's native modules" },
  { pkg: 'make', provides: ['/usr/bin/make'], stages: ['e2e'], why: "code-server's native modules" },
];

function hasDpkg() {
  return spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Whether a package is installed: dpkg's word where there is dpkg, else one of the files it provides. */
export function isInstalled(entry, dpkg = hasDpkg()) {
  if (dpkg) {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', entry.pkg], { encoding: 'utf8' });
    if (r.status === 0 && /install ok installed/.test(r.stdout)) return true;
    // A tool installed another way (built from source, another distribution's package) is fine too.
  }
  return entry.provides.some((f) => existsSync(f));
}

/** The packages the stages need and that are missing, in list order. */
export function missingPackages(stages, list = SYSTEM_PACKAGES, installed = isInstalled) {
  const dpkg = hasDpkg();
  return list.filter((e) => e.stages.some((s) => stages.includes(s)) && !installed(e, dpkg)).map((e) => e.pkg);
}

export function installCommand(pkgs, root) {
  return `${root ? '' : 'sudo '}apt-get install -y ${pkgs.join(' ')}`;
}

/**
 * Makes sure the stages' packages are there. Returns normally when they are (or were installed);
 * exits the process with status 1 and a message naming them otherwise.
 */
export function ensureSystemPackages(stages, { list = SYSTEM_PACKAGES, log = console.log, error = console.error, exit = process.exit } = {}) {
  const missing = missingPackages(stages, list);
  if (!missing.length) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  const why = missing.map((p) => `  ${p}: ${list.find((e) => e.pkg === p)?.why}`).join('\n');
  if (!root || !apt) {
    error(`npm test: missing system packages the tests need:\n${why}\n` +
      (apt ? `Install them with:\n  ${installCommand(missing, root)}\n` : `This machine has no apt-get: install the equivalent of these Debian packages, then run npm test again.\n`) +
      'Or run only the stages that need none of them, e.g. `npm test -- unit`.');
    exit(1);
    return;
  }
  log(`\n== system packages: installing what the tests need and this machine lacks: ${missing.join(', ')}`);
  log(`   (${installCommand(missing, true)})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const argv of [['update', '-q'], ['install', '-y', '-q', '--no-install-recommends', ...missing]]) {
    const r = spawnSync('apt-get', argv, { stdio: 'inherit', env });
    if (r.status !== 0) {
      error(`npm test: \`apt-get ${argv.join(' ')}\` failed (exit ${r.status ?? r.signal}); install ${missing.join(' ')} and run npm test again.`);
      exit(1);
      return;
    }
  }
  const still = missingPackages(stages, list);
  if (still.length) {
    error(`npm test: still missing after apt-get: ${still.join(' ')}`);
    exit(1);
  }
}
