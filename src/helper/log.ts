// The helper logs to stderr only: stdout carries the protocol.
export function log(message: string): void {
  try {
    process.stderr.write(`sockscope-helper[${process.pid}]: ${message}\n`);
  } catch { /* stderr gone */ }
}
