// A CPU profile of a running Node process by bench/inspect-profile.mjs in a child (which needs Node >= 22:
// the code-server setup's Node 24), from when it says it is profiling until stop(), which returns
// its last line (where the profile went, or "no inspector").
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export async function startProfileChild(node: string, pid: number, file: string): Promise<{ stop(): Promise<string> }> {
  const child = spawn(node, [join(__dirname, 'inspect-profile.mjs'), String(pid), file], { stdio: ['pipe', 'pipe', 'inherit'] });
  let said = '';
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => { said += String(d); if (/profiling|no inspector/.test(said)) resolve(); }));
  return {
    async stop() {
      const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      child.stdin.end();
      await done;
      return said.trim().split('\n').pop() ?? '';
    },
  };
}
