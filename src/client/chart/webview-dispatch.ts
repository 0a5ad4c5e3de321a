// Routes messages from the chart webview to handlers after validation (WEBVIEW_TO_HOST's schemas);
// anything malformed is ignored (and reported to `onInvalid` for the log). Pure (no vscode) so it is unit-tested.
import { dispatchMessage, type MessageHandlers } from '../../protocol/message-type';
import { WEBVIEW_TO_HOST } from '../../protocol/webview-messages';

/** One handler per message of WEBVIEW_TO_HOST: a missing one is a compile error. */
export type WebviewHandlers = MessageHandlers<typeof WEBVIEW_TO_HOST>;

/** Returns true when the message was valid and handled. */
export function dispatchWebviewMessage(raw: unknown, handlers: WebviewHandlers, onInvalid?: (raw: unknown) => void): boolean {
  return dispatchMessage(WEBVIEW_TO_HOST, handlers, raw, onInvalid);
}
