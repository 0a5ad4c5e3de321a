// Entry point of the ssq language server (bundled to dist/server.js). Transport from the command
// line: --stdio, --node-ipc or --socket=PORT (vscode-languageserver picks it up);
// `node dist/server.js --stdio` works in any LSP editor.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startSsqServer } from './server';

if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe=')) && !process.send) {
  process.argv.push('--stdio');
}
startSsqServer(createConnection(ProposedFeatures.all));
