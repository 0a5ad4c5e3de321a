// A webview page's HTML: the strict Content-Security-Policy of chart-csp.ts with a per-load nonce, one
// bundled script and its stylesheet from dist/, and a placeholder until the script runs. Used by every
// webview of the extension (tcp_info charts, connection log, timeline).
import * as vscode from 'vscode';
import { chartCsp, nonce } from './chart/chart-csp';

export interface WebviewPage {
  /** The bundle's base name in dist/: `<bundle>.js` and `<bundle>.css`. */
  bundle: string;
  title: string;
  loading: string;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', `${page.bundle}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', `${page.bundle}.css`));
  const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${chartCsp(webview.cspSource, n)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${esc(page.title)}</title>
</head>
<body>
<div id="app" role="main"><p class="loading">${esc(page.loading)}</p></div>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}
