#!/usr/bin/env node
// End-to-end tests in a real VS Code (code-server) driven by Chromium. Run by `npm test` (stage e2e) or alone:
//   node scripts/e2e.mjs [--only ext|ui] [--filter TEXT] [--keep] [--no-build] [--vsix FILE]
// --vsix: the UI tests run against that package installed into code-server instead of this repository.
// (a) extension-host tests: test/e2e/suite/*.test.ts, bundled and run through VS Code's extensionTestsPath;
// (b) UI tests: test/e2e/ui/*.test.ts, run here with playwright-core; screenshots land in test-results/e2e/.
// Everything runs with a throwaway HOME, user-data and extensions folder; code-server runs in its own process
// group, and that group and Chromium are always killed at the end (also on failure, timeout or Ctrl-C).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, URLSearchParams } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { freePort, installVsix, startCodeServer } from './code-server-process.mjs';
import { bundleExtensionTests, listTestFiles } from './e2e-bundle.mjs';
import { ensureCodeServer } from './setup-code-server.mjs';
import { writeUserSettings } from './vscode-settings.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const only = option('--only');
const filter = option('--filter') ?? '';
const keep = args.includes('--keep');
const vsix = option('--vsix') ? resolve(option('--vsix')) : undefined;
// Per suite run; a bound on a hang, with room for a busy machine (the UI suite takes about 140 s when quiet).
const budgetMs = Number(process.env.SOCKSCOPE_E2E_TIMEOUT_MS ?? 360_000);
const resultsDir = join(root, 'test-results', 'e2e');
const sampleWorkspace = join(root, 'sample-workspace');

const log = (msg) => console.log(`[e2e] ${msg}`);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

const cleanups = [];
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try { await fn(); } catch (e) { console.error(`[e2e] cleanup: ${e instanceof Error ? e.message : e}`); }
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { console.error(`[e2e] ${sig}: cleaning up`); cleanup().finally(() => process.exit(130)); });
}
/** Fails the run if it takes longer than the budget (the code-server install is not counted). */
let testsStarted = Date.now();
function startWatchdog() {
  testsStarted = Date.now();
  const watchdog = setTimeout(() => {
    console.error(`[e2e] FAILED: tests exceeded ${budgetMs / 1000}s; killing code-server and Chromium`);
    process.exitCode = 1;
    cleanup().finally(() => process.exit(1));
  }, budgetMs);
  watchdog.unref();
}

function fetchText(url) {
  return new Promise((res, rej) => {
    get(url, (r) => { let body = ''; r.setEncoding('utf8'); r.on('data', (c) => { body += c; }); r.on('end', () => res(body)); }).on('error', rej);
  });
}

/** The remote authority code-server tells the workbench to use (it names the server in vscode-remote:// URIs). */
async function remoteAuthority(baseUrl) {
  const html = await fetchText(baseUrl);
  const m = /id="vscode-workbench-web-configuration"\s+data-settings="([^"]*)"/.exec(html);
  if (!m) throw new Error('cannot find the workbench configuration in the code-server page');
  const json = m[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return JSON.parse(json).remoteAuthority;
}

function workbenchUrl(baseUrl, payload) {
  const q = new URLSearchParams({ folder: sampleWorkspace });
  if (payload) q.set('payload', JSON.stringify(payload));
  return `${baseUrl}?${q}`;
}

function printReport(title, report) {
  for (const r of report.results) {
    const mark = r.status === 'passed' ? 'ok  ' : r.status === 'failed' ? 'FAIL' : 'skip';
    console.log(`  ${mark} ${r.name} (${r.ms} ms)${r.status === 'skipped' ? ` - ${r.error}` : ''}`);
    for (const line of r.logs) console.log(`       ${line}`);
    if (r.status === 'failed') console.log(`       ${(r.error ?? '').split('\n').join('\n       ')}`);
  }
  console.log(`[e2e] ${title}: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`);
}

async function runExtensionHostTests({ context, baseUrl, authority, work }) {
  const bundle = join(work, 'extension-tests.js');
  const files = await bundleExtensionTests(root, bundle);
  log(`extension-host tests: ${files.length} file(s)`);
  const reportFile = join(work, 'extension-tests-report.json');
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(root)],
    ['extensionTestsPath', remote(bundle)],
    ['extensionEnvironment', JSON.stringify({ SOCKSCOPE_E2E_REPORT: reportFile, SOCKSCOPE_E2E_FILTER: filter })],
  ];
  const page = await context.newPage();
  const browserLogs = [];
  let exited;
  const exit = new Promise((res) => { exited = res; });
  await page.exposeFunction('codeAutomationLog', (type, message) => { browserLogs.push(`[${type}] ${message}`); });
  await page.exposeFunction('codeAutomationExit', (code, logs) => { exited({ code, logs }); });
  // The extension-host window runs on the `localhost` origin, the UI tests on `127.0.0.1`: browser storage is
  // per origin, so editors and untitled backups the extension-host tests leave behind never reach the UI tests.
  await page.goto(workbenchUrl(baseUrl.replace('//127.0.0.1:', '//localhost:'), payload));
  // Leave about a minute of the budget for the UI tests.
  const timeoutMs = Math.max(30_000, budgetMs - 60_000 - (Date.now() - testsStarted));
  const result = await Promise.race([exit, new Promise((res) => setTimeout(() => res(undefined), timeoutMs))]);
  await page.close().catch(() => undefined);
  let report;
  try { report = JSON.parse(readFileSync(reportFile, 'utf8')); } catch { /* no report: the runner never finished */ }
  const failedToRun = !result || !report;
  if (failedToRun || result.code !== 0 || report.failed > 0) {
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'extension-host-browser.log'), browserLogs.join('\n'));
    for (const l of result?.logs ?? []) {
      const target = join(resultsDir, 'extension-host-logs', l.relativePath);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, l.contents);
    }
  }
  if (!result) return { ok: false, message: `extension host did not finish within ${timeoutMs / 1000}s (logs in test-results/e2e/)` };
  if (!report) return { ok: false, message: `extension host exited with code ${result.code} without a report (logs in test-results/e2e/)` };
  printReport('extension-host tests', report);
  return { ok: result.code === 0 && report.failed === 0, message: `exit code ${result.code}` };
}

