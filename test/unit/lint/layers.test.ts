// The layering rule fails a deliberate bad import in each direction, at any depth, and passes the
// imports the layers allow (tools/eslint/layers.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result.messages.filter((m) => m.ruleId === 'sockscope/layers').map((m) => m.message);
}

const bad: Array<[file: string, code: string, why: RegExp]> = [
  ['src/ssq/deep/er/x.ts', "import '../../../netlink/diag-socket';", /src\/ssq may not import src\/netlink/],
  ['src/ssq/x.ts', "import { readFileSync } from 'node:fs';", /pure: no 'node:fs'/],
  ['src/protocol/x.ts', "import '../ssq/lexer';", /src\/protocol may not import src\/ssq/],
  ['src/netlink/x.ts', "import '../host/record';", /src\/netlink may not import src\/host/],
  ['src/host/x.ts', "import '../helper/main';", /src\/host may not import src\/helper/],
  ['src/cli/a/b.ts', "import '../../helper/watcher';", /src\/cli may not import src\/helper/],
  ['src/helper/x.ts', "import '../cli/run';", /src\/helper may not import src\/cli/],
  ['src/language-server/x.ts', "import '../netlink/index';", /may not import src\/netlink/],
  ['src/client/tree/deep/x.ts', "import '../../../helper/main';", /src\/client may not import src\/helper/],
  ['src/client/x.ts', "import koffi from 'koffi';", /only src\/netlink uses koffi/],
  ['src/helper/x.ts', "import * as vscode from 'vscode';", /only src\/client imports 'vscode'/],
  ['src/webview/chart/x.ts', "import '../../client/extension';", /src\/webview may not import src\/client/],
  ['src/webview/chart/x.ts', "const fs = require('fs');", /pure: no 'fs'/],
  ['src/findings/x.ts', "export * from '../netlink/index';", /src\/findings may not import src\/netlink/],
  ['src/fields/x.ts', "import '../ssq/lexer';", /src\/fields may not import src\/ssq/],
  ['src/fields/x.ts', "import '../protocol/socket-record';", /src\/fields may not import src\/protocol/],
  ['src/fields/x.ts', "import 'node:fs';", /pure: no 'node:fs'/],
];

for (const [file, code, why] of bad) {
  test(`layers: ${file} ${code}`, async () => {
    const errors = await layerErrors(file, code);
    assert.equal(errors.length, 1, `expected one layering error, got ${JSON.stringify(errors)}`);
    assert.match(errors[0], why);
  });
}

test('layers: what the layers allow passes', async () => {
  const ok: Array<[string, string]> = [
    ['src/client/tree/deep/x.ts', "import '../../../protocol/socket-record'; import * as vscode from 'vscode'; void vscode;"],
    ['src/helper/x.ts', "import '../host/record'; import '../netlink/index'; import 'node:fs';"],
    ['src/cli/x/y.ts', "import '../../host/record'; import '../../ssq/index';"],
    ['src/netlink/x.ts', "import koffi from 'koffi'; void koffi;"],
    ['src/webview/chart/x.ts', "import '../../protocol/webview-messages'; import 'uplot';"],
    ['src/netlink/x.ts', "import '../fields/index';"],
    ['src/ssq/x.ts', "import '../fields/index';"],
    ['src/webview/chart/x.ts', "import '../../fields/index';"],
  ];
  for (const [file, code] of ok) assert.deepEqual(await layerErrors(file, code), [], file);
});
