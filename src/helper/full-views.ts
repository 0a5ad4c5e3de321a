// Every socket of a namespace, for the helper's own readers (the findings feed, the live recording),
// from one store. A client's view whose query holds every tcp and udp socket of the namespace is that
// store; while none does (the Sockets view is filtered, hidden, or was never opened), a headless view
// of the namespace (view-session.ts: no groups computed, nothing sent) is refreshed for them at the
// shortest interval a reader asks for, and closed when the last reader lets go. A reader then reads
// the sockets the user sees unfiltered, never a filtered subset that would make the others look gone.
import type { NetnsRef } from '../protocol/helper-protocol';
import { holdsAllTcpUdp, netnsKey } from './findings-runner';
import type { ViewSession } from './view-session';

export interface FullViewLease {
  readonly view: ViewSession;
  release(): void;
}

interface Shadow { view: ViewSession; wants: Map<number, number> }

export class FullViews {
  private readonly shadows = new Map<string, Shadow>();
  private nextLease = 1;

  constructor(
    private readonly views: ReadonlyMap<string, ViewSession>,
    /** Opens a headless view of every socket of `netns`, refreshing every intervalMs, the first after delayMs (started). */
    private readonly open: (netns: NetnsRef | undefined, intervalMs: number, delayMs: number) => ViewSession,
  ) {}

  /** Whether `v` holds every tcp and udp socket of the namespace keyed `key` (netnsKey). */
  static covers(v: ViewSession, key: string | undefined): boolean {
    return key !== undefined && holdsAllTcpUdp(v.viewQuery) && netnsKey(v.viewQuery.netns) === key;
  }

  /** A client's view holding every tcp and udp socket of the namespace, if one does. */
  clientView(netns: NetnsRef | undefined): ViewSession | undefined {
    const key = netnsKey(netns);
    for (const v of this.views.values()) if (FullViews.covers(v, key)) return v;
    return undefined;
  }

  /**
   * The headless view of the namespace, opened (or its interval shortened) for this reader. `delayMs`:
   * when its first refresh may come. A reader that read a client's view until now (the user just
   * filtered it) waits an interval, so the dump of every socket does not delay the filtered view's.
   */
  lease(netns: NetnsRef | undefined, intervalMs: number, delayMs = 0): FullViewLease {
    const key = netnsKey(netns) ?? JSON.stringify(netns ?? null);
    let s = this.shadows.get(key);
    if (!s) {
      s = { view: this.open(netns, intervalMs, delayMs), wants: new Map() };
      this.shadows.set(key, s);
    }
    const shadow = s;
    const id = this.nextLease++;
    shadow.wants.set(id, intervalMs);
    this.retime(shadow);
    let released = false;
    return {
      view: shadow.view,
      release: () => {
        if (released) return;
        released = true;
        shadow.wants.delete(id);
        if (shadow.wants.size > 0) { this.retime(shadow); return; }
        shadow.view.stop();
        if (this.shadows.get(key) === shadow) this.shadows.delete(key);
      },
    };
  }

  dispose(): void {
    for (const s of this.shadows.values()) s.view.stop();
    this.shadows.clear();
  }

  private retime(s: Shadow): void {
    const ms = Math.min(...s.wants.values());
    if (ms !== s.view.interval) void s.view.update({ intervalMs: ms }).catch(() => undefined);
  }
}
