// CLI errors: one clear line on stderr, exit status 2, never a stack trace.
import { writeSync } from 'node:fs';

export const EXIT_USAGE = 2;

/** An error the CLI reports as `sockscope: <message>` and exits with `exitCode`. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
  }
}

function stderrLine(text: string): void {
  try { writeSync(2, text.endsWith('\n') ? text : text + '\n'); } catch { /* stderr gone */ }
}

/** Prints `sockscope: message` on stderr. */
export function printError(message: string): void {
  stderrLine(`sockscope: ${message}`);
}

const notesSeen = new Set<string>();

/** Prints an engine note (module missing, processes not visible...) on stderr, once per text. */
export function printNote(message: string): void {
  if (notesSeen.has(message)) return;
  notesSeen.add(message);
  stderrLine(`sockscope: ${message}`);
}

/** A debug line, shown only with SOCKSCOPE_DEBUG=1. */
export function debug(message: string): void {
  if (process.env.SOCKSCOPE_DEBUG === '1') stderrLine(`sockscope: debug: ${message}`);
}

/** Text for an unexpected error without a stack trace: the errno code and message when present. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
