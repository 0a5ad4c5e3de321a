// The `sockscope` command itself (bundled to dist/cli-main.js, which dist/cli.js loads with a compile cache).
import { CliError, describeError, printError } from './errors';
import { OutputClosed } from './output';
import { run } from './run';
import { findSubcommand } from './subcommands';

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
    const sub = findSubcommand(argv[0]);
    const result = sub ? sub.run(argv.slice(1)) : run(argv);
    if (typeof result === 'number') process.exitCode = result;
    else result.then((code) => { process.exitCode = code; process.exit(); }, (e) => { process.exitCode = fail(e); process.exit(); });
  } catch (e) {
    process.exitCode = fail(e);
  }
}

main();
