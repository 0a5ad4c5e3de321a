// Live values (listening ports, peers, interfaces, netns names, cgroups) asked from the client with
// the `sockscope/liveValues` request. Cached briefly per kind; a client that does not answer within
// the timeout, or does not support the request, just yields no values.
import type { Connection } from 'vscode-languageserver/node';
import { LIVE_VALUES, type LiveValue, type LiveValueKind } from '../protocol/live-values';
import { sendRequest } from '../protocol/message-type';

export interface LiveValueSource {
  get(kind: LiveValueKind): Promise<LiveValue[]>;
  /** Whatever is cached now, without asking (for hovers that must not wait). */
  peek(kind: LiveValueKind): LiveValue[] | undefined;
}

interface Entry {
  at: number;
  values: LiveValue[];
  pending?: Promise<LiveValue[]>;
}

export const NO_LIVE_VALUES: LiveValueSource = { get: async () => [], peek: () => undefined };

export function createLiveValueSource(connection: Connection, opts: { timeoutMs?: number; ttlMs?: number } = {}): LiveValueSource {
  const timeoutMs = opts.timeoutMs ?? 300;
  const ttlMs = opts.ttlMs ?? 2000;
  const cache = new Map<LiveValueKind, Entry>();

  const ask = (kind: LiveValueKind): Promise<LiveValue[]> => {
    // A result that fails LIVE_VALUES's schema rejects, and yields no values like any other failure.
    const request = sendRequest(connection, LIVE_VALUES, { kind }).then(
      (r) => r.values,
      () => [] as LiveValue[],
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<LiveValue[] | undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const entry: Entry = cache.get(kind) ?? { at: 0, values: [] };
    const done = request.then((values) => {
      cache.set(kind, { at: Date.now(), values });
      return values;
    });
    entry.pending = done.finally(() => {
      const e = cache.get(kind);
      if (e) delete e.pending;
    });
    cache.set(kind, entry);
    // A late answer still fills the cache for the next completion.
    return Promise.race([done, timeout]).then((v) => {
      if (timer) clearTimeout(timer);
      return v ?? cache.get(kind)?.values ?? [];
    });
  };

  return {
    get(kind) {
      const e = cache.get(kind);
      if (e && Date.now() - e.at < ttlMs) return Promise.resolve(e.values);
      if (e?.pending) {
        return Promise.race([e.pending, new Promise<LiveValue[]>((r) => setTimeout(() => r(e.values), timeoutMs))]);
      }
      return ask(kind);
    },
    peek(kind) {
      const e = cache.get(kind);
      if (!e) return undefined;
      if (Date.now() - e.at >= ttlMs && !e.pending) void ask(kind);
      return e.values;
    },
  };
}
