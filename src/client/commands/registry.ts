// The command registry: every command of the extension, id -> handler factory, registered in one call.
//
// To add a command:
//   1. add its id to COMMANDS in command-table.ts (`contributed`, or `internal` for test-only commands);
//   2. write its factory `(ctx) => (...args) => result` next to the feature it belongs to, in that module's
//      `...Commands` object (`satisfies CommandFactories`), taking what it needs from the CommandContext
//      (add a field to CommandContext in command-context.ts if a new long-lived part is needed; no setters,
//      no module globals);
//   3. if that module's object is new, spread it into FACTORIES below;
//   4. contributed commands: add it to package.json `contributes.commands` (and menus / keybindings;
//      when-clauses may use only the context keys in CONTEXT_KEYS).
// The compiler reports a command id without a handler; test/unit/client/command-registry.test.ts reports
// a package.json entry that does not match COMMANDS, in either direction.
import * as vscode from 'vscode';
import { helperCommands } from '../connection/helper-ui';
import { queryCommands } from '../language/query-commands';
import { viewCommands } from '../tree/sockets-view-setup';
import type { CommandContext, CommandFactory } from './command-context';
import type { CommandId } from './command-table';
import { installCliCommands } from './install-cli';
import { findingsCommands } from '../findings/findings-view';
import { socketCommands } from './socket-commands';
import { followCommands } from '../follow/follow-commands';
import { healthCommands } from '../health/health-monitor';
import { historyViewCommands } from '../history/history-view-commands';
import { timeTravelCommands } from '../history/time-travel';

const FACTORIES = {
  ...viewCommands,
  ...socketCommands,
  ...queryCommands,
  ...helperCommands,
  ...installCliCommands,
  ...followCommands,
  ...findingsCommands,
  ...healthCommands,
  ...historyViewCommands,
  ...timeTravelCommands,
} satisfies Record<CommandId, CommandFactory>;

// A spread does not get excess-property checks: this line fails to compile when a module adds an id that
// command-table.ts does not declare.
const onlyDeclaredIds: [Exclude<keyof typeof FACTORIES, CommandId>] extends [never] ? true : never = true;
void onlyDeclaredIds;

export function registerCommands(ctx: CommandContext): void {
  for (const [id, factory] of Object.entries(FACTORIES) as Array<[CommandId, CommandFactory]>) {
    ctx.extension.subscriptions.push(vscode.commands.registerCommand(id, factory(ctx)));
  }
}
