// The userspace filter: an expression compiled once to a closure, then run per socket. Semantics
// follow ss's run_ssfilter and, for inet host conditions, the kernel's inet_diag_bc_run (the two
// agree whenever ss sends bytecode; see docs in the README).
import type { Expr, HostExpr, InetPrefix, PortExpr } from './ast';
import type { EvalContext, SsqSocket } from './ssq-socket';
import { isV4Mapped, parseAddressText, prefixMatch } from './address';
import { globToRegExp } from './glob';
import { leftSpine, stripNots } from './walk';

export type Matcher = (sock: SsqSocket) => boolean;

const DEFAULT_EPHEMERAL: [number, number] = [32768, 60999];
const ZERO4 = new Uint8Array(4);
const ZERO16 = new Uint8Array(16);

const textCache = new Map<string, Uint8Array | null>();

/** Address bytes of a socket endpoint (4 for inet, 16 for inet6). */
export function addressBytes(a: Uint8Array | string | null, v6: boolean): Uint8Array {
  if (a instanceof Uint8Array) return a;
  if (a === null) return v6 ? ZERO16 : ZERO4;
  let b = textCache.get(a);
  if (b === undefined) {
    b = parseAddressText(a) ?? null;
    if (textCache.size > 65536) textCache.clear();
    textCache.set(a, b);
  }
  if (!b) return v6 ? ZERO16 : ZERO4;
  if (v6 && b.length === 4) {
    const m = new Uint8Array(16);
    m[10] = 0xff;
    m[11] = 0xff;
    m.set(b, 12);
    return m;
  }
  return b;
}

const TRUE: Matcher = () => true;
const FALSE: Matcher = () => false;

