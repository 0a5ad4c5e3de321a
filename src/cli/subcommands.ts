// `sockscope SUBCOMMAND ...`: commands beyond ss's own options (check, exporter, doctor, record, log).
// A first word that names one of these runs it; anything else is an ss command line (run.ts).
// Each subcommand is one file in ./commands, registered here once; `sockscope --help` lists them.
import { doctor } from './commands/doctor';

export interface Subcommand {
  /** The word after `sockscope`. */
  name: string;
  /** One line for `sockscope --help`. */
  summary: string;
  /** Runs with the words after the name; resolves to the exit status. */
  run(argv: readonly string[]): number | Promise<number>;
}

/** Every subcommand, in the order `--help` lists them. */
export const SUBCOMMANDS: readonly Subcommand[] = [doctor];

export function findSubcommand(word: string | undefined): Subcommand | undefined {
  return word === undefined ? undefined : SUBCOMMANDS.find((s) => s.name === word);
}
