// Where recordings live by default: the user's state folder ($XDG_STATE_HOME/sockscope, else
// ~/.local/state/sockscope), created 0700 as the user. A service passes --db (see contrib/systemd).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { defaultHistoryPathIn } from '../protocol/history-requests';

export function defaultHistoryPath(): string {
  return defaultHistoryPathIn(process.env.XDG_STATE_HOME, homedir());
}

/** Makes the folder of a recording (0700) when it is missing. */
export function ensureFolder(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
}
