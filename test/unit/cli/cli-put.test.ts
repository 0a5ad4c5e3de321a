// The byte writers of the CLI's hot paths print exactly what String()/inet_ntop/toString(16) would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PackedStrings, putUint, putWords } from '../../../src/cli/put';
import { ByteSink } from '../../../src/cli/output';

test('putUint prints every integer below 2^53 like String()', () => {
  const b = Buffer.alloc(64);
  const vals = [0, 9, 10, 99, 100, 2147483647, 2147483648, 999999999, 1e9, 1e9 + 1, 4294967295, 4294967296, 2619280000000, 999999999999, 1e15, 9007199254740991];
  let x = 1;
  for (let i = 0; i < 20000; i++) { x = (x * 1103515245 + 12345) % 2147483648; vals.push(Math.floor((x / 2147483648) * 2 ** ((i % 53) + 1))); }
  for (const v of vals) assert.equal(b.toString('latin1', 0, putUint(b, 0, v)), String(v));
});

test('PackedStrings copies each string exactly and refuses non-ASCII', () => {
  const texts = ['', 'a', ' rto:', ',"bytes_received":', 'x'.repeat(17), '{"netid":"'];
  const ps = new PackedStrings(texts);
  const out = Buffer.alloc(256);
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let p = 0;
  for (let i = 0; i < texts.length; i++) p = putWords(dv, p, ps.view, ps.start[i], ps.len[i]);
  assert.equal(out.toString('latin1', 0, p), texts.join(''));
  assert.throws(() => new PackedStrings(['caf\u00e9']));
  assert.throws(() => new PackedStrings(['\x7f']));
});

test('ByteSink.hex32 and ipv4', () => {
  const d = new ByteSink(4);
  for (const v of [0, 1, 15, 16, 255, 0x2c94fa, 0xffffffff]) { d.pos = 0; d.hex32(v); assert.equal(d.buf.toString('latin1', 0, d.pos), v.toString(16)); }
  for (const a of [[0, 0, 0, 0], [127, 0, 0, 1], [10, 77, 0, 255], [255, 255, 255, 255], [1, 23, 100, 9]]) {
    d.pos = 0; d.ipv4(Uint8Array.from(a), 0); assert.equal(d.buf.toString('latin1', 0, d.pos), a.join('.'));
  }
});