async function runUiTests({ context, baseUrl, authority }) {
  const files = listTestFiles(join(root, 'test', 'e2e', 'ui'));
  log(`UI tests: ${files.length} file(s)`);
  // The repository is CommonJS, so the TypeScript test files load through tsx's require hook.
  const require = createRequire(import.meta.url);
  require('tsx/cjs/api').register();
  const { ui } = require(join(root, 'test', 'e2e', 'ui', 'registry.ts'));
  const { Workbench } = require(join(root, 'test', 'e2e', 'ui', 'workbench.ts'));
  for (const f of files) require(f);
  if (ui.size === 0) return { ok: true, message: 'no UI tests' };

  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await page.goto(workbenchUrl(baseUrl, vsix ? undefined : [['extensionDevelopmentPath', `vscode-remote://${authority}${root}`]]));
  const workbench = new Workbench(page);
  await workbench.ready();
  mkdirSync(resultsDir, { recursive: true });
  const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  const report = await ui.run(filter, (name) => ({
    page,
    workbench,
    async screenshot(label) {
      const file = join(resultsDir, `${slug(name)}-${slug(label)}.png`);
      await page.screenshot({ path: file });
      return file;
    },
  }), async (result, ctx) => {
    if (result.status === 'failed') result.logs.push(`screenshot: ${await ctx.screenshot('failure')}`);
    await page.keyboard.press('Escape').catch(() => undefined);
  });
  printReport('UI tests', report);
  if (report.failed > 0) writeFileSync(join(resultsDir, 'ui-browser-console.log'), consoleErrors.join('\n'));
  await page.close().catch(() => undefined);
  return { ok: report.failed === 0, message: '' };
}

async function main() {
  log('ensuring code-server is installed');
  const paths = ensureCodeServer();
  startWatchdog();
  if (!args.includes('--no-build')) {
    log(`building the extension (${elapsed()})`);
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }
  if (!existsSync(join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js missing after build');

  const work = mkdtempSync(join(tmpdir(), 'sockscope-e2e-'));
  cleanups.push(() => { if (!keep) rmSync(work, { recursive: true, force: true }); else log(`kept ${work}`); });
  const home = join(work, 'home');
  const stateDir = join(work, 'code-server');
  mkdirSync(home, { recursive: true });
  writeUserSettings(join(stateDir, 'user-data'));

  if (vsix) log(installVsix({ paths, stateDir, vsix, env: { HOME: home } }));
  const port = await freePort();
  const logFile = join(work, 'code-server.log');
  log(`starting code-server on 127.0.0.1:${port} (${elapsed()})`);
  const server = await startCodeServer({
    paths, port, stateDir, logFile,
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    env: { HOME: home, SOCKSCOPE_E2E: '1' },
  });
  cleanups.push(async () => {
    await server.stop();
    if (process.exitCode) {
      mkdirSync(resultsDir, { recursive: true });
      try { cpSync(logFile, join(resultsDir, 'code-server.log')); } catch { /* no log */ }
    }
  });
  const authority = await remoteAuthority(server.url);
  log(`launching Chromium (${elapsed()})`);
  const context = await launchChromium(join(work, 'chromium-profile'), { home });
  cleanups.push(() => context.close());

  const outcomes = [];
  if (only !== 'ui') outcomes.push(['extension-host', await runExtensionHostTests({ context, baseUrl: server.url, authority, work })]);
  log(`(${elapsed()})`);
  if (only !== 'ext') outcomes.push(['UI', await runUiTests({ context, baseUrl: server.url, authority })]);
  const failed = outcomes.filter(([, o]) => !o.ok);
  for (const [kind, o] of failed) console.error(`[e2e] ${kind} tests FAILED${o.message ? `: ${o.message}` : ''}`);
  if (failed.length) process.exitCode = 1;
  log(`${failed.length ? 'FAILED' : 'all passed'} in ${elapsed()}; screenshots and logs in test-results/e2e/`);
}

main()
  .catch((e) => { console.error(`[e2e] FAILED: ${e instanceof Error ? e.stack : e}`); process.exitCode = 1; })
  .finally(() => cleanup().then(() => process.exit(process.exitCode ?? 0)));
