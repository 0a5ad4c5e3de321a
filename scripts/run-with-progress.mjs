#!/usr/bin/env node
// Runs one long install step with its full output in a log file and its progress on the terminal: which
// package's install script runs now, how many have run (of about how many), and the time taken; a line
// every 15 s while nothing new happens. setup-code-server.mjs runs npm through this (synchronously, with
// the terminal inherited), so `npm start` and `npm test` show progress while code-server installs.
//   node scripts/run-with-progress.mjs --log FILE --title TEXT [--expect N] -- CMD ARGS...
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const args = process.argv.slice(2);
const sep = args.indexOf('--');
const opt = (name) => { const i = args.indexOf(name); return i >= 0 && i < sep ? args[i + 1] : undefined; };
const logFile = opt('--log');
const title = opt('--title') ?? 'install';
const expect = Number(opt('--expect') ?? 0);
const [cmd, ...cmdArgs] = sep >= 0 ? args.slice(sep + 1) : [];
if (!logFile || !cmd) {
  console.error('usage: run-with-progress.mjs --log FILE --title TEXT [--expect N] -- CMD ARGS...');
  process.exit(2);
}

const tty = Boolean(process.stdout.isTTY);
const started = Date.now();
let scripts = 0;
let current = 'starting';
let lastPrinted = 0;

const elapsed = () => {
  const s = Math.round((Date.now() - started) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

function show(force = false) {
  const count = expect ? `${Math.min(scripts, expect)}/${expect}` : `${scripts}`;
  const line = `[setup-code-server] ${title}: ${count} install scripts · ${current} · ${elapsed()}`;
  if (tty) {
    const width = process.stdout.columns || 100;
    process.stdout.write(`\r${line.length > width - 1 ? line.slice(0, width - 2) + '…' : line.padEnd(width - 1)}`);
  } else if (force || Date.now() - lastPrinted >= 15_000) {
    console.log(line);
  } else {
    return;
  }
  lastPrinted = Date.now();
}

/** npm prints `> name@version install` (or postinstall) before each package's script. */
function milestone(line) {
  const m = /^> (\S+)@(\S+) (preinstall|install|postinstall)\b/.exec(line);
  if (m) return { kind: 'script', text: `${m[3]} of ${m[1]}@${m[2]}` };
  if (/^added \d+ packages?/.test(line)) return { kind: 'done', text: line.trim() };
  if (/^Installing .*dependencies/i.test(line)) return { kind: 'phase', text: line.trim().replace(/\.+$/, '') };
  return undefined;
}

const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
let pending = '';
const onData = (chunk) => {
  appendFileSync(logFile, chunk);
  pending += chunk.toString('utf8');
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const m = milestone(line);
    if (!m) continue;
    if (m.kind === 'script') scripts++;
    current = m.text;
    show(true);
  }
};
child.stdout.on('data', onData);
child.stderr.on('data', onData);
const tick = setInterval(() => show(), tty ? 1000 : 15_000);
show(true);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('error', (e) => { appendFileSync(logFile, `\n${e.message}\n`); });
child.on('close', (code, signal) => {
  clearInterval(tick);
  current = code === 0 ? 'done' : `failed (exit ${code ?? signal})`;
  show(true);
  if (tty) process.stdout.write('\n');
  process.exit(code ?? 1);
});
