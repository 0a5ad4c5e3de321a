// Bundles the extension-host test suite: test/e2e/suite/index.ts plus every test/e2e/suite/*.test.ts into one
// CommonJS file exporting run(), for VS Code's extensionTestsPath. `vscode` stays external (the host provides it).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import esbuild from 'esbuild';

/** Test files under `dir` (recursively) whose name ends with .test.ts, sorted. */
export function listTestFiles(dir) {
  const out = [];
  let entries = [];
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listTestFiles(p));
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Writes `outFile` and returns the list of bundled test files. */
export async function bundleExtensionTests(root, outFile) {
  const files = listTestFiles(join(root, 'test', 'e2e', 'suite'));
  const contents = [
    ...files.map((f) => `import ${JSON.stringify('./' + f.slice(root.length + 1))};`),
    `export { run } from './test/e2e/suite/index';`,
  ].join('\n');
  await esbuild.build({
    stdin: { contents, resolveDir: root, sourcefile: 'e2e-suite-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'koffi'],
    outfile: outFile,
    logLevel: 'warning',
  });
  return files;
}
