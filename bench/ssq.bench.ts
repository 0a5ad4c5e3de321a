// Benchmarks for the ssq core (run: node --import tsx bench/ssq.bench.ts). Targets: parse and
// validate a 10,000-line .ssq in < 50 ms; a 10-term filter over 100,000 sockets in < 20 ms.
import { compileMatcher, parseDocument, parseQuery, type SsqSocket } from '../src/ssq/index';

function time(label: string, runs: number, f: () => void): number {
  f();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  const median = t[Math.floor(t.length / 2)];
  console.log(`${label}: median ${median.toFixed(2)} ms (min ${t[0].toFixed(2)})`);
  return median;
}

const lines: string[] = [];
for (let i = 0; lines.length < 10000; i++) {
  lines.push(`# query ${i}`, `[q${i}]`, `-tan state established`, `( dport = :${i % 65536} or sport = :443 ) and src 10.${i % 256}.0.0/16`, '');
}
const doc = lines.slice(0, 10000).join('\n');
time('parseDocument 10,000 lines', 15, () => parseDocument(doc));

const expr = parseQuery('( dport = :443 or sport = :443 or dport = :80 ) and not src 10.0.0.0/8 and dst [::ffff:192.168.0.0/112] or sport >= 1024 and sport <= 2048 and autobound or fwmark = 0x10/0xff and dev = 0').expr;
const socks: SsqSocket[] = [];
for (let i = 0; i < 100000; i++) {
  const v6 = i % 3 === 0;
  socks.push({
    family: v6 ? 'inet6' : 'inet', state: 1,
    localAddr: v6 ? new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 0, i & 255, 1]) : new Uint8Array([10 + (i % 3), 0, (i >> 8) & 255, i & 255]),
    peerAddr: v6 ? new Uint8Array(16) : new Uint8Array([192, 168, 0, i & 255]),
    localPort: i % 65536, peerPort: (i * 7) % 65536, mark: i & 0xff, ifindex: i % 4,
  });
}
const m = compileMatcher(expr);
let n = 0;
time('10-term filter over 100,000 sockets (bytes)', 15, () => {
  n = 0;
  for (let i = 0; i < socks.length; i++) if (m(socks[i])) n++;
});
const textSocks = socks.map((s) => ({ ...s, localAddr: Array.from(s.localAddr as Uint8Array).join('.').replace(/^(0\.){10}255\.255\./, '::ffff:'), peerAddr: s.family === 'inet6' ? '::' : Array.from(s.peerAddr as Uint8Array).join('.') }));
time('10-term filter over 100,000 sockets (text addresses)', 15, () => {
  for (let i = 0; i < textSocks.length; i++) m(textSocks[i]);
});
console.log('matched', n);
