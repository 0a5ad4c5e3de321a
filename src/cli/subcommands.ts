// `sockscope SUBCOMMAND ...`: commands beyond ss's own options (check, exporter, doctor, record, log).
// A first word that names one of these runs it; anything else is an ss command line (run.ts).
// Each subcommand is one file in ./commands, registered here once; `sockscope --help` lists them.

export interface Subcommand {
  /** The word after `sockscope`. */
  name: string;
  /** One line for `sockscope --help`. */
  summary: string;
  /** Runs with the words after the name; resolves to the exit status. */
  run(argv: readonly string[]): number | Promise<number>;
}

/** Every subcommand, in the order `--help` lists them. */
export const SUBCOMMANDS: readonly Subcommand[] = [
  // Required when run: esbuild wraps a required module lazily, so the bundle evaluates a
  // subcommand's code (and its packages, prom-client) only when that subcommand runs.
  {
    name: 'doctor', summary: 'say what is wrong with the sockets: findings with their evidence and what to do',
    run: (argv) => (require('./commands/doctor') as typeof import('./commands/doctor')).runDoctor(argv),
  },
  {
    name: 'check', summary: 'evaluate the thresholds of a .ssq file once (monitoring plugin exit codes)',
    run: (argv) => (require('./commands/check') as typeof import('./commands/check')).runCheck(argv),
  },
  {
    name: 'exporter', summary: 'serve Prometheus metrics of the sockets and a .ssq file\'s queries (/metrics, /healthz)',
    run: (argv) => (require('./commands/exporter') as typeof import('./commands/exporter')).runExporter(argv),
  },
  {
    name: 'record', summary: 'record socket history into an SQLite file (connection log, timeline, time travel)',
    run: (argv) => (require('./commands/record') as typeof import('./commands/record')).record(argv),
  },
  {
    name: 'log', summary: 'print the connection log of a recording (JSON Lines with --json)',
    run: (argv) => (require('./commands/log') as typeof import('./commands/log')).log(argv),
  },
];

export function findSubcommand(word: string | undefined): Subcommand | undefined {
  return word === undefined ? undefined : SUBCOMMANDS.find((s) => s.name === word);
}
