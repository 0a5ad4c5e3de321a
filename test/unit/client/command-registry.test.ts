// package.json's contributed commands, menus and keybindings against the command table
// (src/client/commands/command-table.ts), in both directions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, CONTEXT_KEYS, VIEW_IDS, type CommandId } from '../../../src/client/commands/command-table';
import { cliLauncherScript, shQuote } from '../../../src/client/commands/install-cli-script';

interface Contributes {
  commands: Array<{ command: string; title: string }>;
  menus: Record<string, Array<{ command: string; when?: string }>>;
  keybindings?: Array<{ command: string; when?: string }>;
  views: Record<string, Array<{ id: string }>>;
}
const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { contributes: Contributes };
const c = pkg.contributes;
const ids = Object.keys(COMMANDS) as CommandId[];
const contributed = ids.filter((id) => COMMANDS[id].kind === 'contributed').sort();
const menuEntries = Object.entries(c.menus).flatMap(([menu, items]) => items.map((m) => ({ where: `menus.${menu}`, ...m })));
const keybindings = (c.keybindings ?? []).map((k) => ({ where: 'keybindings', ...k }));

test('contributes.commands lists exactly the contributed commands of the table', () => {
  const listed = c.commands.map((x) => x.command);
  assert.deepEqual([...listed].sort(), contributed, 'package.json contributes.commands vs COMMANDS (kind contributed)');
  assert.equal(new Set(listed).size, listed.length, 'a command is contributed twice');
  for (const x of c.commands) assert.ok(x.title.trim(), `${x.command} has no title`);
});

test('internal commands are not contributed', () => {
  const listed = new Set(c.commands.map((x) => x.command));
  for (const id of ids.filter((i) => COMMANDS[i].kind === 'internal')) assert.ok(!listed.has(id), `${id} is internal but in package.json`);
});

test('every menu item and keybinding names a contributed command', () => {
  for (const m of [...menuEntries, ...keybindings]) {
    assert.ok((contributed as string[]).includes(m.command), `${m.where}: ${m.command} is not a contributed command of command-table.ts`);
  }
});

test('when-clauses use only declared context keys and view ids, and every context key is used', () => {
  const declared = new Set<string>([...Object.values(CONTEXT_KEYS), ...Object.values(VIEW_IDS)]);
  const used = new Set<string>();
  for (const m of [...menuEntries, ...keybindings]) {
    for (const key of (m.when ?? '').match(/\bsockscope\.[\w.]+/g) ?? []) {
      assert.ok(declared.has(key), `${m.where} (${m.command}): when-clause uses ${key}, which command-table.ts does not declare`);
      used.add(key);
    }
  }
  for (const key of Object.values(CONTEXT_KEYS)) assert.ok(used.has(key), `context key ${key} is declared but no when-clause reads it`);
});

test('view ids of the table are the views package.json contributes', () => {
  const views = Object.values(c.views).flat().map((v) => v.id).sort();
  assert.deepEqual(views, Object.values(VIEW_IDS).sort());
});

test('the checks fail on a package.json that contributes an undeclared command or context key', () => {
  const extra = { command: 'sockscope.noSuchCommand', when: 'sockscope.noSuchKey' };
  assert.ok(!(contributed as string[]).includes(extra.command));
  assert.ok(!new Set<string>(Object.values(CONTEXT_KEYS)).has('sockscope.noSuchKey'));
});

test("the 'sockscope' launcher runs the CLI with the given node, with quoting and a clear error when the CLI is gone", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockscope cli '"));
  try {
    const cli = join(dir, 'cli.js');
    writeFileSync(cli, 'console.log(JSON.stringify(process.argv.slice(2)))\n');
    const launcher = join(dir, 'sockscope');
    writeFileSync(launcher, cliLauncherScript(process.execPath, cli));
    chmodSync(launcher, 0o755);
    assert.equal(execFileSync(launcher, ['-t', 'a b'], { encoding: 'utf8' }).trim(), '["-t","a b"]');
    rmSync(cli);
    let err: { status?: number; stderr?: string } = {};
    try { execFileSync(launcher, [], { encoding: 'utf8', stdio: 'pipe' }); } catch (e) { err = e as typeof err; }
    assert.equal(err.status, 127);
    assert.match(String(err.stderr), /is gone/);
    assert.equal(shQuote("it's"), `'it'\\''s'`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
