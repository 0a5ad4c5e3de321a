// Buffered output to a file descriptor with synchronous writes: text is gathered into large
// chunks and written with fs.writeSync loops, retrying on EAGAIN (a non-blocking pipe that is
// full) so nothing is lost and memory stays bounded however many sockets are printed.
import { writeSync } from 'node:fs';

const CHUNK = 1 << 20;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Thrown when the reader went away (EPIPE): the CLI stops quietly. */
export class OutputClosed extends Error {
  constructor() { super('output closed'); }
}

export class Output {
  private parts: string[] = [];
  private pending = 0;

  constructor(private readonly fd: number = 1, private readonly chunkSize: number = CHUNK) {}

  /** Appends text; flushes when a chunk is full. */
  write(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= this.chunkSize) this.flush();
  }

  /** Writes everything buffered. */
  flush(): void {
    if (this.parts.length === 0) return;
    const data = Buffer.from(this.parts.length === 1 ? this.parts[0] : this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    writeAll(this.fd, data);
  }
}

/** Writes all of `data` to `fd`, waiting out EAGAIN; throws OutputClosed on EPIPE. */
export function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += writeSync(fd, data, off, data.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') { Atomics.wait(sleeper, 0, 0, 2); continue; }
      if (code === 'EPIPE') throw new OutputClosed();
      throw e;
    }
  }
}
