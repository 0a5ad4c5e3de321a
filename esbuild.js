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
  { ...nodeCommon, entryPoints: { server: 'src/language-server/main.ts' }, outdir: 'dist' },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    entryPoints: { webview: 'src/webview/chart/main.ts' },
    outdir: 'dist',
    loader: { '.css': 'css' },
    logLevel: 'warning',
  },
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
async function main() {
  const present = builds.filter((b) => Object.values(b.entryPoints).every((p) => fs.existsSync(p)));
  if (watch) {
    for (const b of present) (await esbuild.context(b)).watch();
    return;
  }
  fs.mkdirSync('dist', { recursive: true });
  await Promise.all([...present.map((b) => esbuild.build(b)), buildWasm()]);
  try { fs.chmodSync('dist/cli.js', 0o755); } catch { /* cli not built yet */ }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
