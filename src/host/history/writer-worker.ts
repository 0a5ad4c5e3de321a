// The writer's thread (bundled as dist/history-writer.js): owns the database connection, applies each
// batch the recorder posts and answers when it is on disk.
import { parentPort, workerData } from 'node:worker_threads';
import { HistoryWriter, type WriterOptions } from './writer';
import type { WorkerReply, WorkerRequest } from './writer-thread';

const port = parentPort;
if (port) {
  const { path, options } = workerData as { path: string; options: WriterOptions };
  let writer: HistoryWriter | undefined;
  const reply = (m: WorkerReply): void => port.postMessage(m);
  try {
    writer = new HistoryWriter(path, options);
    reply({ type: 'ready', nextId: writer.nextId });
  } catch (e) {
    reply({ type: 'error', message: (e as Error).message, fatal: true });
  }
  port.on('message', (m: WorkerRequest) => {
    if (m.type === 'batch') {
      try {
        const t0 = Date.now();
        writer?.write(m.batch);
        if (process.env.SOCKSCOPE_DEBUG === '1') process.stderr.write(`sockscope: debug: history batch ${m.seq} written in ${Date.now() - t0} ms\n`);
        reply({ type: 'written', seq: m.seq });
      } catch (e) {
        reply({ type: 'error', message: (e as Error).message, seq: m.seq });
      }
    } else if (m.type === 'close') {
      try { writer?.close(); } catch { /* closing anyway */ }
      writer = undefined;
      reply({ type: 'closed' });
      port.close();
    }
  });
}
