// `--json`: a JSON array, one SocketRecord per line, streamed through the chunked Output so the
// whole document never exists as one string.
import type { SocketRecord } from '../../protocol/socket';
import type { Output } from './output';

export class JsonArrayWriter {
  private count = 0;

  constructor(private readonly out: Output) {
    out.write('[');
  }

  add(rec: SocketRecord): void {
    this.out.write((this.count++ ? ',\n' : '\n') + JSON.stringify(rec));
  }

  finish(): void {
    this.out.write(this.count ? '\n]\n' : ']\n');
    this.out.flush();
  }
}
