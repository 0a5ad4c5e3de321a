/* global fetch, WebSocket */
// node (>= 22: a global WebSocket) inspect-profile.mjs PID OUT: a CPU profile of a running Node process
// through its inspector (opened by SIGUSR1, on 127.0.0.1:9229 of the caller's network namespace), from
// the moment it prints "profiling" until its stdin closes; written to OUT (.cpuprofile, which DevTools and
// VS Code open). For bench/view-inner.ts (BENCH_VIEW_PROFILE): where the extension host's part of a
// wait goes.
import { writeFileSync } from 'node:fs';

const [pidText, out] = process.argv.slice(2);
const pid = Number(pidText);
if (!pid || !out) { console.error('usage: inspect-profile.mjs PID OUT'); process.exit(2); }
process.kill(pid, 'SIGUSR1');
let list;
for (let i = 0; i < 50 && !list; i++) {
  await new Promise((r) => setTimeout(r, 100));
  list = await fetch('http://127.0.0.1:9229/json/list').then((r) => r.json(), () => undefined);
}
if (!list?.length) { console.log('no inspector'); process.exit(0); }
const ws = new WebSocket(list[0].webSocketDebuggerUrl);
await new Promise((r, j) => { ws.addEventListener('open', r); ws.addEventListener('error', j); });
let id = 0;
const pending = new Map();
ws.addEventListener('message', (e) => { const m = JSON.parse(e.data); pending.get(m.id)?.(m); pending.delete(m.id); });
const send = (method, params = {}) => new Promise((r) => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
await send('Profiler.enable');
await send('Profiler.setSamplingInterval', { interval: 200 });
await send('Profiler.start');
console.log('profiling');
process.stdin.resume();
await new Promise((r) => process.stdin.on('end', r));
const stopped = await send('Profiler.stop');
writeFileSync(out, JSON.stringify(stopped.result.profile));
console.log(`profile written: ${out}`);
ws.close();
process.exit(0);
