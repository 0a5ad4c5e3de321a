// The writer's thread (bundled as dist/history-writer.js): owns the database connection, applies each
// batch the recorder posts and answers when it is on disk.
import { parentPort, workerData } from 'node:worker_threads';
import { fullCollector, HeapSettler } from '../heap-settle';
import { batchSize } from './batch';
import { HistoryWriter, type WriterOptions } from './writer';
import type { WorkerReply, WorkerRequest } from './writer-thread';

const port = parentPort;
if (port) {
  const { path, options } = workerData as { path: string; options: WriterOptions };
  let writer: HistoryWriter | undefined;
  // A recording's first batches hold a row per socket (100,000 at scale): their garbage is collected
  // once they are written, or the thread keeps its heap at that size while it idles between refreshes.
  const settler = new HeapSettler({ collect: fullCollector({ release: true }) });
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
        settler.note(batchSize(m.batch));
        if (process.env.SOCKSCOPE_DEBUG === '1') process.stderr.write(`sockscope: debug: history batch ${m.seq} written in ${Date.now() - t0} ms\n`);
        reply({ type: 'written', seq: m.seq });
      } catch (e) {
        reply({ type: 'error', message: (e as Error).message, seq: m.seq });
      }
    } else if (m.type === 'close') {
      try { writer?.close(); } catch { /* closing anyway */ }
      writer = undefined;
      settler.dispose();
      reply({ type: 'closed' });
      port.close();
    }
  });
}
