// The socket helper: serves the helper protocol (src/protocol/helper-protocol.ts, src/protocol/helper-requests.ts) on stdin/stdout,
// one JSON-RPC message per line, logs to stderr. It may run as root (through sudo or pkexec), so it
// exits as soon as its client is gone: stdin closes, stdout breaks, or its parent process changes.
import { HELPER_NOTIFICATIONS } from '../protocol/helper-requests';
import type { ParamsOf } from '../protocol/message-type';
import { createMessageConnection } from 'vscode-jsonrpc/node';
import type { Logger } from 'vscode-jsonrpc/node';
import { PROTOCOL_VERSION } from '../protocol/helper-protocol';
import { LineMessageReader, LineMessageWriter } from '../protocol/line-transport';
import { startCpuProfile } from './cpu-profile';
import { createSession } from './handlers';
import { log } from './log';
import { createNetlinkSource } from './netlink-engine';
import { notifier, serve } from './rpc-server';

const PARENT_CHECK_MS = 1000;

function main(): void {
  const writeProfile = startCpuProfile();
  // Nothing but the protocol may reach stdout.
  console.log = console.info = console.debug = (...args: unknown[]) => log(args.map(String).join(' '));

  let exiting = false;
  const exit = (why: string, code = 0): void => {
    if (exiting) return;
    exiting = true;
    if (why) log(`exiting: ${why}`);
    try { session.dispose(); } catch { /* best effort */ }
    writeProfile?.();
    process.exit(code);
  };

  const writer = new LineMessageWriter(process.stdout, () => reader.requestDone());
  const reader = new LineMessageReader(process.stdin, {
    // A client flooding requests is read only as fast as they are answered.
    maxPendingRequests: 256,
    onMalformed: (m) => {
      void writer.writeRaw({ jsonrpc: '2.0', id: m.id, error: { code: m.code, message: m.message } }).catch(() => undefined);
    },
  });
  const logger: Logger = { error: log, warn: log, info: () => undefined, log: () => undefined };
  const connection = createMessageConnection(reader, writer, logger);
  const session = createSession(createNetlinkSource(), notifier(connection), () => exit('shutdown requested'));
  serve(connection, session.handlers);

  reader.onClose(() => exit('stdin closed'));
  reader.onError((e) => log(`read error: ${e.message}`));
  writer.onClose(() => exit('stdout closed'));
  writer.onError(([e]) => exit(`stdout error: ${e.message}`, 1));
  connection.onClose(() => exit('connection closed'));
  process.stdin.on('end', () => exit('stdin closed'));
  process.stdin.on('close', () => exit('stdin closed'));
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => exit(`signal ${sig}`));
  process.on('uncaughtException', (e) => log(`uncaught: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
  process.on('unhandledRejection', (e) => log(`unhandled rejection: ${e instanceof Error ? e.message : String(e)}`));

  // Parent death: a root helper must never outlive the extension host. When our parent dies we
  // are re-parented (to init or a subreaper) and ppid changes.
  const parent = process.ppid;
  setInterval(() => { if (process.ppid !== parent) exit(`parent ${parent} is gone`); }, PARENT_CHECK_MS);

  connection.listen();
  const ready: ParamsOf<typeof HELPER_NOTIFICATIONS.ready> = { protocolVersion: PROTOCOL_VERSION, pid: process.pid };
  void writer.writeRaw({ jsonrpc: '2.0', method: HELPER_NOTIFICATIONS.ready.method, params: ready }).catch(() => undefined);
}

main();
