// node (>= 22: a global WebSocket) inspect-memory.mjs PID: the process's memory after a full garbage
// collection, through its inspector (opened by SIGUSR1, on 127.0.0.1:9229 of the caller's network
// namespace). Prints process.memoryUsage() before and after as one JSON line. For bench/view-inner.ts:
// an extension host's RSS grows with every extension's garbage, its heap after a collection is what
// is really held.
import { connectInspector } from './inspector.mjs';

const inspector = await connectInspector(Number(process.argv[2]));
if (!inspector) { console.log(JSON.stringify({ error: 'no inspector' })); process.exit(0); }
const { send } = inspector;
const usage = async () => JSON.parse((await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })).result.result.value);
const before = await usage();
await send('HeapProfiler.enable');
await send('HeapProfiler.collectGarbage');
const after = await usage();
console.log(JSON.stringify({ before, after }));
inspector.close();
process.exit(0);
