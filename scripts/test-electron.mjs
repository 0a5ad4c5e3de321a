#!/usr/bin/env node
// `npm run test:electron`: the extension-host suite (test/e2e/suite, the same files `npm test` runs in
// code-server) in desktop VS Code, through @vscode/test-electron. It downloads VS Code into
// .cache/vscode-test on first use; where VS Code cannot be fetched it says so and exits 1 without running
// anything (use `npm test`, or point SOCKSCOPE_VSCODE_EXECUTABLE at an installed VS Code).
//   npm run test:electron [-- --filter TEXT] [--no-build]
// Environment: SOCKSCOPE_VSCODE_VERSION (default: stable), SOCKSCOPE_VSCODE_EXECUTABLE (skip the download),
// SOCKSCOPE_VSCODE_UPDATE_URL (where to check that VS Code can be fetched; default update.code.visualstudio.com).
// On a machine without a display it runs itself under xvfb-run when that is installed (Debian: xvfb).
/* global fetch, AbortSignal */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleExtensionTests } from './e2e-bundle.mjs';
import { cacheDir } from './setup-code-server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const filter = option('--filter') ?? '';
const version = process.env.SOCKSCOPE_VSCODE_VERSION || 'stable';
const updateUrl = process.env.SOCKSCOPE_VSCODE_UPDATE_URL || 'https://update.code.visualstudio.com';
const log = (msg) => console.log(`[test:electron] ${msg}`);

function cannot(why) {
  console.error(`[test:electron] cannot run: ${why}`);
  console.error('[test:electron] nothing was run. `npm test` runs the same extension-host suite in code-server on this machine.');
  process.exit(1);
}

/** Whether VS Code's download server answers at all (fails fast where there is no internet). */
async function reachable(url) {
  try {
    const r = await fetch(`${url}/api/releases/stable`, { signal: AbortSignal.timeout(10_000) });
    return r.ok ? undefined : `${url} answered HTTP ${r.status}`;
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return `${url} is not reachable (${e instanceof Error ? e.message : String(e)}${cause})`;
  }
}

async function vscodeExecutable() {
  const given = process.env.SOCKSCOPE_VSCODE_EXECUTABLE;
  if (given) {
    if (!existsSync(given)) cannot(`SOCKSCOPE_VSCODE_EXECUTABLE=${given} does not exist`);
    return given;
  }
  const problem = await reachable(updateUrl);
  if (problem) cannot(`desktop VS Code ${version} cannot be downloaded here: ${problem}. This runner needs internet access to fetch VS Code (or SOCKSCOPE_VSCODE_EXECUTABLE).`);
  const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  log(`VS Code ${version} (cached in ${join(cacheDir, 'vscode-test')})`);
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: join(cacheDir, 'vscode-test') });
  } catch (e) {
    return cannot(`downloading VS Code ${version} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function main() {
  const executable = await vscodeExecutable();
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.env.SOCKSCOPE_UNDER_XVFB) {
    if (spawnSync('xvfb-run', ['--help'], { stdio: 'ignore' }).error) {
      cannot('desktop VS Code needs a display: set DISPLAY, or install xvfb (Debian package `xvfb`) so this runs under xvfb-run');
    }
    log('no display: running under xvfb-run');
    const r = spawnSync('xvfb-run', ['-a', process.execPath, fileURLToPath(import.meta.url), ...args], { stdio: 'inherit', env: { ...process.env, SOCKSCOPE_UNDER_XVFB: '1' } });
    process.exit(r.status ?? 1);
  }
  if (!args.includes('--no-build')) {
    const b = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) process.exit(1);
  }
  const work = mkdtempSync(join(tmpdir(), 'sockscope-electron-'));
  try {
    const bundle = join(work, 'extension-tests.js');
    const files = await bundleExtensionTests(root, bundle);
    log(`extension-host tests: ${files.length} file(s)`);
    const report = join(work, 'report.json');
    const { runTests } = await import('@vscode/test-electron');
    const code = await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: root,
      extensionTestsPath: bundle,
      extensionTestsEnv: { SOCKSCOPE_E2E_REPORT: report, SOCKSCOPE_E2E_FILTER: filter },
      launchArgs: [
        join(root, 'sample-workspace'), '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', join(work, 'user-data'), '--extensions-dir', join(work, 'extensions'),
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
    }).catch((e) => { console.error(`[test:electron] ${e instanceof Error ? e.message : String(e)}`); return 1; });
    if (existsSync(report)) {
      const r = JSON.parse(readFileSync(report, 'utf8'));
      log(`extension-host tests: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
    }
    process.exitCode = code;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
