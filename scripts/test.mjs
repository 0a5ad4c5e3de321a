#!/usr/bin/env node
// `npm test`: build, type-check, lint, then every test suite.
//   npm test                       everything
//   npm test -- unit system        only those stages (build, typecheck, lint, unit, system, lsp, e2e)
//   npm test -- --files test/unit/ssq/parser.test.ts  node:test on just these files (after build)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSystemPackages } from './system-packages.mjs';

const ALL = ['build', 'typecheck', 'lint', 'unit', 'system', 'lsp', 'e2e'];
const args = process.argv.slice(2);
const filesAt = args.indexOf('--files');
const files = filesAt >= 0 ? args.slice(filesAt + 1) : [];
const named = (filesAt >= 0 ? args.slice(0, filesAt) : args).filter((a) => ALL.includes(a));
const stages = files.length ? ['build'] : named.length ? ALL.filter((s) => named.includes(s) || (s === 'build' && !named.includes('typecheck') && !named.includes('lint'))) : ALL;

// The system packages of the stages about to run (scripts/system-packages.mjs), before any of them: a
// missing one stops the run at once, or is installed first when we are root with apt.
const fileStages = files.map((f) => f.split(/[\\/]/)[1]).filter(Boolean);
ensureSystemPackages(files.length ? fileStages : stages);

// The unit tests' two-engine checks (a recording shared by node:sqlite and the WebAssembly SQLite)
// need a second Node with node:sqlite: code-server's, which the e2e stage installs anyway. A run with
// both stages installs it first, so on Node 20 those checks run instead of being skipped.
if (stages.includes('unit') && stages.includes('e2e')) {
  console.log('\n== code-server and its Node');
  const started = Date.now();
  try {
    const { ensureCodeServer } = await import('./setup-code-server.mjs');
    ensureCodeServer();
  } catch (e) {
    console.error(`== code-server: FAILED: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
  console.log(`== code-server: ok in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

function testFiles(dir) {
  const out = [];
  let entries = [];
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function run(title, cmd, argv, env = {}) {
  console.log(`\n== ${title}`);
  const started = Date.now();
  const r = spawnSync(cmd, argv, { stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`== ${title}: FAILED (exit ${r.status ?? r.signal}) after ${secs}s`);
    process.exit(1);
  }
  console.log(`== ${title}: ok in ${secs}s`);
}

const nodeTest = (title, list, extra = []) => {
  if (!list.length) { console.log(`\n== ${title}: no test files`); return; }
  run(title, process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...list]);
};

for (const stage of stages) {
  switch (stage) {
    case 'build': run('build', process.execPath, ['esbuild.js']); break;
    case 'typecheck': run('typecheck', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']); break;
    case 'lint': run('lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '--max-warnings=0', '.']); break;
    case 'unit': nodeTest('unit tests', testFiles('test/unit')); break;
    // System tests create network namespaces and compare with ss: one file at a time.
    case 'system': nodeTest('system tests', testFiles('test/system'), ['--test-concurrency=1']); break;
    case 'lsp': nodeTest('language server tests', testFiles('test/lsp')); break;
    case 'e2e': run('end-to-end tests (code-server)', process.execPath, ['scripts/e2e.mjs']); break;
  }
}
if (files.length) nodeTest('selected tests', files, ['--test-concurrency=1']);
