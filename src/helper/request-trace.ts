// A trace of the helper's requests and notifications for benchmarks and bug reports: with
// SOCKSCOPE_HELPER_TRACE=FILE in the environment of the program that starts it (not through sudo or
// pkexec, which clear it), the helper appends one line per request it answered (method and
// milliseconds) and per notification it sent (method; for view/changed whether it was a reset and
// the socket total) to FILE, created 0600. No parameters and no results: nothing a user typed is
// written. It tells the helper's part of a wait from what the extension host and workbench add.
import { appendFileSync } from 'node:fs';

export interface RequestTrace {
  answered(method: string, ms: number, failed: boolean): void;
  sent(method: string, params: unknown): void;
}

export function requestTrace(file = process.env.SOCKSCOPE_HELPER_TRACE): RequestTrace | undefined {
  if (!file) return undefined;
  let broken = false;
  const write = (line: string): void => {
    if (broken) return;
    try {
      appendFileSync(file, `${new Date().toISOString()} ${process.pid} ${line}\n`, { mode: 0o600 });
    } catch {
      broken = true; // a trace that cannot be written is no reason to fail a request
    }
  };
  return {
    answered: (method, ms, failed) => write(`request ${method} ${ms.toFixed(1)} ms${failed ? ' failed' : ''}`),
    sent: (method, params) => {
      const v = method === 'view/changed' && typeof params === 'object' && params !== null ? params as { reset?: unknown; total?: unknown } : undefined;
      write(`notify ${method}${v ? ` reset=${v.reset === true} total=${Number(v.total)}` : ''}`);
    },
  };
}
