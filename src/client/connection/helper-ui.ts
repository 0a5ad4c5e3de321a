// The VS Code side of the helper: creates the HelperClient from the settings, restarts it when
// `sockscope.privilege` changes, says once when a crashed helper was restarted, and offers
// "Show all processes (root)": pkexec's dialog, or the sudo password asked in a password input
// box and handed to `sudo -S` on stdin once (never stored, never logged, never on a command line).
import * as vscode from 'vscode';
import { HelperClient } from './helper-client';
import type { Elevation, PrivilegeSetting } from './privilege';
import { SHOW_ALL_PROCESSES_ACTION } from '../commands/kill-messages';
import { invisibleProcessesText, isWrongPassword, passwordPrompt, TRY_AGAIN } from './privilege-messages';
import type { CommandFactories } from '../commands/command-context';
import { setContext } from '../commands/context-keys';
import type { CommandId } from '../commands/command-table';

export function createHelperClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): HelperClient {
  const helper = new HelperClient({
    helperPath: context.asAbsolutePath('dist/helper.js'),
    log: output,
    privilege: () => vscode.workspace.getConfiguration('sockscope').get<PrivilegeSetting>('privilege', 'auto'),
  });
  context.subscriptions.push(helper);

  let toldRestart = false;
  let offered = false;
  context.subscriptions.push(
    helper.onDidRestart((r) => {
      if (toldRestart) return;
      toldRestart = true;
      void vscode.window.showWarningMessage(`Sockscope: the socket helper stopped unexpectedly (${r.reason}) and was restarted.`);
    }),
    helper.onDidChangeCapabilities((caps) => {
      setContext('helperIsRoot', caps.root);
      if (caps.root || offered || caps.invisibleProcesses === 0 || helper.offers.length === 0) return;
      offered = true;
      void vscode.window.showInformationMessage(invisibleProcessesText(caps.invisibleProcesses), SHOW_ALL_PROCESSES_ACTION)
        .then((choice) => { if (choice === SHOW_ALL_PROCESSES_ACTION) void vscode.commands.executeCommand('sockscope.showAllProcesses' satisfies CommandId); });
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('sockscope.privilege')) return;
      helper.restart().catch((err) => output.error(`helper restart failed: ${message(err)}`));
    }),
  );
  return helper;
}

async function pickElevation(helper: HelperClient): Promise<Elevation | undefined> {
  const offers: Elevation[] = helper.offers.length ? helper.offers : ['sudoPassword'];
  if (offers.length === 1) return offers[0];
  const items: Array<vscode.QuickPickItem & { how: Elevation }> = offers.map((how) => how === 'pkexec'
    ? { how, label: 'pkexec', detail: 'Authenticate in the system dialog' }
    : { how, label: 'sudo', detail: 'Type your sudo password here' });
  return (await vscode.window.showQuickPick(items, { title: 'Run the Sockscope helper as root with' }))?.how;
}

/** Restarts the helper as root; true when it runs as root afterwards. A wrong sudo password offers to try again. */
export async function showAllProcesses(helper: HelperClient, output: vscode.LogOutputChannel): Promise<boolean> {
  if (helper.currentCapabilities?.root) {
    void vscode.window.showInformationMessage('Sockscope: the helper already runs as root.');
    return true;
  }
  const how = await pickElevation(helper);
  if (!how) return false;
  for (let attempt = 1; ; attempt++) {
    try {
      if (how === 'pkexec') {
        await helper.elevate('pkexec');
      } else {
        const password = await vscode.window.showInputBox({
          password: true,
          ignoreFocusOut: true,
          title: 'Sockscope: show all processes',
          prompt: passwordPrompt(attempt),
        });
        if (password === undefined) return false;
        await helper.elevate('sudoPassword', password);
      }
      output.info('helper now runs as root');
      return true;
    } catch (e) {
      const text = message(e);
      if (how === 'sudoPassword' && isWrongPassword(text)) {
        const again = await vscode.window.showErrorMessage('Sockscope: sudo did not accept that password.', TRY_AGAIN);
        if (again === TRY_AGAIN) continue;
        return false;
      }
      void vscode.window.showErrorMessage(`Sockscope: could not run the helper as root: ${text}`);
      return false;
    }
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const helperCommands = {
  'sockscope.showAllProcesses': ({ helper, output }) => () => showAllProcesses(helper, output),
} satisfies CommandFactories;
