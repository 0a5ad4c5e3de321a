import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartCsp, nonce } from '../../../src/client/chart/chart-csp';

test('chart webview CSP: default none, scripts by nonce only, no inline or eval', () => {
  const n = nonce();
  assert.match(n, /^[A-Za-z0-9]{16,}$/);
  assert.notEqual(n, nonce());
  const csp = chartCsp('https://file+.vscode-resource.vscode-cdn.net', n);
  assert.match(csp, /^default-src 'none'; /);
  assert.match(csp, new RegExp(`script-src 'nonce-${n}'$`));
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net/);
});
