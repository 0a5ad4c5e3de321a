// The `sockscope` command itself (bundled to dist/cli-main.js, which dist/cli.js loads with a compile cache).
import { CliError, describeError, printError } from './errors';
import { OutputClosed } from './output';
import { run } from './run';
import { SUBCOMMANDS, findSubcommand } from './subcommands';
import { USAGE } from './args';
import { Output } from './output';

function fail(e: unknown): number {
  if (e instanceof OutputClosed) return 0;
  if (e instanceof CliError) { printError(e.message); return e.exitCode; }
  printError(describeError(e));
  if (process.env.SOCKSCOPE_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  return 1;
}

function main(): void {
  try {
    const argv = process.argv.slice(2);
    // `sockscope --help`: ss's options, then the subcommands (each has its own --help).
    if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
      const out = new Output(1);
      out.write(USAGE + '\nSubcommands (sockscope SUBCOMMAND --help):\n' + SUBCOMMANDS.map((c) => `   ${c.name.padEnd(17)} ${c.summary}\n`).join(''));
      out.flush();
      process.exitCode = 0;
      return;
    }
    const sub = findSubcommand(argv[0]);
    const result = sub ? sub.run(argv.slice(1)) : run(argv);
    if (typeof result === 'number') process.exitCode = result;
    else result.then((code) => { process.exitCode = code; process.exit(); }, (e) => { process.exitCode = fail(e); process.exit(); });
  } catch (e) {
    process.exitCode = fail(e);
  }
}

main();
