// The tcp_info text of an older kernel's shorter struct reads it as ss does (copied into a zeroed
// full-size struct): exactly what the full struct prints, less the fields it lacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, readFileSync, closeSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFixture } from '../netlink/fixtures';
import type { Socket } from '../../../src/netlink/diag-socket';
import { Output } from '../../../src/cli/output';
import { TextRenderer } from '../../../src/cli/text';
import { SS_TCP_INFO_LEN as FAST_TCP_INFO_LEN, TCPI } from '../../../src/fields/index';
import { NameResolver } from '../../../src/host/name-resolver';

/**
 * `ss -tni`-style text of the sockets (through a file: Output writes to a descriptor), each line's
 * padding dropped: columns are as wide as their longest cell, which differs when snd_wnd is missing.
 */
function render(sockets: Socket[], timers: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-tcpi-'));
  try {
    const file = join(dir, 'out');
    const fd = openSync(file, 'w');
    const text = new TextRenderer(new Output(fd), {
      numeric: true, resolveHosts: false, processes: false, info: true, mem: false, extended: false,
      timers, header: false, showNetid: false, showState: true,
    }, new NameResolver());
    for (const s of sockets) text.add(s);
    text.finish();
    closeSync(fd);
    return readFileSync(file, 'utf8').replace(/ +$/gm, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const timers of [false, true]) {
  test(`a tcp_info without snd_wnd prints like the full one, less snd_wnd${timers ? ' (with -o)' : ''}`, () => {
    const fast = parseFixture('tcp4.bin').sockets.filter((s) => s.kind === 'tcp' && s.attrs.info >= 0);
    assert.ok(fast.length > 0 && fast.every((s) => s.attrs.infoLen >= FAST_TCP_INFO_LEN));
    const short = parseFixture('tcp4.bin').sockets.filter((s) => s.kind === 'tcp' && s.attrs.info >= 0);
    for (const s of short) s.attrs.infoLen = FAST_TCP_INFO_LEN - 4; // ends before snd_wnd (Linux 5.4)
    const expected = render(fast, timers).replace(/ snd_wnd:\d+/g, '');
    assert.match(render(fast, timers), / rtt:/);
    assert.equal(render(short, timers), expected);
  });
}

test('a Linux 4.x tcp_info (through total_retrans) prints the fields it has and nothing of the rest', () => {
  const short = parseFixture('tcp4.bin').sockets.filter((s) => s.kind === 'tcp' && s.attrs.info >= 0);
  for (const s of short) s.attrs.infoLen = TCPI.total_retrans.offset + 4;
  const text = render(short, false);
  assert.match(text, / rtt:/);
  assert.doesNotMatch(text, / (bytes_acked|segs_out|minrtt|pacing_rate|delivery_rate|snd_wnd|rcv_ooopack):/);
});

test('any tcp_info length prints what the full struct prints with the missing bytes zeroed (as ss copies it)', () => {
  for (const len of [0, 1, 6, 7, 8, 100, 104, 120, 150, 192, 216, 231, 232, 248, 279]) {
    const short = parseFixture('tcp4.bin').sockets.filter((s) => s.kind === 'tcp' && s.attrs.info >= 0);
    const zeroed = parseFixture('tcp4.bin').sockets.filter((s) => s.kind === 'tcp' && s.attrs.info >= 0);
    for (const s of short) s.attrs.infoLen = len;
    for (const s of zeroed) s.buf.fill(0, s.attrs.info + len, s.attrs.info + s.attrs.infoLen);
    for (const timers of [false, true]) assert.equal(render(short, timers), render(zeroed, timers), `tcp_info of ${len} bytes`);
  }
});
