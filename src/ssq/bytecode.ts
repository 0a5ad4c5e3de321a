// INET_DIAG_REQ_BYTECODE (linux/inet_diag.h) for an expression, laid out like ss does it so that
// the same expression gives the same bytes; little-endian (x86-64 and other LE hosts).
//
// Each op is { u8 code; u8 yes; u16 no }: on success continue `yes` bytes further, else jump `no`
// bytes. Reaching exactly the end accepts the socket, end + 4 rejects it.
import type { Expr, HostExpr, PortExpr } from './ast';
import { forEachNode, leftSpine, stripNots } from './walk';

/** Jump offsets are 16 bits: longer programs are not sent (the evaluator filters instead). */
const MAX = 0xffff - 8;

export const INET_DIAG_BC = {
  NOP: 0, JMP: 1, S_GE: 2, S_LE: 3, D_GE: 4, D_LE: 5, AUTO: 6, S_COND: 7, D_COND: 8,
  DEV_COND: 9, MARK_COND: 10, S_EQ: 11, D_EQ: 12, CGROUP_COND: 13,
} as const;

const AF_UNSPEC = 0;
const AF_INET = 2;
const AF_INET6 = 10;

type Code = Uint8Array;

function op(code: number, yes: number, no: number): number[] {
  return [code, yes, no & 0xff, (no >> 8) & 0xff];
}

function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

