// The kernel runs the compiled INET_DIAG_REQ_BYTECODE exactly as the evaluator decides: for every
// expression of the conformance corpus that compiles, a tcp+udp dump with that bytecode (all states,
// both families) returns the same sockets as an unfiltered dump filtered with the evaluator.
// Both sides are library calls (src/ssq + src/netlink) in one namespace with the conformance population.
//
// `autobound`: the kernel's INET_DIAG_BC_AUTO only tests SOCK_BINDPORT_LOCK (ss and the CLI then
// also check the ephemeral port range in userspace, so their answer is kernel AND evaluator). Here
// the evaluator gets the kernel's view: the whole port range as ephemeral, and
// SsqSocket.bindPortLocked (not reported by inet_diag) from what the population bound explicitly:
// listeners and UDP sockets on a port given to bind(). Accepted sockets do not inherit the lock (the
// kernel calls them autobound); TIME-WAIT and request sockets have none.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, type Netns } from './lib/netns';
import { loadCorpus } from '../fixtures/ssq/corpus';
import { startSsqPopulation, type SsqPopulation } from '../fixtures/ssq/population';
import { compileBytecode, compileMatcher, format, formatExpr, parseArgv, type Expr, type SsqResolver } from '../../src/ssq/index';
import { ALL_STATES, SockDiag, TCP_LISTEN, type DumpRequest, type Socket } from '../../src/netlink/index';
import { NameResolver } from '../../src/host/name-resolver';
import { toSsqSocket } from '../../src/host/ssq-socket';

let ns: Netns;
let pop: SsqPopulation;
let diag: SockDiag;
let resolver: SsqResolver;

function keyOf(s: Socket): string {
  return `${s.netid} ${s.stateName} ${s.localAddress}%${s.ifindex}:${s.localPort} ${s.peerAddress}:${s.peerPort} ${s.inode}`;
}

function dump(bytecode?: Uint8Array): { sockets: Socket[]; rejected: string | undefined } {
  const req: DumpRequest = { kinds: ['tcp', 'udp'], states: ALL_STATES, families: [4, 6], ext: { mark: true, cgroup: true }, ...(bytecode ? { bytecode } : {}) };
  const sockets: Socket[] = [];
  const notes = diag.dump(req, (s) => { sockets.push(s); });
  return { sockets, rejected: notes.bytecodeRejected ? String(notes.bytecodeRejected) : undefined };
}

/** The distinct compilable expressions of the corpus (by canonical text). */
function corpusExpressions(): { text: string; expr: Expr; bytecode: Uint8Array }[] {
  const seen = new Map<string, { text: string; expr: Expr; bytecode: Uint8Array }>();
  for (const e of loadCorpus(pop.tmp)) {
    const parsed = parseArgv(e.argv, { resolver });
    if (!parsed.expr || parsed.diagnostics.some((d) => d.severity === 'error')) continue;
    const bytecode = compileBytecode(parsed.expr);
    if (!bytecode) continue;
    const text = formatExpr(parsed.expr);
    if (!seen.has(text)) seen.set(text, { text: `${format(parsed)}  (corpus line ${e.line})`, expr: parsed.expr, bytecode });
  }
  return [...seen.values()];
}

describe('kernel bytecode filters like the evaluator', { timeout: 120_000 }, () => {
  before(async () => {
    ns = createNetns('ssqbc');
    try {
      pop = await startSsqPopulation(ns);
      diag = SockDiag.open({ netnsPath: ns.path });
    } catch (e) {
      await pop?.dispose();
      ns.remove();
      throw e;
    }
    const names = new NameResolver({ name: ns.name, path: ns.path });
    resolver = {
      service: (name, proto) => names.servicePorts(name, proto ? [proto] : ['tcp', 'udp'])[0],
      host: (name) => names.hostAddresses(name),
      ifindex: (name) => names.interfaceIndex(name),
      cgroupId: (path) => names.cgroupId(path),
    };
  });
  after(async () => {
    diag?.close();
    await pop?.dispose();
    ns?.remove();
  });

  it('every corpus expression that compiles: kernel result == evaluator over an unfiltered dump', () => {
    const all = dump().sockets;
    assert.ok(all.length >= 40, `population too small: ${all.length}`);
    const locked = (s: Socket): boolean => (s.state === TCP_LISTEN || s.netid === 'udp') && pop.explicitPorts.has(s.localPort);
    const views = all.map((s) => ({ s, v: { ...toSsqSocket(s), bindPortLocked: locked(s) } }));
    const exprs = corpusExpressions();
    assert.ok(exprs.length >= 120, `only ${exprs.length} compilable expressions in the corpus`);
    const failures: string[] = [];
    let nonTrivial = 0;
    for (const { text, expr, bytecode } of exprs) {
      const m = compileMatcher(expr, { ephemeralPorts: [0, 65535] });
      const want = views.filter(({ v }) => m(v)).map(({ s }) => keyOf(s)).sort();
      const got = dump(bytecode);
      if (got.rejected) {
        failures.push(`${text}: kernel refused the bytecode (${got.rejected})`);
        continue;
      }
      const have = got.sockets.map(keyOf).sort();
      if (want.length > 0 && want.length < all.length) nonTrivial++;
      const a = new Set(want);
      const b = new Set(have);
      const onlyEval = want.filter((k) => !b.has(k));
      const onlyKernel = have.filter((k) => !a.has(k));
      if (onlyEval.length || onlyKernel.length) {
        failures.push(`${text}:\n${onlyEval.map((k) => `  evaluator only: ${k}`).concat(onlyKernel.map((k) => `  kernel only:    ${k}`)).join('\n')}`);
      }
    }
    assert.ok(nonTrivial >= 80, `only ${nonTrivial} expressions select a proper subset`);
    assert.equal(failures.length, 0, `${failures.length} of ${exprs.length} expressions differ:\n${failures.join('\n')}`);
  });
});
