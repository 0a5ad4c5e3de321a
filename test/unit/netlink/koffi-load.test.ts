// Loading koffi: the prebuilt binary koffi's own loader would pick is loaded directly (its loader
// costs a short command ~5 ms), and it must be the very file that loader picks, at koffi's version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { koffiPath, libc, prebuiltKoffi } from '../../../src/netlink/libc';

/** The koffi binary a fresh Node maps after `require('koffi')`, as koffi's loader chose it. */
function binaryKoffiLoads(): string {
  const script = "require('koffi'); const m = require('fs').readFileSync('/proc/self/maps', 'utf8').split('\\n').find((l) => l.endsWith('koffi.node')); process.stdout.write(m ? m.slice(m.indexOf('/')) : '')";
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: __dirname });
}

test('the prebuilt binary is the one koffi itself loads, and reports koffi\'s version', () => {
  const prebuilt = prebuiltKoffi();
  assert.ok(prebuilt, 'this machine (glibc Linux, koffi installed from npm) has a known prebuilt binary');
  assert.equal(realpathSync(prebuilt.path), realpathSync(binaryKoffiLoads()));
  const koffiPackage = JSON.parse(readFileSync(join(dirname(require.resolve('koffi')), 'package.json'), 'utf8')) as { version: string };
  assert.equal(prebuilt.version, koffiPackage.version);
  assert.equal((require(prebuilt.path) as { version: string }).version, prebuilt.version);
});

test('libc() runs on the directly loaded binary, and workers are told to load the same file', () => {
  const c = libc();
  const fd = c.socket(16, 3 | 0o2000000, 4); // AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG
  assert.ok(fd >= 0, `socket() failed: errno ${c.errno()}`);
  assert.equal(c.close(fd), 0);
  assert.equal(koffiPath(), prebuiltKoffi()!.path);
});
