// node (>= 22: a global WebSocket) inspect-profile.mjs PID OUT: a CPU profile of a running Node process
// through its inspector (opened by SIGUSR1, on 127.0.0.1:9229 of the caller's network namespace), from
// the moment it prints "profiling" until its stdin closes; written to OUT (.cpuprofile, which DevTools and
// VS Code open). For bench/view-inner.ts (BENCH_VIEW_PROFILE): where the extension host's part of a
// wait goes.
import { writeFileSync } from 'node:fs';
import { connectInspector } from './inspector.mjs';

const [pidText, out] = process.argv.slice(2);
const pid = Number(pidText);
if (!pid || !out) { console.error('usage: inspect-profile.mjs PID OUT'); process.exit(2); }
const inspector = await connectInspector(pid);
if (!inspector) { console.log('no inspector'); process.exit(0); }
const { send } = inspector;
await send('Profiler.enable');
await send('Profiler.setSamplingInterval', { interval: 200 });
await send('Profiler.start');
console.log('profiling');
process.stdin.resume();
await new Promise((r) => process.stdin.on('end', r));
const stopped = await send('Profiler.stop');
writeFileSync(out, JSON.stringify(stopped.result.profile));
console.log(`profile written: ${out}`);
inspector.close();
process.exit(0);
