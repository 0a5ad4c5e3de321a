// Routes messages from the chart webview to handlers after validation; anything malformed is
// ignored (and reported to `onInvalid` for the log). Pure (no vscode) so it is unit-tested.
import { isWebviewToHost, type WebviewToHost } from '../../protocol/webview-messages';

export type WebviewHandlers = {
  [K in WebviewToHost['type']]: (message: Extract<WebviewToHost, { type: K }>) => void;
};

/** Returns true when the message was valid and handled. */
export function dispatchWebviewMessage(raw: unknown, handlers: WebviewHandlers, onInvalid?: (raw: unknown) => void): boolean {
  if (!isWebviewToHost(raw)) {
    onInvalid?.(raw);
    return false;
  }
  switch (raw.type) {
    case 'ready': handlers.ready(raw); break;
    case 'setPaused': handlers.setPaused(raw); break;
    case 'exportCsv': handlers.exportCsv(raw); break;
    case 'log': handlers.log(raw); break;
  }
  return true;
}
