// "Sockscope: Install 'sockscope' Command in PATH" (as VS Code's "Install 'code' command in PATH"): writes
// ~/.local/bin/sockscope for the user the extension host runs as (the remote user on Remote-SSH).
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import type { CommandFactories } from './command-context';
import { cliLauncherScript } from './install-cli-script';

async function installCli(extension: vscode.ExtensionContext, output: vscode.LogOutputChannel, dir = join(homedir(), '.local', 'bin')): Promise<string | undefined> {
  const target = join(dir, 'sockscope');
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(target, cliLauncherScript(process.execPath, extension.asAbsolutePath(join('dist', 'cli.js'))), { mode: 0o755 });
    await chmod(target, 0o755);
  } catch (e) {
    void vscode.window.showErrorMessage(`Sockscope: cannot write ${target}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  output.info(`installed the sockscope command: ${target}`);
  const onPath = (process.env.PATH ?? '').split(delimiter).includes(dir);
  void vscode.window.showInformationMessage(onPath
    ? `Sockscope: 'sockscope' is installed in ${dir}. Try \`sockscope -tl\` in a terminal.`
    : `Sockscope: 'sockscope' is installed in ${dir}, which is not on your PATH: add it (e.g. in ~/.profile) and open a new terminal.`);
  return target;
}

export const installCliCommands = {
  /** Optional argument: the directory (end-to-end tests use a temporary one). */
  'sockscope.installCli': ({ extension, output }) => (dir?: string) => installCli(extension, output, typeof dir === 'string' ? dir : undefined),
} satisfies CommandFactories;