/** ss's inet_addr_match: the first `bits` bits of both addresses, each zero-padded to 16 bytes, families ignored. */
function bitsMatch(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const full = bits >> 3;
  for (let i = 0; i < full; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false;
  const rem = bits & 7;
  if (rem) {
    const mask = (0xff << (8 - rem)) & 0xff;
    if (((a[full] ?? 0) & mask) !== ((b[full] ?? 0) & mask)) return false;
  }
  return true;
}

function inetPrefixMatcher(p: InetPrefix, userspaceOnly: boolean): (bytes: Uint8Array, v6: boolean) => boolean {
  const { bytes, prefixLen } = p;
  if (userspaceOnly) {
    // ss's inet2_addr_match alone: bits first, then a v4 rule re-checks a v4-mapped socket's v4 part.
    return (a, v6) => {
      if (!bitsMatch(a, bytes, prefixLen)) return false;
      if (p.family === 4 && v6 && isV4Mapped(a)) return prefixMatch(a, 12, bytes, prefixLen);
      return true;
    };
  }
  if (p.family === 4) {
    return (a, v6) => {
      if (!v6) return a.length >= 4 && prefixMatch(a, 0, bytes, prefixLen);
      // a v4 rule also matches v4-mapped IPv6 sockets
      return isV4Mapped(a) && prefixMatch(a, 12, bytes, prefixLen);
    };
  }
  // a v6 rule (including a v4-mapped one) matches only IPv6 sockets
  return (a, v6) => v6 && a.length === 16 && prefixMatch(a, 0, bytes, prefixLen);
}

function hostMatcher(e: HostExpr, ctx: EvalContext): Matcher {
  const h = e.host;
  const src = e.dir === 'src';
  let m: Matcher;
  switch (h.kind) {
    case 'inet': {
      const port = h.port ? h.port.value : -1;
      if (port === null && h.port && !/^:?\*?$/.test(h.port.text)) {
        m = FALSE;
        break;
      }
      const wantPort = port === null ? -1 : port;
      const anyAddr = h.addresses.length === 0;
      if (anyAddr && h.hostname) {
        m = FALSE;
        break;
      }
      const prefixes = h.addresses.map((p) => inetPrefixMatcher(p, ctx.userspaceOnly === true));
      m = (s) => {
        if (s.family !== 'inet' && s.family !== 'inet6') return false;
        if (wantPort !== -1 && wantPort !== (src ? s.localPort : s.peerPort)) return false;
        if (anyAddr) return true;
        const v6 = s.family === 'inet6';
        const a = addressBytes(src ? s.localAddr : s.peerAddr, v6);
        for (let i = 0; i < prefixes.length; i++) if (prefixes[i](a, v6)) return true;
        return false;
      };
      break;
    }
    case 'unix': {
      const re = globToRegExp(h.pattern);
      m = (s) => {
        if (s.family !== 'unix') return false;
        const name = src ? s.localAddr : (s.peerPath ?? s.peerAddr);
        return re.test(typeof name === 'string' ? name : '');
      };
      break;
    }
    case 'link': {
      const { protocol, ifindex } = h;
      m = (s) => s.family === 'packet' && (ifindex === null || ifindex === (src ? s.localPort : s.peerPort)) && (protocol === null || protocol === (s.protocol ?? 0));
      break;
    }
    case 'netlink': {
      const { protocol, portId } = h;
      m = (s) => s.family === 'netlink' && (portId === null || portId === (src ? s.localPort : s.peerPort)) && (protocol === null || protocol === (s.protocol ?? 0));
      break;
    }
    case 'vsock': {
      const { cid, port } = h;
      m = (s) => s.family === 'vsock' && (port === null || port === (src ? s.localPort : s.peerPort)) && (cid === null || cid === (src ? s.localCid : s.peerCid));
      break;
    }
  }
  return m;
}

function portMatcher(e: PortExpr): Matcher {
  const v = e.port.value;
  const src = e.dir === 'sport';
  if (v === null) {
    const star = /^:?\*?$/.test(e.port.text);
    if (!star) return FALSE;
    return e.cmp === 'eq' ? TRUE : e.cmp === 'ne' ? FALSE : FALSE;
  }
  switch (e.cmp) {
    case 'eq': return src ? (s) => s.localPort === v : (s) => s.peerPort === v;
    case 'ne': return src ? (s) => s.localPort !== v : (s) => s.peerPort !== v;
    case 'ge': return src ? (s) => s.localPort >= v : (s) => s.peerPort >= v;
    case 'le': return src ? (s) => s.localPort <= v : (s) => s.peerPort <= v;
    case 'gt': return src ? (s) => s.localPort > v : (s) => s.peerPort > v;
    case 'lt': return src ? (s) => s.localPort < v : (s) => s.peerPort < v;
  }
}

const HEX5 = /^@[0-9a-f]{5}$/;

function autoboundMatcher(ctx: EvalContext): Matcher {
  const range = typeof ctx.ephemeralPorts === 'function' ? ctx.ephemeralPorts() : ctx.ephemeralPorts;
  const [lo, hi] = range ?? DEFAULT_EPHEMERAL;
  return (s) => {
    switch (s.family) {
      case 'unix': {
        const n = s.localAddr;
        return n === null || n === '' || (typeof n === 'string' && HEX5.test(n));
      }
      case 'packet':
        return s.localPort === 0 && (s.protocol ?? 0) === 0;
      case 'netlink':
        return s.localPort < 0;
      case 'vsock':
        return s.localPort > 1023;
      default:
        if (s.bindPortLocked) return false;
        return s.localPort >= lo && s.localPort <= hi;
    }
  };
}

function all(ms: Matcher[]): Matcher {
  if (ms.length === 2) {
    const [a, b] = ms;
    return (s) => a(s) && b(s);
  }
  return (s) => {
    for (let i = 0; i < ms.length; i++) if (!ms[i](s)) return false;
    return true;
  };
}

function any(ms: Matcher[]): Matcher {
  if (ms.length === 2) {
    const [a, b] = ms;
    return (s) => a(s) || b(s);
  }
  return (s) => {
    for (let i = 0; i < ms.length; i++) if (ms[i](s)) return true;
    return false;
  };
}

/** and/or chains: runs of one operator become one loop over their operands. */
function buildChain(e: Expr, ctx: EvalContext): Matcher {
  const { leaf, nodes } = leftSpine(e);
  const first = build(leaf, ctx);
  const steps: { and: boolean; ms: Matcher[] }[] = [];
  let i = 0;
  while (i < nodes.length) {
    const type = nodes[i].type;
    const ms: Matcher[] = [];
    while (i < nodes.length && nodes[i].type === type) ms.push(build(nodes[i++].right, ctx));
    steps.push({ and: type === 'and', ms });
  }
  if (steps.length === 1) return steps[0].and ? all([first, ...steps[0].ms]) : any([first, ...steps[0].ms]);
  // alternating and/or: run the groups in order (left to right), without nesting closures
  return (s) => {
    let v = first(s);
    for (let k = 0; k < steps.length; k++) {
      const st = steps[k];
      if (st.and) {
        if (v) for (let j = 0; j < st.ms.length; j++) if (!st.ms[j](s)) { v = false; break; }
      } else if (!v) {
        for (let j = 0; j < st.ms.length; j++) if (st.ms[j](s)) { v = true; break; }
      }
    }
    return v;
  };
}

function build(e: Expr, ctx: EvalContext): Matcher {
  switch (e.type) {
    case 'and':
    case 'or':
      return buildChain(e, ctx);
    case 'not': {
      const { inner, count } = stripNots(e);
      const a = build(inner, ctx);
      return count % 2 ? (s) => !a(s) : a;
    }
    case 'host':
      return hostMatcher(e, ctx);
    case 'port':
      return portMatcher(e);
    case 'dev': {
      const ix = e.ifindex;
      if (ix === null) return e.negated ? TRUE : FALSE;
      return e.negated ? (s) => (s.ifindex ?? 0) !== ix : (s) => (s.ifindex ?? 0) === ix;
    }
    case 'fwmark': {
      const { mark, mask } = e;
      const m: Matcher = (s) => ((s.mark ?? 0) & mask) >>> 0 === mark >>> 0;
      return e.negated ? (s) => !m(s) : m;
    }
    case 'cgroup': {
      const id = e.id;
      if (id === null) return e.negated ? TRUE : FALSE;
      return e.negated ? (s) => s.cgroupId !== id : (s) => s.cgroupId === id;
    }
    case 'autobound':
      return autoboundMatcher(ctx);
    case 'error':
      return FALSE;
  }
}

/** Compiles an expression to a predicate over sockets; a null expression matches every socket. */
export function compileMatcher(expr: Expr | null, ctx: EvalContext = {}): Matcher {
  return expr ? build(expr, ctx) : TRUE;
}

/** One-off check; prefer compileMatcher for many sockets. */
export function matches(expr: Expr | null, sock: SsqSocket, ctx?: EvalContext): boolean {
  return compileMatcher(expr, ctx)(sock);
}
