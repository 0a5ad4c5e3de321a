// The privilege policy of `sockscope.privilege` and the command lines it produces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HELPER_V8_FLAGS, launchCommand, planLaunch, type PrivilegeProbe } from '../../../src/client/connection/privilege';

const probe = (p: Partial<PrivilegeProbe>): PrivilegeProbe => ({ root: false, sudoNoPassword: false, pkexec: false, sudo: true, ...p });

describe('privilege policy', () => {
  it('auto: root runs directly, passwordless sudo is used, otherwise unprivileged with offers', () => {
    assert.deepEqual(planLaunch('auto', probe({ root: true })), { mode: 'direct', offers: [] });
    assert.deepEqual(planLaunch('auto', probe({ sudoNoPassword: true })), { mode: 'sudo', offers: [] });
    assert.deepEqual(planLaunch('auto', probe({ pkexec: true })), { mode: 'direct', offers: ['pkexec', 'sudoPassword'] });
    assert.deepEqual(planLaunch('auto', probe({})), { mode: 'direct', offers: ['sudoPassword'] });
    assert.deepEqual(planLaunch('auto', probe({ sudo: false })), { mode: 'direct', offers: [] });
  });

  it('none, sudo, pkexec', () => {
    assert.deepEqual(planLaunch('none', probe({ sudoNoPassword: true, pkexec: true })), { mode: 'direct', offers: [] });
    assert.deepEqual(planLaunch('sudo', probe({ sudoNoPassword: true })), { mode: 'sudo', offers: [] });
    assert.deepEqual(planLaunch('sudo', probe({})), { mode: 'direct', offers: ['sudoPassword'] });
    assert.deepEqual(planLaunch('pkexec', probe({ pkexec: true })), { mode: 'pkexec', offers: [] });
    assert.equal(planLaunch('pkexec', probe({})).mode, 'direct');
  });

  it('command lines pass ELECTRON_RUN_AS_NODE through env and never a password', () => {
    const d = launchCommand('direct', '/opt/code/code', '/ext/dist/helper.js');
    assert.equal(d.command, '/opt/code/code');
    assert.deepEqual(d.args, [...HELPER_V8_FLAGS, '/ext/dist/helper.js']);
    assert.equal(d.env.ELECTRON_RUN_AS_NODE, '1');
    assert.deepEqual(launchCommand('sudo', '/n', '/h').args, ['-n', '--', 'env', 'ELECTRON_RUN_AS_NODE=1', '/n', ...HELPER_V8_FLAGS, '/h']);
    assert.deepEqual(launchCommand('sudoPassword', '/n', '/h').args, ['-S', '-k', '-p', '', '--', 'env', 'ELECTRON_RUN_AS_NODE=1', '/n', ...HELPER_V8_FLAGS, '/h']);
    const pk = launchCommand('pkexec', '/n', '/h');
    assert.equal(pk.command, 'pkexec');
    assert.deepEqual(pk.args, ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', '/n', ...HELPER_V8_FLAGS, '/h']);
  });
});