function concat(...parts: (Code | number[])[]): Code {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** ss's ssfilter_patch: jumps of `a` that reject (land at its end + 4) are moved `reloc` further. */
function patchRejects(a: Code, reloc: number): void {
  let pos = 0;
  let len = a.length;
  while (len > 0) {
    const no = a[pos + 2] | (a[pos + 3] << 8);
    if (no === len + 4) {
      const v = no + reloc;
      a[pos + 2] = v & 0xff;
      a[pos + 3] = (v >> 8) & 0xff;
    }
    const yes = a[pos + 1];
    if (yes === 0) return;
    len -= yes;
    pos += yes;
  }
}

function not(a: Code): Code {
  return concat(a, op(INET_DIAG_BC.JMP, 4, 8));
}

function hostcond(code: number, family: number, prefixLen: number, port: number, addr: Uint8Array | number[]): Code {
  const alen = family === AF_INET6 ? 16 : 4;
  const oplen = 4 + 8 + alen;
  const a = new Uint8Array(alen);
  a.set(addr.length > alen ? Array.from(addr).slice(0, alen) : addr);
  return concat(op(code, oplen, oplen + 4), [family, prefixLen, 0, 0], u32(port), a);
}

function portCode(e: PortExpr): Code | null {
  const v = e.port.value;
  const star = v === null && /^:?\*?$/.test(e.port.text);
  if (v === null && !star) return null;
  const src = e.dir === 'sport';
  const port = v === null ? -1 : v;
  const cond = (): Code => hostcond(src ? INET_DIAG_BC.S_COND : INET_DIAG_BC.D_COND, AF_UNSPEC, 0, port, [0, 0, 0, 0]);
  const cmp = (code: number): Code => concat(op(code, 8, 12), op(0, 0, port & 0xffff));
  switch (e.cmp) {
    case 'eq': return cond();
    case 'ne': return not(cond());
    case 'ge': return v === null ? null : cmp(src ? INET_DIAG_BC.S_GE : INET_DIAG_BC.D_GE);
    case 'le': return v === null ? null : cmp(src ? INET_DIAG_BC.S_LE : INET_DIAG_BC.D_LE);
    case 'gt': return v === null ? null : not(cmp(src ? INET_DIAG_BC.S_LE : INET_DIAG_BC.D_LE));
    case 'lt': return v === null ? null : not(cmp(src ? INET_DIAG_BC.S_GE : INET_DIAG_BC.D_GE));
  }
}

function hostCode(e: HostExpr): Code | null {
  const h = e.host;
  if (h.kind !== 'inet') return null;
  let port = -1;
  if (h.port) {
    if (h.port.value === null && !/^:?\*?$/.test(h.port.text)) return null;
    port = h.port.value ?? -1;
  }
  const code = e.dir === 'src' ? INET_DIAG_BC.S_COND : INET_DIAG_BC.D_COND;
  let out: Code;
  if (h.addresses.length === 0) {
    if (h.hostname) return null;
    out = hostcond(code, AF_UNSPEC, 0, port, [0, 0, 0, 0]);
  } else {
    const conds = h.addresses.map((a) => hostcond(code, a.family === 6 ? AF_INET6 : AF_INET, a.prefixLen, port, a.bytes));
    const total = conds.reduce((n, c) => n + c.length, 0) + 4 * (conds.length - 1);
    const parts: (Code | number[])[] = [];
    let at = 0;
    conds.forEach((c, i) => {
      parts.push(c);
      at += c.length;
      if (i < conds.length - 1) {
        parts.push(op(INET_DIAG_BC.JMP, 4, total - at));
        at += 4;
      }
    });
    out = concat(...parts);
  }
  return out;
}

function compile(e: Expr): Code | null {
  switch (e.type) {
    case 'autobound':
      return concat(op(INET_DIAG_BC.AUTO, 4, 8));
    case 'port':
      return portCode(e);
    case 'host':
      return hostCode(e);
    case 'dev': {
      if (e.ifindex === null) return null;
      const c = concat(op(INET_DIAG_BC.DEV_COND, 8, 12), u32(e.ifindex));
      return e.negated ? not(c) : c;
    }
    case 'fwmark': {
      const c = concat(op(INET_DIAG_BC.MARK_COND, 12, 16), u32(e.mark), u32(e.mask));
      return e.negated ? not(c) : c;
    }
    case 'cgroup': {
      if (e.id === null) return null;
      const id = e.id;
      const lo = Number(id & 0xffffffffn);
      const hi = Number((id >> 32n) & 0xffffffffn);
      const c = concat(op(INET_DIAG_BC.CGROUP_COND, 12, 16), u32(lo), u32(hi));
      return e.negated ? not(c) : c;
    }
    case 'not': {
      const { inner, count } = stripNots(e);
      let a = compile(inner);
      for (let i = 0; a && i < count; i++) a = a.length > MAX ? null : not(a);
      return a;
    }
    case 'and':
    case 'or': {
      const { leaf, nodes } = leftSpine(e);
      let acc = compile(leaf);
      for (const n of nodes) {
        const b = acc ? compile(n.right) : null;
        if (!acc || !b || acc.length + b.length > MAX) return null;
        if (n.type === 'and') {
          patchRejects(acc, b.length);
          acc = concat(acc, b);
        } else acc = concat(acc, op(INET_DIAG_BC.JMP, 4, b.length + 4), b);
      }
      return acc;
    }
    case 'error':
      return null;
  }
}

/** True when the expression has a term of each type. */
function hasBoth(e: Expr, a: Expr['type'], b: Expr['type']): boolean {
  let seenA = false;
  let seenB = false;
  forEachNode(e, (n) => {
    if (n.type === a) seenA = true;
    else if (n.type === b) seenB = true;
  });
  return seenA && seenB;
}

/**
 * Bytecode for the kernel, or null when the expression has a part the bytecode cannot express
 * (unix/packet/netlink/vsock hosts, unresolved names, errors) or none at all. Returned sockets must
 * still be checked with the evaluator, as ss does.
 */
export function compileBytecode(expr: Expr | null): Uint8Array | null {
  if (!expr) return null;
  // ss sends no bytecode when there is a `dev` term, and then its `autobound` is only the userspace
  // ephemeral-range test, not the kernel's bind-lock test (INET_DIAG_BC_AUTO): send none either,
  // or `autobound and dev != X` would drop ports bound explicitly inside the range that ss shows.
  if (hasBoth(expr, 'dev', 'autobound')) return null;
  const code = compile(expr);
  if (!code || code.length > MAX) return null;
  return code;
}

/** Hex dump in 4-byte groups, as in the spec's golden vectors. */
export function bytecodeHex(code: Uint8Array): string {
  const hex = Array.from(code, (b) => b.toString(16).padStart(2, '0')).join('');
  return hex.replace(/(.{8})(?=.)/g, '$1 ');
}
