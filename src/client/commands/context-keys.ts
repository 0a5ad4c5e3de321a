// Sets a when-clause context key declared in command-table.ts (by its short name, so a typo is a compile error).
import * as vscode from 'vscode';
import { CONTEXT_KEYS } from './command-table';

export function setContext(key: keyof typeof CONTEXT_KEYS, value: unknown): void {
  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS[key], value);
}
