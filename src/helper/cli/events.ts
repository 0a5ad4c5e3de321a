// `-E` / `--events`, as `ss -E`: follow the kernel's destroyed-socket notifications (tcp and udp,
// the SKNLGRP_INET*_DESTROY groups) until SIGINT/SIGTERM, printing each socket as it is destroyed:
// an ss-shaped line (flushed per event), or with --json one JSON object per line.
import { subscribeDestroyEvents, type DestroyGroup, type SockKind, type Socket } from '../../netlink/index';
import type { SsqSocket } from '../../ssq/index';
import { toSocketRecord } from '../record';
import type { NameResolver } from '../resolver';
import { CliError } from './errors';
import type { Output } from './output';
import { toSsqSocket } from './ssq-socket';
import { TextRenderer, type TextOptions } from './text';

export interface FollowOptions {
  kinds: readonly SockKind[];
  /** inet families wanted (4, 6). */
  families: readonly (4 | 6)[];
  netnsPath?: string;
  matcher: ((s: SsqSocket) => boolean) | null;
  json: boolean;
  text: TextOptions;
  names: NameResolver;
  out: Output;
}

/** The destroy groups for the kinds and families asked for. */
export function destroyGroups(kinds: readonly SockKind[], families: readonly (4 | 6)[]): DestroyGroup[] {
  const groups: DestroyGroup[] = [];
  for (const k of ['tcp', 'udp'] as const) {
    if (!kinds.includes(k)) continue;
    for (const f of families) groups.push(`${k}${f}`);
  }
  return groups;
}

/** Starts following; the process keeps running (the subscription polls on a timer) until a signal. */
export function followDestroyEvents(o: FollowOptions): void {
  const groups = destroyGroups(o.kinds, o.families);
  if (groups.length === 0) throw new CliError('-E follows tcp and udp sockets only');
  let first = true;
  const print = (s: Socket): void => {
    if (o.matcher && !o.matcher(toSsqSocket(s))) return;
    if (o.json) {
      o.out.write(JSON.stringify(toSocketRecord(s, { interfaceName: (i) => o.names.interfaceName(i) })) + '\n');
      o.out.flush();
      return;
    }
    const r = new TextRenderer(o.out, { ...o.text, header: o.text.header && first }, o.names);
    first = false;
    r.add(s);
    r.finish();
  };
  let sub: { close(): void };
  try {
    sub = subscribeDestroyEvents({ ...(o.netnsPath ? { netnsPath: o.netnsPath } : {}), groups, onError: (e) => {
      process.stderr.write(`sockscope: destroy events stopped: ${e.message}\n`);
      process.exit(1);
    } }, (s) => {
      try {
        print(s);
      } catch (_e) {
        // stdout closed (EPIPE): stop quietly.
        sub.close();
        process.exit(0);
      }
    });
  } catch (e) {
    throw new CliError(`cannot follow destroy events: ${(e as Error).message}`);
  }
  if (!o.json && o.text.header) {
    // ss prints the header before the first event.
    const r = new TextRenderer(o.out, o.text, o.names);
    r.finish();
    first = false;
  }
  const stop = (): void => {
    sub.close();
    try { o.out.flush(); } catch { /* closed */ }
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
