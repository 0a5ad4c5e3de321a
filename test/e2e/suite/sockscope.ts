// Helpers for extension-host tests: find the Sockscope extension, wait for conditions, reach sample files.
import * as vscode from 'vscode';
import type { SockscopeApi } from '../../../src/client/api';

export const EXTENSION_ID = 'sockscope.sockscope';

export function sockscopeExtension(): vscode.Extension<SockscopeApi> {
  const ext = vscode.extensions.getExtension<SockscopeApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A file of the opened workspace (the harness opens sample-workspace/). */
export function workspaceFile(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}
