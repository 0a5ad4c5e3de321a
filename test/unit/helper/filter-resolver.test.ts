// Filters sent to the helper resolve host names from /etc/hosts only: a request must never make the
// (possibly root) helper run a command or ask DNS.
import assert from 'node:assert/strict';
import childProcess from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mock, test } from 'node:test';
import { NameResolver } from '../../../src/host/name-resolver';
import { filterResolver } from '../../../src/helper/filter-resolver';

test('filter host names come from /etc/hosts and never run a command', () => {
  const spawn = mock.method(childProcess, 'spawnSync');
  try {
    const r = filterResolver(true);
    assert.ok(r.host('localhost').includes('127.0.0.1'));
    assert.deepEqual(r.host('no-such-host.invalid'), []);
    assert.equal(spawn.mock.callCount(), 0);
  } finally {
    spawn.mock.restore();
  }
});

test('hostsFileAddresses: case-insensitive names, each address once, comments ignored', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-hosts-'));
  try {
    const hosts = join(dir, 'hosts');
    writeFileSync(hosts, '10.0.0.1 DB db.local # primary\n10.0.0.2 db\n10.0.0.1 db\n# 10.0.0.9 db\n');
    const names = new NameResolver({}, { services: join(dir, 'none'), hosts });
    assert.deepEqual(names.hostsFileAddresses('db'), ['10.0.0.1', '10.0.0.2']);
    assert.deepEqual(names.hostsFileAddresses('DB.LOCAL'), ['10.0.0.1']);
    assert.deepEqual(names.hostsFileAddresses('other'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
