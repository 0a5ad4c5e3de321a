// Which process an attach configuration attaches to. Pure (no vscode).
//
// js-debug names the session of a process it attached to by port `Remote Process [0]` and sends
// no `process` event for it, so neither says which process it is. What does: the configuration's
// `processId` (js-debug takes `1234` or `1234:9229`), or else the inspector port it attaches to,
// whose listener belongs to the debuggee (when that port is on this machine).

export interface AttachTarget {
  /** The process to attach to, from `processId`. */
  pid?: number;
  /** The inspector port on this machine, when no pid is given. */
  port?: number;
}

const LOCAL_ADDRESSES = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', '::']);

function positive(text: string): number | undefined {
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** What an attach configuration says about its process; `{}` for a launch or a remote address. */
export function attachTarget(configuration: { request?: unknown; processId?: unknown; port?: unknown; address?: unknown }): AttachTarget {
  if (configuration.request !== 'attach') return {};
  const { processId, port, address } = configuration;
  // `${command:PickProcess}` is resolved before the session starts; anything else non-numeric is ignored.
  const pid = typeof processId === 'number' ? processId : typeof processId === 'string' ? /^\s*(\d+)(?::\d+)?\s*$/.exec(processId)?.[1] : undefined;
  if (pid !== undefined) {
    const n = positive(String(pid));
    return n === undefined ? {} : { pid: n };
  }
  if (address !== undefined && !(typeof address === 'string' && (LOCAL_ADDRESSES.has(address.trim().toLowerCase()) || /^127\./.test(address.trim())))) return {};
  const p = typeof port === 'number' || (typeof port === 'string' && /^\d+$/.test(port)) ? positive(String(port)) : undefined;
  return p !== undefined && p <= 65535 ? { port: p } : {};
}

/**
 * The process holding the inspector port, from a listing of every process with its ports.
 * Several holders (a forked child that inherited the listener, a coincidental local port of
 * another connection): the one started with an --inspect option, else the oldest (a parent
 * starts before what it forks); none: undefined.
 */
export function portOwner(processes: ReadonlyArray<{ pid: number; cmdline: readonly string[]; startedAt: number; ports?: readonly number[] }>, port: number): number | undefined {
  const holders = processes.filter((p) => p.ports?.includes(port));
  if (holders.length <= 1) return holders[0]?.pid;
  const inspect = holders.filter((p) => p.cmdline.some((a) => /^--inspect(-brk|-wait)?(=|$)/.test(a)));
  const pool = inspect.length ? inspect : holders;
  return [...pool].sort((a, b) => a.startedAt - b.startedAt || a.pid - b.pid)[0].pid;
}
