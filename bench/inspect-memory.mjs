/* global fetch, WebSocket */
// node (>= 22: a global WebSocket) inspect-memory.mjs PID: the process's memory after a full garbage
// collection, through its inspector (opened by SIGUSR1, on 127.0.0.1:9229 of the caller's network
// namespace). Prints process.memoryUsage() before and after as one JSON line. For bench/view-inner.ts:
// an extension host's RSS grows with every extension's garbage, its heap after a collection is what
// is really held.
const pid = Number(process.argv[2]);
process.kill(pid, 'SIGUSR1');
let list;
for (let i = 0; i < 50 && !list; i++) {
  await new Promise((r) => setTimeout(r, 100));
  list = await fetch('http://127.0.0.1:9229/json/list').then((r) => r.json(), () => undefined);
}
if (!list?.length) { console.log(JSON.stringify({ error: 'no inspector' })); process.exit(0); }
const ws = new WebSocket(list[0].webSocketDebuggerUrl);
await new Promise((r, j) => { ws.addEventListener('open', r); ws.addEventListener('error', j); });
let id = 0;
const pending = new Map();
ws.addEventListener('message', (e) => { const m = JSON.parse(e.data); pending.get(m.id)?.(m); pending.delete(m.id); });
const send = (method, params = {}) => new Promise((r) => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
const usage = async () => JSON.parse((await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })).result.result.value);
const before = await usage();
await send('HeapProfiler.enable');
await send('HeapProfiler.collectGarbage');
const after = await usage();
console.log(JSON.stringify({ before, after }));
ws.close();
process.exit(0);
