// The handle a webview gets from VS Code (acquireVsCodeApi may be called once per page), typed by the
// messages the page may post.
export interface VsCodeApi<Out> {
  postMessage(m: Out): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi<unknown>;

export function vscodeApi<Out>(): VsCodeApi<Out> {
  return acquireVsCodeApi() as VsCodeApi<Out>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
