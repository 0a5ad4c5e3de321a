// Language server benchmark over stdio: a 10,000-line .ssq file; time from an edit to its
// diagnostics (target p99 < 50 ms) and completion latency (target p99 < 20 ms).
//   node --import tsx bench/lsp.ts            (standalone; exits 1 if a target is missed)
//   import { run } from './lsp'               (for scripts/bench.mjs)
import { buildServer, LspClient } from '../test/lsp/harness';

export interface LspBenchResult {
  name: string;
  lines: number;
  diagnosticsAfterEditMs: { median: number; p99: number; max: number };
  completionMs: { median: number; p99: number; max: number };
  ok: boolean;
}

function stats(xs: number[]): { median: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: +q(0.5).toFixed(2), p99: +q(0.99).toFixed(2), max: +s[s.length - 1].toFixed(2) };
}

export function bigDocument(lines: number): string {
  const out: string[] = ['# generated benchmark document'];
  const bodies = [
    ['-t4 state established', '( dport = :443 or sport = :443 )'],
    ['-tl', 'sport = :5432 or sport = :6432'],
    ['-u', 'dst 10.0.0.0/8 and not dport = :53'],
    ['-x', "src unix:/run/*"],
  ];
  for (let i = 0; out.length < lines; i++) {
    out.push(`[q${i}]`, ...bodies[i % bodies.length], '');
  }
  return out.slice(0, lines).join('\n') + '\n';
}

export async function run(): Promise<LspBenchResult> {
  buildServer();
  const c = new LspClient({ live: (k) => (k === 'ports' ? [{ value: ':5432', detail: ':5432 — postgres (pid 812), LISTEN', port: 5432 }] : []) });
  try {
    await c.initialize();
    const LINES = 10_000;
    const { uri } = await c.open('bench.ssq', bigDocument(LINES));
    const diag: number[] = [];
    for (let i = 0; i < 80; i++) {
      // Body edits, and every fourth edit types into a `[name]` header (a rename).
      const header = i % 4 === 3;
      const line = (header ? 1 : 2) + 4 * ((i * 97) % 2400);
      const character = header ? 2 : 0;
      const t0 = performance.now();
      await c.edit(uri, [{ range: { start: { line, character }, end: { line, character } }, text: header ? 'x' : ' ' }]);
      diag.push(performance.now() - t0);
    }
    const comp: number[] = [];
    for (let i = 0; i < 500; i++) {
      const line = 2 + 4 * ((i * 131) % 2400);
      const t0 = performance.now();
      await c.complete(uri, { line, character: i % 3 === 0 ? 0 : 5 });
      comp.push(performance.now() - t0);
    }
    const d = stats(diag.slice(5));
    const k = stats(comp.slice(20));
    return { name: 'lsp', lines: LINES, diagnosticsAfterEditMs: d, completionMs: k, ok: d.p99 < 50 && k.p99 < 20 };
  } finally {
    await c.dispose();
  }
}

if (require.main === module) {
  run().then((r) => {
    console.log(`lsp: ${r.lines}-line document`);
    console.log(`  diagnostics after an edit: median ${r.diagnosticsAfterEditMs.median} ms, p99 ${r.diagnosticsAfterEditMs.p99} ms (target p99 < 50 ms)`);
    console.log(`  completion: median ${r.completionMs.median} ms, p99 ${r.completionMs.p99} ms (target p99 < 20 ms)`);
    console.log(r.ok ? '  ok' : '  TARGET MISSED');
    process.exitCode = r.ok ? 0 : 1;
  }, (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
