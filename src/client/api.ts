// What `activate` returns: `vscode.extensions.getExtension('sockscope.sockscope').exports`. End-to-end tests
// use it to wait for activation; keep it small and stable.
export interface SockscopeApi {
  /** Resolves once activation has finished wiring everything up. */
  readonly ready: Promise<void>;
}
