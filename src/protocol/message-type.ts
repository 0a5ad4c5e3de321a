// One typed descriptor per message (in the style of vscode-languageserver's `RequestType<P, R>`): the
// method name, the params type, the result type and the validator of the params, declared together. The
// helper protocol (helper-requests.ts), the LSP extensions (live-values.ts, ssq-commands.ts) and the webview
// messages (webview-messages.ts) are tables of these; senders and receivers take their types from the
// descriptor, so nobody picks a result type by hand and a table entry without a schema does not compile.
import { check, type Schema } from './schema';

export interface RequestType<P, R> {
  readonly method: string;
  /** Checks the params the receiver gets (the receiver runs it before its handler). */
  readonly params: Schema;
  /** Checks the result the sender gets back, where the other side is not trusted to send the right shape. */
  readonly result?: Schema;
  /** Types only: never set. */
  readonly _types?: { params: P; result: R };
}

export interface NotificationType<P> {
  readonly method: string;
  readonly params: Schema;
  readonly _types?: { params: P };
}

/** `requestType<P, R>()('method', paramsSchema, resultSchema?)`: P and R explicit, the method name literal. */
export function requestType<P, R>() {
  return <M extends string>(method: M, params: Schema, result?: Schema): RequestType<P, R> & { readonly method: M } =>
    result ? { method, params, result } : { method, params };
}

export function notificationType<P>() {
  return <M extends string>(method: M, params: Schema): NotificationType<P> & { readonly method: M } => ({ method, params });
}

export type ParamsOf<T> = T extends RequestType<infer P, unknown> ? P : T extends NotificationType<infer P> ? P : never;
export type ResultOf<T> = T extends RequestType<unknown, infer R> ? R : never;

export type Checked<P> = { ok: true; value: P } | { ok: false; errors: string[] };

/** Runs a descriptor's params schema: at most 20 problems, each naming its path. */
export function checkParams<T extends RequestType<unknown, unknown> | NotificationType<unknown>>(type: T, value: unknown): Checked<ParamsOf<T>> {
  const errors = check(type.params, value);
  return errors.length ? { ok: false, errors: errors.slice(0, 20) } : { ok: true, value: value as ParamsOf<T> };
}

/** Runs a request's result schema (none: accepted as is). */
export function checkResult<T extends RequestType<unknown, unknown>>(type: T, value: unknown): Checked<ResultOf<T>> {
  const errors = type.result ? check(type.result, value, 'result') : [];
  return errors.length ? { ok: false, errors: errors.slice(0, 20) } : { ok: true, value: value as ResultOf<T> };
}

/** Handlers for every request of a table: a missing one is a compile error. */
export type RequestHandlers<T extends Record<string, RequestType<unknown, unknown>>, Extra extends unknown[] = []> = {
  [K in keyof T]: (params: ParamsOf<T[K]>, ...extra: Extra) => ResultOf<T[K]> | Promise<ResultOf<T[K]>>;
};

/** Handlers for every notification of a table: a missing one is a compile error. */
export type NotificationHandlers<T extends Record<string, NotificationType<unknown>>> = {
  [K in keyof T]: (params: ParamsOf<T[K]>) => void;
};

// ---------------------------------------------------------------------------------------------
// Typed use of a JSON-RPC connection (vscode-jsonrpc's MessageConnection, vscode-languageclient's
// LanguageClient and vscode-languageserver's Connection all fit): the descriptor picks the types.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parameter types of a table's entries differ
type AnyRequest = RequestType<any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
type AnyNotification = NotificationType<any>;

export interface RequestSender {
  sendRequest(method: string, ...args: unknown[]): Promise<unknown>;
}
export interface RequestReceiver {
  onRequest(method: string, handler: (params: unknown) => unknown): unknown;
}
export interface NotificationReceiver {
  onNotification(method: string, handler: (params: unknown) => void): unknown;
}

/** The error a receiver answers when the params fail their schema (JSON-RPC InvalidParams). */
export class InvalidMessageError extends Error {
  constructor(readonly method: string, readonly problems: string[], what: 'params' | 'result') {
    super(`invalid ${what} for ${method}: ${problems.join('; ')}`);
  }
}

/** Sends a request and checks its result with the descriptor's result schema, if it has one. */
export async function sendRequest<T extends AnyRequest>(conn: RequestSender, type: T, params: ParamsOf<T>, ...token: unknown[]): Promise<ResultOf<T>> {
  const raw = params === undefined ? await conn.sendRequest(type.method, ...token) : await conn.sendRequest(type.method, params, ...token);
  const checked = checkResult(type, raw);
  if (!checked.ok) throw new InvalidMessageError(type.method, checked.errors, 'result');
  return checked.value as ResultOf<T>;
}

/** Answers a request after checking its params with the descriptor's schema (a bad one is rejected before the handler). */
export function onRequest<T extends AnyRequest>(conn: RequestReceiver, type: T, handler: (params: ParamsOf<T>) => ResultOf<T> | Promise<ResultOf<T>>): void {
  conn.onRequest(type.method, (params: unknown) => {
    const checked = checkParams(type, params);
    if (!checked.ok) throw new InvalidMessageError(type.method, checked.errors, 'params');
    return handler(checked.value as ParamsOf<T>);
  });
}

export function onNotification<T extends AnyNotification>(conn: NotificationReceiver, type: T, handler: (params: ParamsOf<T>) => void): void {
  conn.onNotification(type.method, (params: unknown) => {
    if (checkParams(type, params).ok) handler(params as ParamsOf<T>);
  });
}

// ---------------------------------------------------------------------------------------------
// Tagged messages (a webview's postMessage): one-way, `{ type, ...params }` on the wire, where `type` is
// the table key and the descriptor's method.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
type TaggedTable = Record<string, NotificationType<any>>;

/** The union of a table's messages as they travel: `{ type: key } & params`. */
export type MessageOf<T extends TaggedTable> = { [K in keyof T & string]: { type: K } & ParamsOf<T[K]> }[keyof T & string];

/** Handlers for every message of a table: a missing one is a compile error. */
export type MessageHandlers<T extends TaggedTable> = {
  [K in keyof T & string]: (message: Extract<MessageOf<T>, { type: K }>) => void;
};

/** The message if it is one of the table's, with valid params; else undefined. */
export function parseMessage<T extends TaggedTable>(table: T, raw: unknown): MessageOf<T> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(table, type)) return undefined;
  const params: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (key !== 'type') params[key] = (raw as Record<string, unknown>)[key];
  return checkParams(table[type] as NotificationType<unknown>, params).ok ? raw as MessageOf<T> : undefined;
}

/** Validates and routes a message to its handler; returns false (and calls onInvalid) for anything else. */
export function dispatchMessage<T extends TaggedTable>(table: T, handlers: MessageHandlers<T>, raw: unknown, onInvalid?: (raw: unknown) => void): boolean {
  const message = parseMessage(table, raw);
  if (!message) {
    onInvalid?.(raw);
    return false;
  }
  (handlers[message.type] as (m: MessageOf<T>) => void)(message);
  return true;
}
