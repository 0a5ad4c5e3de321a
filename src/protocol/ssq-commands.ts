// Shapes shared by the ssq language server and the extension's commands. The code lenses
// "Run" / "Run in terminal (ss)" / "Apply to Sockets view" pass one QueryRef as their argument to
// `sockscope.runQuery`, `sockscope.runQueryInTerminal` and `sockscope.applyQuery`.

import { requestType } from './message-type';
import { array, nullable, object, req, string } from './schema';

export const RUN_QUERY_COMMAND = 'sockscope.runQuery';
export const RUN_QUERY_IN_TERMINAL_COMMAND = 'sockscope.runQueryInTerminal';
export const APPLY_QUERY_COMMAND = 'sockscope.applyQuery';
export const RUN_SELECTION_COMMAND = 'sockscope.runSelection';

export interface QueryRef {
  /** The document the query comes from ("" for a selection in a non-.ssq editor). */
  uri: string;
  /** The `[name]` of the query, null for the unnamed query before the first header. */
  name: string | null;
  /** The query body as written, lines joined with spaces, comment lines dropped. */
  text: string;
  /** The portable `ss ...` command line (shell-quoted), when the query parses. */
  ssCommand?: string;
}

export interface ToSsCommandParams {
  text: string;
}

export interface ToSsCommandResult {
  /** The portable command, or null when the text has errors. */
  ssCommand: string | null;
  /** The error messages, with 1-based line:column, when it does not parse. */
  errors: string[];
}

/** Client -> server: turn free text (a selection) into a QueryRef with the portable ss command. */
export const TO_SS_COMMAND = requestType<ToSsCommandParams, ToSsCommandResult>()('sockscope/toSsCommand',
  object({ text: req(string({ max: 64 * 1024 })) }),
  object({ ssCommand: req(nullable(string({ max: 256 * 1024 }))), errors: req(array(string({ max: 4096 }), 1000)) }));

export function isQueryRef(x: unknown): x is QueryRef {
  if (typeof x !== 'object' || x === null) return false;
  const q = x as Partial<QueryRef>;
  return typeof q.uri === 'string' && typeof q.text === 'string' && (q.name === null || typeof q.name === 'string');
}
