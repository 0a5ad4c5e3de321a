// `npm run package` makes a .vsix that loads koffi from its own node_modules and carries koffi's native
// binaries for linux x64 and arm64 (glibc and musl). Packages the current dist/ (the test stage builds first).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';

const root = resolve(__dirname, '..', '..', '..');
const EM_X86_64 = 62;
const EM_AARCH64 = 183;

let work = '';
let vsix = '';
before(() => {
  assert.ok(existsSync(join(root, 'dist', 'extension.js')), 'dist/ is built (npm test builds first; or run: npm run build)');
  work = mkdtempSync(join(tmpdir(), 'sockscope-vsix-test-'));
  vsix = join(work, 'sockscope.vsix');
  execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--no-build', '--out', vsix], { cwd: root, stdio: 'pipe' });
  execFileSync('unzip', ['-q', vsix, '-d', join(work, 'unpacked')]);
});
after(() => { if (work) rmSync(work, { recursive: true, force: true }); });

function elfMachine(file: string): number {
  const b = readFileSync(file);
  assert.equal(b.subarray(0, 4).toString('latin1'), '\x7fELF', `${file} is an ELF file`);
  return b.readUInt16LE(18);
}

test('the .vsix carries koffi binaries for linux x64 and arm64, glibc and musl', () => {
  const modules = join(work, 'unpacked', 'extension', 'node_modules', '@koromix');
  assert.equal(elfMachine(join(modules, 'koffi-linux-x64', 'linux_x64', 'koffi.node')), EM_X86_64);
  assert.equal(elfMachine(join(modules, 'koffi-linux-x64', 'musl_x64', 'koffi.node')), EM_X86_64);
  assert.equal(elfMachine(join(modules, 'koffi-linux-arm64', 'linux_arm64', 'koffi.node')), EM_AARCH64);
  assert.equal(elfMachine(join(modules, 'koffi-linux-arm64', 'musl_arm64', 'koffi.node')), EM_AARCH64);
});

test('koffi loads from the unpacked extension and the manifest points at built files', () => {
  const ext = join(work, 'unpacked', 'extension');
  const version = execFileSync(process.execPath, ['-e', `const k = require(${JSON.stringify(join(ext, 'node_modules', 'koffi'))}); process.stdout.write(String(k.version ?? k.default.version))`], { encoding: 'utf8' });
  const koffiVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'koffi', 'package.json'), 'utf8')).version;
  assert.equal(version, koffiVersion);
  const manifest = JSON.parse(readFileSync(join(ext, 'package.json'), 'utf8'));
  assert.ok(existsSync(join(ext, manifest.main)), `main ${manifest.main} is in the package`);
  assert.deepEqual(Object.keys(manifest.dependencies), ['koffi']);
  assert.equal(manifest.scripts, undefined);
});

test('the .vsix holds no sources, tests, source maps or dev tooling', () => {
  const entries = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const unwanted = entries.filter((e) => /\.map$|\.ts$(?<!\.d\.ts)|^extension\/(src|test|scripts|bench|sample-workspace|\.cache)\/|\.cc$|\.hh$/.test(e));
  assert.deepEqual(unwanted, []);
  assert.ok(entries.length < 100, `${entries.length} files`);
});
