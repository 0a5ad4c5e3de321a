// The chart webview's Content-Security-Policy: nothing by default, the webview's own resources
// for styles/images/fonts, scripts only with the per-load nonce. Pure (no vscode).
import { randomBytes } from 'node:crypto';

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function chartCsp(cspSource: string, scriptNonce: string): string {
  return [
    `default-src 'none'`,
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${scriptNonce}'`,
  ].join('; ');
}
