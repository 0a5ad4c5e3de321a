// Network namespaces the helper may enter: a name under /run/netns or a process's namespace.
// Paths are only ever built from a validated NetnsRef (validate.ts), never taken from a request.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { NamespaceInfo, NetnsRef } from '../protocol/helper-protocol';
import { ErrorCodes } from '../protocol/helper-protocol';
import { NETNS_NAME } from '../protocol/validate';
import { ProcessIdentities } from '../host/process-identity';

export const NETNS_DIR = '/run/netns';

/** The namespace file for a ref, after checking it exists; undefined for "the helper's own". */
export function netnsPath(ref: NetnsRef | undefined): string | undefined {
  if (ref === undefined) return undefined;
  let path: string;
  if ('name' in ref) {
    if (!NETNS_NAME.test(ref.name)) throw new ResponseError(ErrorCodes.InvalidParams, `bad namespace name`);
    path = `${NETNS_DIR}/${ref.name}`;
  } else {
    if (!Number.isSafeInteger(ref.pid) || ref.pid < 1) throw new ResponseError(ErrorCodes.InvalidParams, `bad pid`);
    path = `/proc/${ref.pid}/ns/net`;
  }
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a namespace file');
  } catch (_e) {
    throw new ResponseError(ErrorCodes.NamespaceNotFound, `network namespace ${describeNetns(ref)} not found`);
  }
  return path;
}

export function describeNetns(ref: NetnsRef | undefined): string {
  if (ref === undefined) return '(own)';
  return 'name' in ref ? `"${ref.name}"` : `of pid ${ref.pid}`;
}

const NS_LINK = /^net:\[(\d+)\]$/;

function nsInode(link: string): number | undefined {
  const m = NS_LINK.exec(link);
  return m ? Number(m[1]) : undefined;
}

function comm(pid: number): string | undefined {
  try { return readFileSync(`/proc/${pid}/comm`, 'utf8').replace(/\n$/, ''); } catch { return undefined; }
}

const identities = new ProcessIdentities();

/** Names the namespace by its process: what it is and the container or unit it runs in. */
function describe(ns: NamespaceInfo): void {
  if (ns.pid === undefined) return;
  const id = identities.get(ns.pid);
  if (!id) return;
  ns.processLabel = id.label;
  if (id.container) ns.container = id.container;
  if (id.unit) ns.unit = id.unit;
}

/** Named namespaces and the distinct namespaces of running processes, each labelled. */
export function listNamespaces(): { namespaces: NamespaceInfo[]; invisibleProcesses: number } {
  const byInode = new Map<number, NamespaceInfo>();
  let own: number | undefined;
  try { own = nsInode(readlinkSync('/proc/self/ns/net')); } catch { own = undefined; }

  let names: string[] = [];
  try { names = readdirSync(NETNS_DIR).sort(); } catch { names = []; }
  for (const name of names) {
    if (!NETNS_NAME.test(name)) continue;
    try {
      const inode = statSync(`${NETNS_DIR}/${name}`).ino;
      if (byInode.has(inode)) continue;
      byInode.set(inode, { inode, ref: { name }, name, current: inode === own });
    } catch { /* removed meanwhile, or not a namespace */ }
  }

  let invisible = 0;
  let pids: number[] = [];
  try { pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b); } catch { pids = []; }
  for (const pid of pids) {
    let inode: number | undefined;
    try {
      inode = nsInode(readlinkSync(`/proc/${pid}/ns/net`));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') invisible++;
      continue;
    }
    if (inode === undefined) continue;
    const known = byInode.get(inode);
    if (known) {
      if (known.pid === undefined) { known.pid = pid; known.processName = comm(pid); }
      continue;
    }
    byInode.set(inode, { inode, ref: { pid }, pid, processName: comm(pid), current: inode === own });
  }
  for (const ns of byInode.values()) describe(ns);
  const namespaces = [...byInode.values()].sort((a, b) =>
    Number(b.current) - Number(a.current) || (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || (a.pid ?? 0) - (b.pid ?? 0));
  return { namespaces, invisibleProcesses: invisible };
}
