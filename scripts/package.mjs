#!/usr/bin/env node
// `npm run package`: production build, then a .vsix made with @vscode/vsce from a staging folder that holds
// only what the extension needs at run time: dist/ (no source maps), media, grammar, manifest, and koffi with
// its native binaries for linux x64 and arm64, glibc and musl (a Remote-SSH host of either kind works).
// @koromix/koffi-linux-arm64 is not installed on an x64 machine; it is fetched with `npm pack` (same version
// as koffi) into the temp staging folder only, never into the repository.
//   npm run package [-- --out FILE.vsix] [--keep] [--no-build (package the current dist/)]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outFile = resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : join(root, `${manifest.name}-${manifest.version}.vsix`));

/** The koffi platform packages shipped in the .vsix, and the binaries each must contain. */
export const KOFFI_TARGETS = {
  '@koromix/koffi-linux-x64': ['linux_x64/koffi.node', 'musl_x64/koffi.node'],
  '@koromix/koffi-linux-arm64': ['linux_arm64/koffi.node', 'musl_arm64/koffi.node'],
};

/** Files of the koffi package needed at run time (its JS loader; no C++ sources, docs or vendored headers). */
function koffiRuntimeFiles(dir) {
  const keepFile = (rel) => /^(package\.json|LICENSE\.txt|README\.md|index\.d\.ts)$/.test(rel)
    || /^(index|indirect)\.c?js$/.test(rel)
    || /^src\/koffi\/[^/]+\.c?js$/.test(rel)
    || /^src\/koffi\/src\/[^/]+\.c?js$/.test(rel);
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (keepFile(relative(dir, p))) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}

/**
 * npm pack <spec> (cached in the git-ignored .cache/npm-pack/) and unpack it to `target` (an npm package folder).
 */
function fetchPackage(spec, dir, target) {
  const cache = join(root, '.cache', 'npm-pack');
  mkdirSync(cache, { recursive: true });
  const cached = join(cache, `${spec.replace(/^@/, '').replace(/[/@]/g, '-')}.tgz`);
  if (!existsSync(cached)) {
    console.log(`[package] fetching ${spec} with npm pack`);
    const tgz = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop();
    // Copy then rename, so a concurrent run never sees a half-written cache file.
    cpSync(join(dir, tgz), `${cached}.${process.pid}`);
    renameSync(`${cached}.${process.pid}`, cached);
  }
  const unpack = join(dir, 'unpack');
  mkdirSync(unpack, { recursive: true });
  run('tar', ['-xzf', cached, '-C', unpack]);
  copy(join(unpack, 'package'), target);
  rmSync(unpack, { recursive: true, force: true });
}

function stage(staging, work) {
  // Built files, without source maps.
  cpSync(join(root, 'dist'), join(staging, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  for (const f of ['media', 'syntaxes', 'language-configuration.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore']) {
    if (existsSync(join(root, f))) copy(join(root, f), join(staging, f));
  }
  // The manifest, reduced to what an installed extension needs: koffi is the only run-time dependency
  // (everything else is bundled by esbuild), and no scripts run at packaging time.
  const koffiVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'koffi', 'package.json'), 'utf8')).version;
  const staged = { ...manifest, dependencies: { koffi: koffiVersion } };
  for (const k of ['devDependencies', 'scripts', 'allowScripts']) delete staged[k];
  writeFileSync(join(staging, 'package.json'), JSON.stringify(staged, null, 2) + '\n');

  const koffiDir = join(root, 'node_modules', 'koffi');
  for (const rel of koffiRuntimeFiles(koffiDir)) copy(join(koffiDir, rel), join(staging, 'node_modules', 'koffi', rel));
  for (const pkg of Object.keys(KOFFI_TARGETS)) {
    const target = join(staging, 'node_modules', pkg);
    const installed = join(root, 'node_modules', pkg);
    const version = existsSync(join(installed, 'package.json')) ? JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version : undefined;
    if (version === koffiVersion) copy(installed, target);
    else fetchPackage(`${pkg}@${koffiVersion}`, work, target);
    for (const bin of KOFFI_TARGETS[pkg]) {
      if (!existsSync(join(target, bin))) throw new Error(`${pkg} has no ${bin}`);
    }
  }
  return koffiVersion;
}

/** Paths inside a .vsix (a zip), via unzip -Z1. */
export function vsixEntries(vsix) {
  return execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n').filter(Boolean);
}

function main() {
  if (!args.includes('--no-build')) {
    console.log('[package] production build');
    run(process.execPath, ['esbuild.js', '--production'], { cwd: root });
  }
  const work = mkdtempSync(join(tmpdir(), 'sockscope-package-'));
  try {
    const staging = join(work, 'extension');
    mkdirSync(staging);
    const koffiVersion = stage(staging, work);
    console.log(`[package] vsce package (koffi ${koffiVersion})`);
    const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    run(process.execPath, [vsce, 'package', '--allow-missing-repository', '--skip-license', '--out', outFile], { cwd: staging });
    const entries = vsixEntries(outFile);
    const missing = Object.entries(KOFFI_TARGETS).flatMap(([pkg, bins]) => bins.map((b) => `extension/node_modules/${pkg}/${b}`)).filter((e) => !entries.includes(e));
    for (const required of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/cli.js', 'extension/dist/inet-rows.wasm', 'extension/node_modules/koffi/index.cjs']) {
      if (!entries.includes(required)) missing.push(required);
    }
    if (missing.length) throw new Error(`the .vsix lacks: ${missing.join(', ')}`);
    const maps = entries.filter((e) => e.endsWith('.map'));
    if (maps.length) throw new Error(`the .vsix contains source maps: ${maps.join(', ')}`);
    console.log(`[package] ${relative(process.cwd(), outFile) || outFile}: ${entries.length} files, ${(statSync(outFile).size / 1024 / 1024).toFixed(2)} MiB; koffi binaries for linux x64/arm64, glibc/musl`);
  } finally {
    if (keep) console.log(`[package] kept staging folder ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try { main(); } catch (e) {
    console.error(`[package] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
