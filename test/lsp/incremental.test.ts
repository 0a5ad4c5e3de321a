// The server's incremental re-analysis (only the edited sections are parsed again) must equal a
// full parseDocument of the new text, for thousands of seeded random edits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument, staticResolver } from '../../src/ssq';
import { analysisFingerprint, reparseIncrementally } from '../../src/language-server/incremental';
import { prng } from '../lib/prng';

const START = [
  '# leading comment', '-t', '', '[a]', '-t state established dport = :443', '', '[b]', '# inside', 'src 10.0.0.0/8 or', 'dst [::1]',
  '[c]', '-u', 'dport = :53', '[d]', "ss -tan '( sport = :22 )'", '[e]', '-x src unix:/run/*', '[f]', 'state listen', '[g]', '', '[h]', 'dport>=443', '',
].join('\n');

const PIECES = ['\n', '\n[NEW]\n', '\n[NEW]\n-t\n', '[', ']', '#', ' ', 'state ', 'listen', ' or ', ' and ', '(', ')', ':22', 'x', '\r\n', "'", '-tan ', 'dport = :80 '];
/** Pieces that can make a name used twice (rare: duplicates force full parses until removed). */
const RARE = ['\n[b]\n', 'c]', '[d'];

test('incremental re-analysis equals a full parse after every random edit', () => {
  const opts = { resolver: staticResolver() };
  const parse = (t: string) => parseDocument(t, opts);
  let incremental = 0;
  let full = 0;
  for (const seed of [11, 12, 13, 14]) {
    const rnd = prng(seed);
    let doc = parse(START);
    for (let i = 0; i < 600; i++) {
      const text = doc.text;
      const s = Math.floor(rnd() * (text.length + 1));
      const e = rnd() < 0.4 ? Math.min(text.length, s + Math.floor(rnd() * 10)) : s;
      const r = rnd();
      const piece = (r < 0.01 ? RARE[Math.floor(rnd() * RARE.length)] : r < 0.8 ? PIECES[Math.floor(rnd() * PIECES.length)] : '').replace('NEW', `n${seed}_${i}`);
      const next = text.slice(0, s) + piece + text.slice(e);
      const inc = reparseIncrementally(doc, next, parse);
      const fresh = parse(next);
      if (inc) {
        incremental++;
        assert.equal(analysisFingerprint(inc), analysisFingerprint(fresh), `seed ${seed} edit ${i}: ${JSON.stringify(next)}`);
        // Offsets inside queries map the same way.
        inc.queries.forEach((q, k) => {
          for (let o = 0; o <= q.joinedText.length; o += 3) assert.equal(q.toDocumentOffset(o), fresh.queries[k].toDocumentOffset(o));
        });
        doc = inc;
      } else {
        full++;
        doc = fresh;
      }
    }
  }
  console.log(`incremental ${incremental}, full ${full}`);
  assert.ok(incremental > full, `incremental ${incremental}, full ${full}`);
});
