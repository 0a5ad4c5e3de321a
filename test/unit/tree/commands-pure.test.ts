import { test } from 'node:test';
import assert from 'node:assert/strict';
import { killErrorText } from '../../../src/client/commands/kill-messages';
import { parseCmdline, parseStatusUid, userFromPasswd } from '../../../src/client/commands/process-info';

test('kill failures explain SOCK_DESTROY support and privilege', () => {
  assert.match(killErrorText('EOPNOTSUPP'), /CONFIG_INET_DIAG_DESTROY/);
  assert.match(killErrorText('helper: NotSupported'), /SOCK_DESTROY unsupported/);
  assert.match(killErrorText('EPERM'), /CAP_NET_ADMIN/);
  assert.match(killErrorText('ENOENT'), /already gone/);
  assert.equal(killErrorText('weird'), 'weird');
});

test('Reveal process: command line, uid and user from /proc and /etc/passwd text', () => {
  assert.equal(parseCmdline('node\0/srv/app.js\0--name\0my app\0'), "node /srv/app.js --name 'my app'");
  assert.equal(parseStatusUid('Name:\tnode\nUid:\t1000\t1000\t1000\t1000\n'), 1000);
  assert.equal(parseStatusUid('Name: x\n'), undefined);
  assert.equal(userFromPasswd('root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n', 1000), 'alice');
  assert.equal(userFromPasswd('root:x:0:0::/root:/bin/sh\n', 5), undefined);
});
