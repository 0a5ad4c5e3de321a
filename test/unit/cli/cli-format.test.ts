// ss's number formats (C printf %g, sprint_bw, print_ms_timer), the CLI's own-flag splitting and
// the byte sink's integer writer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fmtBw, fmtG, fmtMilli, fmtMsTimer } from '../../../src/cli/format';
import { splitCliFlags } from '../../../src/cli/args';
import { ByteSink } from '../../../src/cli/output';

describe('ss number formats', () => {
  it('fmtG is printf %g', () => {
    const cases: [number, string][] = [
      [0, '0'], [0.121, '0.121'], [204, '204'], [2.88671875, '2.88672'], [1, '1'], [123456.7, '123457'],
      [1234567, '1.23457e+06'], [0.00001234, '1.234e-05'], [0.0001, '0.0001'], [999999.6, '1e+06'], [3.14159265, '3.14159'],
    ];
    for (const [x, want] of cases) assert.equal(fmtG(x), want, String(x));
  });
  it('fmtMilli is %g of n/1000', () => {
    for (const n of [0, 1, 3, 10, 40, 100, 121, 1010, 204000, 999999, 1000000, 123456789]) assert.equal(fmtMilli(n), fmtG(n / 1000), String(n));
  });
  it('fmtBw numeric and with units', () => {
    assert.equal(fmtBw(40960000000, true), '40960000000');
    assert.equal(fmtBw(40960000000, false), '41G');
    assert.equal(fmtBw(1500, false), '1.5k');
    assert.equal(fmtBw(999, false), '999');
  });
  it('fmtMsTimer like print_ms_timer', () => {
    assert.equal(fmtMsTimer(692), '692ms');
    assert.equal(fmtMsTimer(59000), '59sec');
    assert.equal(fmtMsTimer(1500), '1.500ms');
    assert.equal(fmtMsTimer(83000), '1min23sec');
    assert.equal(fmtMsTimer(600000), '10min');
  });
});

describe('CLI own flags', () => {
  it('takes --json, -V, -h out of clusters and leaves ss options', () => {
    const r = splitCliFlags(['--json', '-tanV', '-N', 'ns1', 'state', 'established']);
    assert.deepEqual(r.flags, { json: true, version: true, help: false, kill: false, events: false });
    assert.deepEqual(r.rest, ['-tan', '-N', 'ns1', 'state', 'established']);
    assert.equal(r.netns, 'ns1');
  });
  it('never touches option arguments', () => {
    const r = splitCliFlags(['-tN', '-h', '-A', 'inet', '-Fx.ssq', '--net=foo']);
    assert.deepEqual(r.rest, ['-tN', '-h', '-A', 'inet', '-Fx.ssq', '--net=foo']);
    assert.equal(r.flags.help, false);
    assert.equal(r.netns, 'foo');
  });
  it('finds -N in attached and long forms', () => {
    assert.equal(splitCliFlags(['-Nfoo']).netns, 'foo');
    assert.equal(splitCliFlags(['--net', 'bar']).netns, 'bar');
    assert.equal(splitCliFlags(['-t']).netns, null);
  });
});

describe('ByteSink', () => {
  it('writes integers and text', () => {
    const s = new ByteSink(4);
    for (const v of [0, 7, 10, 99, 100, 65535, 2147483647, 2147483648, 4294967295, 9007199254740991]) { s.uint(v); s.byte(32); }
    s.write('héllo');
    assert.equal(s.buf.toString('utf8', 0, s.pos), '0 7 10 99 100 65535 2147483647 2147483648 4294967295 9007199254740991 héllo');
  });
});
