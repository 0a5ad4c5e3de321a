// Loading captured sock_diag replies (see test/fixtures/netlink/capture.ts).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDatagram, newDumpState, type DumpState } from '../../../src/netlink/parse';
import { ALL_STATES, type Socket, type SockKind } from '../../../src/netlink/diag-socket';
import type { PopSocket, Population } from '../../fixtures/netlink/population';

const DIR = join(__dirname, '..', '..', 'fixtures', 'netlink');

interface Manifest {
  kernel: string;
  population: Population;
  fixtures: Record<string, { kind: SockKind; seq: number; sockets: number; errno: number }>;
}

export const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Manifest;

/** The datagrams of a fixture file, each in its own Buffer. */
export function datagrams(file: string): Buffer[] {
  const all = readFileSync(join(DIR, file));
  const out: Buffer[] = [];
  let off = 0;
  while (off + 4 <= all.length) {
    const n = all.readUInt32LE(off);
    out.push(Buffer.from(all.subarray(off + 4, off + 4 + n)));
    off += 4 + n;
  }
  return out;
}

/** Parse a whole fixture as a dump would. */
export function parseFixture(file: string, states = ALL_STATES): { sockets: Socket[]; state: DumpState } {
  const f = manifest.fixtures[file];
  const st = newDumpState(f.kind, f.seq, states);
  const sockets: Socket[] = [];
  for (const d of datagrams(file)) parseDatagram(d, d.length, st, (s) => sockets.push(s));
  return { sockets, state: st };
}

export function pop(label: string): PopSocket {
  const p = manifest.population.sockets.find((s) => s.label === label);
  if (!p) throw new Error(`no population socket ${label}`);
  return p;
}

export function byInode(sockets: Socket[], inode: number): Socket {
  const s = sockets.find((x) => x.inode === inode);
  if (!s) throw new Error(`no socket with inode ${inode}`);
  return s;
}
