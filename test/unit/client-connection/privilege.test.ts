// The privilege policy of `sockscope.privilege` and the command lines it produces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HELPER_ENV, HELPER_V8_FLAGS, launchCommand, planLaunch, type PrivilegeProbe } from '../../../src/client/connection/privilege';

/** What the root modes pass through `env` (sudo and pkexec clear the environment). */
const ENV_ARGS = ['ELECTRON_RUN_AS_NODE=1', 'MALLOC_MMAP_THRESHOLD_=131072'];

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

  it('command lines pass the helper environment (ELECTRON_RUN_AS_NODE, the malloc threshold) through env and never a password', () => {
    const d = launchCommand('direct', '/opt/code/code', '/ext/dist/helper.js');
    assert.equal(d.command, '/opt/code/code');
    assert.deepEqual(d.args, [...HELPER_V8_FLAGS, '/ext/dist/helper.js']);
    assert.equal(d.env.ELECTRON_RUN_AS_NODE, '1');
    assert.equal(d.env.MALLOC_MMAP_THRESHOLD_, '131072');
    assert.deepEqual(Object.entries(HELPER_ENV).map(([k, v]) => `${k}=${v}`), ENV_ARGS);
    assert.deepEqual(launchCommand('sudo', '/n', '/h').args, ['-n', '--', 'env', ...ENV_ARGS, '/n', ...HELPER_V8_FLAGS, '/h']);
    assert.deepEqual(launchCommand('sudoPassword', '/n', '/h').args, ['-S', '-k', '-p', '', '--', 'env', ...ENV_ARGS, '/n', ...HELPER_V8_FLAGS, '/h']);
    const pk = launchCommand('pkexec', '/n', '/h');
    assert.equal(pk.command, 'pkexec');
    assert.deepEqual(pk.args, ['/usr/bin/env', ...ENV_ARGS, '/n', ...HELPER_V8_FLAGS, '/h']);
  });
});
