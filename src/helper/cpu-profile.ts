// A CPU profile of the helper for benchmarks and bug reports: with SOCKSCOPE_HELPER_CPU_PROFILE=PREFIX
// in the environment of the program that starts it (not through sudo or pkexec, which clear it), the
// helper profiles itself from its start and writes PREFIX-PID.cpuprofile when it exits, or after
// SOCKSCOPE_HELPER_CPU_PROFILE_SECONDS when that is set (a helper killed with its process group
// never reaches its exit handler). Open the file in Chrome DevTools or VS Code. `node --cpu-prof` is not an option: the helper is started by VS Code's
// runtime with a fixed command line, and NODE_OPTIONS refuses the flag.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { log } from './log';

/** Starts profiling when asked; returns what writes the profile (call it on exit), else undefined. */
export function startCpuProfile(prefix = process.env.SOCKSCOPE_HELPER_CPU_PROFILE, seconds = Number(process.env.SOCKSCOPE_HELPER_CPU_PROFILE_SECONDS)): (() => void) | undefined {
  if (!prefix) return undefined;
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  let written = false;
  // An in-process session answers synchronously, so this completes inside an exit handler.
  const write = (): void => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (err, result) => {
      if (err) { log(`cpu profile: ${err.message}`); return; }
      const file = `${prefix}-${process.pid}.cpuprofile`;
      try {
        writeFileSync(file, JSON.stringify(result.profile), { mode: 0o600 });
        log(`cpu profile written to ${file}`);
      } catch (e) {
        log(`cpu profile: cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  };
  if (seconds > 0) setTimeout(write, seconds * 1000).unref();
  return write;
}
