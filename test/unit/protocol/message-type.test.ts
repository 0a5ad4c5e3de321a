// The typed message descriptors (src/protocol/message-type.ts): what the compiler refuses (each line marked
// with a ts-expect-error directive breaks `tsc --noEmit` if it stops refusing it) and what the runtime checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Handlers } from '../../../src/helper/rpc-server';
import { HELPER_REQUESTS, isHelperMethod } from '../../../src/protocol/helper-requests';
import { LIVE_VALUES } from '../../../src/protocol/live-values';
import {
  dispatchMessage, onRequest, parseMessage, requestType, sendRequest, type MessageHandlers, type RequestSender,
} from '../../../src/protocol/message-type';
import { TO_SS_COMMAND } from '../../../src/protocol/ssq-commands';
import { WEBVIEW_TO_HOST } from '../../../src/protocol/webview-messages';

/** A connection whose other side answers `answer` to every request. */
function peer(answer: unknown): RequestSender & { sent: Array<{ method: string; args: unknown[] }> } {
  const sent: Array<{ method: string; args: unknown[] }> = [];
  return { sent, sendRequest: async (method, ...args) => { sent.push({ method, args }); return answer; } };
}

test('the compiler refuses a missing handler, a missing schema, wrong params and a hand-picked result type', () => {
  // @ts-expect-error a webview message without a handler
  const partial: MessageHandlers<typeof WEBVIEW_TO_HOST> = { ready: () => undefined, setPaused: () => undefined, exportCsv: () => undefined };
  void partial;
  // @ts-expect-error a helper request without a handler (only `initialize` given)
  const helperHandlers: Handlers = { initialize: () => ({ protocolVersion: 1, helperVersion: '', pid: 1, capabilities: {} as never }) };
  void helperHandlers;
  // @ts-expect-error a descriptor needs its params schema
  requestType<{ a: number }, null>()('x');
  const conn = peer({ ssCommand: null, errors: [] });
  // @ts-expect-error params of the wrong shape
  void sendRequest(conn, TO_SS_COMMAND, { txt: 'x' }).catch(() => undefined);
  // The result type comes from the descriptor: assigning it to another type does not compile.
  // @ts-expect-error ToSsCommandResult is not a LiveValuesResult
  const wrong: Promise<{ values: unknown[] }> = sendRequest(conn, TO_SS_COMMAND, { text: 'x' });
  void wrong.catch(() => undefined);
});

test('sendRequest checks the result against the descriptor and sends no params for NoParams requests', async () => {
  assert.deepEqual(await sendRequest(peer({ ssCommand: 'ss -t', errors: [] }), TO_SS_COMMAND, { text: '-t' }), { ssCommand: 'ss -t', errors: [] });
  await assert.rejects(sendRequest(peer({ ssCommand: 42 }), TO_SS_COMMAND, { text: '-t' }), /invalid result for sockscope\/toSsCommand: result.ssCommand: expected string/);
  await assert.rejects(sendRequest(peer({ values: [{ value: 1 }] }), LIVE_VALUES, { kind: 'ports' }), /result.values\[0\].value/);
  const conn = peer(null);
  await sendRequest(conn, HELPER_REQUESTS.capabilities, undefined);
  assert.deepEqual(conn.sent, [{ method: 'capabilities', args: [] }]);
});

test('onRequest checks params before the handler runs', async () => {
  let handler: ((p: unknown) => unknown) | undefined;
  const seen: string[] = [];
  onRequest({ onRequest: (_m, h) => { handler = h; } }, TO_SS_COMMAND, (p) => { seen.push(p.text); return { ssCommand: null, errors: [] }; });
  assert.ok(handler);
  assert.throws(() => handler?.({ text: 5 }), /invalid params for sockscope\/toSsCommand: params.text: expected string/);
  assert.throws(() => handler?.({ text: 'x', extra: 1 }), /unknown property "extra"/);
  assert.deepEqual(handler({ text: '-t' }), { ssCommand: null, errors: [] });
  assert.deepEqual(seen, ['-t']);
});

test('tagged messages: only a table key with valid params passes, prototype keys never do', () => {
  assert.deepEqual(parseMessage(WEBVIEW_TO_HOST, { type: 'setPaused', paused: true }), { type: 'setPaused', paused: true });
  for (const bad of [{ type: 'constructor' }, { type: 'hasOwnProperty' }, { type: 'setPaused', paused: 1 }, { type: 'ready', x: 1 }]) {
    assert.equal(parseMessage(WEBVIEW_TO_HOST, bad), undefined, JSON.stringify(bad));
  }
  const got: string[] = [];
  const handlers: MessageHandlers<typeof WEBVIEW_TO_HOST> = {
    ready: () => got.push('ready'), setPaused: (m) => got.push(String(m.paused)), exportCsv: () => got.push('csv'), log: (m) => got.push(m.message),
  };
  assert.equal(dispatchMessage(WEBVIEW_TO_HOST, handlers, { type: 'log', message: 'hi' }), true);
  assert.deepEqual(got, ['hi']);
});

test('helper request table: each key is its method name, and only own keys are methods', () => {
  for (const [key, type] of Object.entries(HELPER_REQUESTS)) assert.equal(type.method, key);
  assert.equal(isHelperMethod('toString'), false);
  assert.equal(isHelperMethod('__proto__'), false);
});
