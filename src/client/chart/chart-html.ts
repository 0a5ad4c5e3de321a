// The chart webview's HTML: the bundled script (dist/webview.js, uPlot included) and styles
// (dist/webview.css: uPlot's CSS + media/chart.css), with the CSP and nonce of webview-html.ts.
import type * as vscode from 'vscode';
import { webviewHtml } from '../webview-html';

export function chartHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewHtml(webview, extensionUri, { bundle: 'webview', title: 'tcp_info', loading: 'Loading tcp_info charts…' });
}
