// The request dispatcher: the only way into the helper. Every request goes through one handler
// that refuses unknown methods, refuses everything but `initialize` before initialize, validates
// params against the method's schema, and maps failures to JSON-RPC errors. A failing request
// never stops the helper.
import type { CancellationToken, MessageConnection } from 'vscode-jsonrpc/node';
import { ResponseError } from 'vscode-jsonrpc/node';
import { ErrorCodes } from '../protocol/helper-protocol';
import { isHelperMethod, validateParams, type HelperNotifications, type HelperRequests } from '../protocol/helper-requests';
import type { NotificationType, ParamsOf, RequestHandlers } from '../protocol/message-type';
import { toResponseError } from './errors';
import { log } from './log';
import { requestTrace } from './request-trace';

const trace = requestTrace();

/** One handler per request of HELPER_REQUESTS (a missing one is a compile error). */
export type Handlers = RequestHandlers<HelperRequests, [token: CancellationToken]>;

/** Sends a typed notification (one of HELPER_NOTIFICATIONS); resolves when written (so streams cannot outrun the reader). */
export type Notify = <T extends HelperNotifications[keyof HelperNotifications]>(type: T, params: ParamsOf<T>) => Promise<void>;

export function notifier(connection: MessageConnection): Notify {
  return (type: NotificationType<unknown>, params: unknown) => {
    trace?.sent(type.method, params);
    return connection.sendNotification(type.method, params);
  };
}

export function serve(connection: MessageConnection, handlers: Handlers): void {
  let initialized = false;
  connection.onRequest(async (method: string, params: unknown, token: CancellationToken) => {
    if (!isHelperMethod(method)) {
      throw new ResponseError(ErrorCodes.MethodNotFound, `unknown method "${method.slice(0, 64)}"`);
    }
    if (!initialized && method !== 'initialize') {
      throw new ResponseError(ErrorCodes.NotInitialized, 'initialize first');
    }
    const checked = validateParams(method, params);
    if (!checked.ok) {
      throw new ResponseError(ErrorCodes.InvalidParams, `invalid params for ${method}: ${checked.errors.join('; ')}`, checked.errors);
    }
    const started = performance.now();
    try {
      const handler = handlers[method] as (p: unknown, t: CancellationToken) => unknown;
      const result = await handler(checked.value, token);
      if (method === 'initialize') initialized = true;
      trace?.answered(method, performance.now() - started, false);
      return result ?? null;
    } catch (e) {
      trace?.answered(method, performance.now() - started, true);
      const err = toResponseError(e);
      if (err.code === ErrorCodes.InternalError) log(`${method} failed: ${err.message}`);
      throw err;
    }
  });
  // Notifications from the client carry nothing the helper acts on ($/cancelRequest is handled by
  // vscode-jsonrpc); anything else is dropped.
  connection.onNotification(() => undefined);
}
