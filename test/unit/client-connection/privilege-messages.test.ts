import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invisibleProcessesText, isWrongPassword, passwordPrompt } from '../../../src/client/connection/privilege-messages';
import { isPermissionError, killNeedsRoot } from '../../../src/client/commands/kill-messages';
import type { Capabilities } from '../../../src/protocol/helper-protocol';

const caps = (over: Partial<Capabilities>): Capabilities => ({
  root: false, uid: 1000, netAdmin: false, sysPtrace: false, capEff: '0', processes: 100, invisibleProcesses: 88, canKill: false, ...over,
});

test('the not-visible notice says plainly what is missing (not "the processes of 88 other processes")', () => {
  const t = invisibleProcessesText(88);
  assert.equal(t, 'Sockscope runs without root, so it cannot see which sockets belong to 88 processes of other users. Those sockets are listed under "Unknown process".');
  assert.doesNotMatch(t, /processes of \d+ other processes/);
  assert.match(invisibleProcessesText(1), /belong to 1 process of another user\./);
});

test('a wrong sudo password is recognised (HelperProcess words it "sudo: wrong password") and the prompt says so', () => {
  assert.ok(isWrongPassword('sudo: wrong password'));
  assert.ok(isWrongPassword('Sorry, try again.'));
  assert.ok(!isWrongPassword('sudo needs a password'));
  assert.ok(!isWrongPassword('pkexec: dismissed'));
  assert.doesNotMatch(passwordPrompt(1), /Wrong/);
  assert.match(passwordPrompt(2), /^Wrong password, try again\./);
});

test('Kill Socket offers root first when the helper cannot kill, and on a permission failure', () => {
  assert.equal(killNeedsRoot(caps({})), true);
  assert.equal(killNeedsRoot(caps({ canKill: true, netAdmin: true })), false);
  assert.equal(killNeedsRoot(undefined), false, 'capabilities not known yet: try, and offer root if the kernel refuses');
  assert.ok(isPermissionError('EPERM'));
  assert.ok(!isPermissionError('ENOENT'));
});
