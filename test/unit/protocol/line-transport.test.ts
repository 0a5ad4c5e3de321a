// The line framing: splitting, size limit, malformed input reported (never thrown), and the
// reader/writer pair carrying JSON-RPC messages through a stream.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { Message } from 'vscode-jsonrpc';
import { isMalformed, LineMessageReader, LineMessageWriter, LineSplitter, parseLine, type Malformed } from '../../../src/protocol/line-transport';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('line framing', () => {
  it('splits lines across chunk boundaries', () => {
    const lines: string[] = [];
    let tooLong = 0;
    const s = new LineSplitter(100, (l) => lines.push(dec(l)), () => tooLong++);
    s.push(enc('ab'));
    s.push(enc('c\nde'));
    s.push('f\n\ng');
    s.push(enc('h\n'));
    assert.deepEqual(lines, ['abc', 'def', '', 'gh']);
    assert.equal(tooLong, 0);
  });

  it('drops a line longer than the limit without keeping it, then carries on', () => {
    const lines: string[] = [];
    let tooLong = 0;
    const s = new LineSplitter(10, (l) => lines.push(dec(l)), () => tooLong++);
    s.push(enc('0123456789'));
    s.push(enc('abc'));
    for (let i = 0; i < 100; i++) s.push(enc('x'.repeat(1000)));
    s.push(enc('\nok\n'));
    s.push(enc('0123456789\n'));
    assert.deepEqual(lines, ['ok', '0123456789']);
    assert.equal(tooLong, 1);
  });

  it('classifies lines', () => {
    assert.equal(parseLine(enc('   ')), undefined);
    const codeOf = (t: string): number | undefined => {
      const r = parseLine(enc(t));
      return r && isMalformed(r) ? (r as Malformed).code : undefined;
    };
    assert.equal(codeOf('{'), -32700);
    assert.equal(codeOf('\u0000\u00ff'), -32700);
    assert.equal(codeOf('[]'), -32600);
    assert.equal(codeOf('1'), -32600);
    assert.equal(codeOf('{"id":1,"method":"x"}'), -32600);
    assert.equal(codeOf('{"jsonrpc":"2.0","id":[1],"method":"x"}'), -32600);
    assert.equal(codeOf('{"jsonrpc":"2.0","id":null,"method":"x"}'), -32600);
    assert.equal(codeOf('{"jsonrpc":"2.0","id":1}'), -32600);
    assert.equal(codeOf('{"jsonrpc":"2.0","id":1,"method":"x","params":{}}'), undefined);
    assert.equal(codeOf('{"jsonrpc":"2.0","method":"x"}'), undefined);
    assert.equal(codeOf('{"jsonrpc":"2.0","id":1,"result":null}'), undefined);
    const withId = parseLine(enc('{"jsonrpc":"2.0","id":7,"method":5}')) as Malformed;
    assert.equal(withId.id, 7);
  });

  it('carries messages from a writer to a reader and reports garbage', async () => {
    const pipe = new PassThrough();
    const writer = new LineMessageWriter(pipe);
    const malformed: Malformed[] = [];
    const reader = new LineMessageReader(pipe, { onMalformed: (m) => malformed.push(m), maxMessageBytes: 64 });
    const got: Message[] = [];
    reader.listen((m) => got.push(m));
    await writer.write({ jsonrpc: '2.0', id: 1, method: 'capabilities' } as Message);
    pipe.write('garbage\n');
    pipe.write(Buffer.alloc(200, 0x41));
    pipe.write('\n');
    await writer.write({ jsonrpc: '2.0', method: 'ready', params: { pid: 1 } } as Message);
    await new Promise((r) => setImmediate(r));
    assert.equal(got.length, 2);
    assert.deepEqual(malformed.map((m) => m.code), [-32700, -32600]);
    let closed = false;
    reader.onClose(() => { closed = true; });
    pipe.end();
    await new Promise((r) => setImmediate(r));
    assert.ok(closed);
  });
});

describe('reader flow control', () => {
  it('pauses the source at maxPendingRequests unanswered requests and resumes at half', async () => {
    const pipe = new PassThrough();
    let paused = 0;
    let resumed = 0;
    const source = Object.assign(pipe, {
      pause() { paused++; return PassThrough.prototype.pause.call(pipe); },
      resume() { resumed++; return PassThrough.prototype.resume.call(pipe); },
    });
    const reader = new LineMessageReader(source, { maxPendingRequests: 4 });
    const got: Message[] = [];
    reader.listen((m) => got.push(m));
    const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ jsonrpc: '2.0', id: i, method: 'm' }) + '\n').join('');
    pipe.write(lines);
    await new Promise((r) => setImmediate(r));
    assert.equal(paused, 1);
    const before = got.length;
    for (let i = 0; i < before - 2; i++) reader.requestDone();
    assert.ok(resumed >= 1);
    const writer = new LineMessageWriter(new PassThrough(), () => reader.requestDone());
    await writer.write({ jsonrpc: '2.0', id: 1, result: null } as Message);
    await writer.write({ jsonrpc: '2.0', method: 'n' } as Message);
    reader.dispose();
  });
});
