// Entry point of the `sockscope` command (bundled to dist/cli.js).
import { CliError, describeError, printError } from './cli/errors';
import { OutputClosed } from './cli/output';
import { run } from './cli/run';

function main(): void {
  let code: number;
  try {
    code = run(process.argv.slice(2));
  } catch (e) {
    if (e instanceof OutputClosed) code = 0;
    else if (e instanceof CliError) { printError(e.message); code = e.exitCode; }
    else {
      printError(describeError(e));
      if (process.env.SOCKSCOPE_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
      code = 1;
    }
  }
  process.exitCode = code;
}

main();
