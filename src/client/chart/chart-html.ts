// The chart webview's HTML: a strict Content-Security-Policy with a per-load nonce, the bundled
// script (dist/webview.js, uPlot included) and styles (dist/webview.css: uPlot's CSS + media/chart.css).
import * as vscode from 'vscode';
import { chartCsp, nonce } from './chart-csp';

export function chartHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${chartCsp(webview.cspSource, n)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>tcp_info</title>
</head>
<body>
<div id="app" role="main"><p class="loading">Loading tcp_info charts…</p></div>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}
