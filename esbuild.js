// Bundles every entry point into dist/. koffi stays external: it ships native binaries.
'use strict';
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode', 'koffi'],
  logLevel: 'warning',
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/client/extension.ts' }, outdir: 'dist' },
  // dist/cli.js (the `sockscope` bin) is a small launcher that loads dist/cli-main.js with a compile cache.
  { ...nodeCommon, entryPoints: { cli: 'src/cli/launcher.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...nodeCommon, entryPoints: { 'cli-main': 'src/cli/main.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { helper: 'src/helper/main.ts' }, outdir: 'dist' },
  // The history writer's worker thread (src/host/history/writer-thread.ts starts it by this name).
  { ...nodeCommon, entryPoints: { 'history-writer': 'src/host/history/writer-worker.ts' }, outdir: 'dist' },
  { ...nodeCommon, entryPoints: { server: 'src/language-server/main.ts' }, outdir: 'dist' },
  // Webviews (browser): dist/<name>.js and dist/<name>.css each (src/client/webview-html.ts loads both).
  ...[
    { webview: 'src/webview/chart/main.ts' },
    { 'connection-log': 'src/webview/connection-log/main.ts' },
    { timeline: 'src/webview/timeline/main.ts' },
  ].map((entryPoints) => ({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    entryPoints,
    outdir: 'dist',
    loader: { '.css': 'css' },
    logLevel: 'warning',
  })),
];

/** AssemblyScript modules: source -> dist/<name>.wasm (memory fixed at `pages` of 64 KiB). */
const wasmModules = [{ source: 'src/cli/wasm/inet-rows.ts', out: 'dist/inet-rows.wasm', pages: 300 }];

async function buildWasm() {
  // The row writer's tcp_info offsets and labels: generated from src/fields before it compiles.
  require('./tools/wasm-constants.js').generate();
  const asc = (await import('assemblyscript/asc')).default;
  for (const m of wasmModules) {
    const pages = String(m.pages);
    const { error, stderr } = await asc.main([
      m.source, '--outFile', m.out, '-O3', '--runtime', 'stub', '--noAssert',
      '--initialMemory', pages, '--maximumMemory', pages,
    ]);
    if (error) throw new Error(`${m.source}: ${error.message}\n${stderr.toString()}`);
  }
}

const fs = require('node:fs');
/** Every entry point must exist: a renamed or deleted one is an error here, not a stale file in dist/. */
function missingEntryPoints() {
  const sources = [...builds.flatMap((b) => Object.values(b.entryPoints)), ...wasmModules.map((m) => m.source)];
  return sources.filter((p) => !fs.existsSync(p));
}

async function main() {
  const missing = missingEntryPoints();
  if (missing.length) throw new Error(`esbuild.js: entry point${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')} (renamed or deleted? update the builds list in esbuild.js)`);
  if (watch) {
    for (const b of builds) (await esbuild.context(b)).watch();
    return;
  }
  fs.mkdirSync('dist', { recursive: true });
  // node-sqlite3-wasm is bundled; its loader reads the WebAssembly module beside the bundle.
  fs.copyFileSync(require.resolve('node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm'), 'dist/node-sqlite3-wasm.wasm');
  await Promise.all([...builds.map((b) => esbuild.build(b)), buildWasm()]);
  fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
