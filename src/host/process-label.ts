// A process named by what it is, from its argv: the executable and the arguments that identify it
// (`node server.js`, `java -jar orders.jar`, `python3 -m http.server 8000`), never a thread name
// (Node renames its main thread `MainThread`, which is all /proc/PID/comm then says).

/** Longest label; a longer one ends in `…`. */
export const MAX_LABEL = 60;

function base(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const i = trimmed.lastIndexOf('/');
  return i >= 0 ? trimmed.slice(i + 1) : trimmed;
}

/** Interpreter options that take the next word as their value (it is not the script). */
const VALUE_OPTIONS: Record<string, ReadonlySet<string>> = {
  node: new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--inspect-port', '--title', '--conditions', '-C', '--input-type']),
  python: new Set(['-W', '-X', '-Q']),
  java: new Set(['-cp', '-classpath', '--class-path', '-p', '--module-path', '--add-modules', '--add-opens', '--add-exports']),
  ruby: new Set(['-I', '-r', '-C']),
  perl: new Set(['-I', '-M', '-m']),
  shell: new Set(['-o', '+o', '-O', '+O']),
  deno: new Set(['--allow-read', '--allow-net']),
};

/** Options that end the interpreter's own options and name what runs: `-m mod`, `-jar x.jar`, `-c code`, `-e code`. */
const RUNS: Record<string, ReadonlySet<string>> = {
  node: new Set(['-e', '--eval', '-p', '--print']),
  python: new Set(['-m', '-c']),
  java: new Set(['-jar', '-m', '--module']),
  ruby: new Set(['-e']),
  perl: new Set(['-e', '-E']),
  shell: new Set(['-c']),
  deno: new Set(['run', 'task', 'serve']),
};

function kindOf(exe: string): string | undefined {
  if (exe === 'node' || exe === 'nodejs' || exe === 'bun') return 'node';
  if (/^python[0-9.]*$/.test(exe) || exe === 'pypy' || exe === 'pypy3') return 'python';
  if (exe === 'java') return 'java';
  if (/^ruby[0-9.]*$/.test(exe)) return 'ruby';
  if (/^perl[0-9.]*$/.test(exe)) return 'perl';
  if (['sh', 'bash', 'dash', 'zsh', 'ksh', 'fish', 'ash'].includes(exe)) return 'shell';
  if (exe === 'deno') return 'deno';
  return undefined;
}

/** A word as shown: a path to a file by its last part, code and long words shortened. */
function shown(word: string): string {
  const w = word.includes('/') && !word.includes(' ') ? base(word) : word;
  const oneLine = w.replace(/\s+/g, ' ').trim();
  return oneLine.length > 30 ? oneLine.slice(0, 29) + '…' : oneLine;
}

function clip(words: string[]): string {
  let out = '';
  for (const w of words) {
    if (!w) continue;
    const next = out ? `${out} ${w}` : w;
    if (next.length > MAX_LABEL) return out ? `${out} …` : next.slice(0, MAX_LABEL - 1) + '…';
    out = next;
  }
  return out;
}

/**
 * The label for a process: `argv` from /proc/PID/cmdline (empty for kernel threads and zombies,
 * then `[comm]` as ps prints them).
 */
export function processLabel(argv: readonly string[], comm: string): string {
  const args = argv.filter((a, i) => i === 0 || a !== '');
  if (args.length === 0 || args[0] === '') return `[${comm}]`;
  // A process that rewrote its argv into one title (`nginx: worker process`, `postgres: checkpointer`).
  if (args.length === 1 && args[0].includes(' ') && !args[0].startsWith('/')) return clip([args[0]]);
  const exe = base(args[0]);
  const kind = kindOf(exe);
  if (!kind) {
    // Any other program: its name and the positional words before its first option (`redis-server *:6379`).
    const words = [exe];
    for (let i = 1; i < args.length && words.length < 3 && !args[i].startsWith('-'); i++) words.push(shown(args[i]));
    return clip(words);
  }
  const takesValue = VALUE_OPTIONS[kind] ?? new Set<string>();
  const runs = RUNS[kind] ?? new Set<string>();
  const words = [exe];
  let i = 1;
  for (; i < args.length; i++) {
    const a = args[i];
    if (runs.has(a)) {
      words.push(a);
      if (i + 1 < args.length) words.push(shown(args[i + 1]));
      i += 2;
      break;
    }
    if (a === '--') { i++; words.push(...(i < args.length ? [shown(args[i++])] : [])); break; }
    if (a.startsWith('-') || a.startsWith('+')) {
      if (takesValue.has(a)) i++;
      continue;
    }
    words.push(shown(a));
    i++;
    break;
  }
  // The script's own positional arguments (`http.server 8000`, `serve --port 3000` keeps `serve`).
  for (let n = 0; i < args.length && n < 2; i++) {
    const a = args[i];
    if (a.startsWith('-')) break;
    words.push(shown(a));
    n++;
  }
  return clip(words);
}
