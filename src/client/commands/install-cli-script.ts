// The launcher that "Install 'sockscope' Command in PATH" writes to ~/.local/bin/sockscope. Pure (no vscode)
// so a unit test can run it. It runs the bundled CLI with the Node that runs VS Code's extension host (on
// a Remote-SSH host, the server's), falling back to `node` on PATH when an update removed that one.

/** Quotes for POSIX sh (single quotes; a single quote becomes '\''). */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function cliLauncherScript(nodePath: string, cliPath: string): string {
  return [
    '#!/bin/sh',
    '# Written by the Sockscope extension ("Sockscope: Install \'sockscope\' Command in PATH"); run it again after an update.',
    `cli=${shQuote(cliPath)}`,
    `node=${shQuote(nodePath)}`,
    '[ -x "$node" ] || node=node',
    'if [ ! -f "$cli" ]; then echo "sockscope: $cli is gone (extension updated?): run \\"Sockscope: Install \'sockscope\' Command in PATH\\" again" >&2; exit 127; fi',
    'exec "$node" "$cli" "$@"',
    '',
  ].join('\n');
}
