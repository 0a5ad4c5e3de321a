// `sockscope -s` prints ss -s's bytes: the numbers come from src/findings/summary.ts (the one place
// they are computed; the Findings view shows the same), the layout from src/cli/summary.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, type Netns } from './lib/netns';
import { PopulationBuilder, type RunningPopulation } from './lib/population';
import { runCli, runSs } from './lib/ss';

describe('sockscope -s against ss -s', { timeout: 60_000 }, () => {
  let ns: Netns;
  let pop: RunningPopulation | undefined;
  before(async () => {
    ns = createNetns('cli-summary');
    pop = await new PopulationBuilder()
      .tcpListener('127.0.0.1', 7700).tcpConnection('127.0.0.1', 7700).tcpConnection('127.0.0.1', 7700)
      .tcpTimeWait('127.0.0.1', 7700).udpBound('127.0.0.1', 7701)
      .start(ns);
  });
  after(async () => {
    await pop?.stop();
    ns?.remove();
  });

  // TCP's alloc count is the host's (tcp_sockets_allocated is not per namespace), so other
  // programs move it: compare when it held still across ss, sockscope, ss; else with it masked.
  it('is byte-identical in a namespace with tcp, TIME-WAIT and udp sockets', () => {
    const run = (f: () => { status: number | null; stdout: string; stderr: string }): string => {
      const r = f();
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const mask = (t: string): string => t.replace(/^TCP: +\d+ \(estab (\d+), closed -?\d+,/m, 'TCP:   N (estab $1, closed N,');
    let last = { a: '', ours: '' };
    for (let i = 0; i < 10; i++) {
      const a = run(() => runSs(ns.name, ['-s']));
      const ours = run(() => runCli(['-N', ns.name, '-s']));
      const b = run(() => runSs(ns.name, ['-s']));
      last = { a, ours };
      if (a === b) { assert.equal(ours, a); assert.match(ours, /estab 4/, 'the connections are counted'); return; }
    }
    assert.equal(mask(last.ours), mask(last.a));
  });
});
