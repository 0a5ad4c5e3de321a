// The Sockets view's data model, free of `vscode` so node:test exercises it directly. It holds
// what the tree shows and nothing more: the groups with their counts, the counts by state, the
// rows of the expanded groups' pages (as the helper's view sends them, view-protocol.ts), and a
// few sockets a chart, a tooltip or a command asked for. Its size depends on what is shown, not on
// how many sockets the helper sees.
import type { SocketRecord, StateName } from '../../protocol/socket-record';
import type { ViewChangedNotification, ViewGroup, ViewGroupBy, ViewPage, ViewRates, ViewRow } from '../../protocol/view-protocol';
import { VIEW_GROUP_BYS } from '../../protocol/view-protocol';

export type GroupBy = ViewGroupBy;
export const GROUP_BYS: readonly GroupBy[] = VIEW_GROUP_BYS;
export type GroupInfo = ViewGroup;
export { FLAT_GROUP, UNKNOWN_GROUP, UNKNOWN_PROCESS_LABEL, NO_VISIBLE_PROCESS_LABEL } from '../../protocol/view-protocol';

export interface ModelChange {
  /** Groups appeared, disappeared or moved (or everything was reset): refresh from the root. */
  structure: boolean;
  /** Groups whose count, label or page changed. */
  groups: string[];
  /** Counts by state or the total changed (status bar). */
  counts: boolean;
}

/** One expanded group's page as the model holds it: the helper's page without its rows (kept by id). */
export type PageState = Omit<ViewPage, 'rows'>;

/** Sockets kept apart from the pages (chart, tooltip, command targets), at most this many. */
const REMEMBERED = 256;

export class SocketTreeModel {
  private groupList: ViewGroup[] = [];
  private readonly groupMap = new Map<string, ViewGroup>();
  private readonly pages = new Map<string, PageState>();
  private readonly rows = new Map<string, ViewRow>();
  private readonly remembered = new Map<string, SocketRecord>();
  private counts: Array<[StateName, number]> = [];
  private totalValue = 0;
  private loadedValue = false;
  private groupBy: GroupBy;
  /** Processes the helper could not read. */
  invisibleProcesses = 0;
  /** The helper's last refresh error, if the last refresh failed. */
  error: string | undefined;

  constructor(groupBy: GroupBy = 'process') {
    this.groupBy = groupBy;
  }

  get grouping(): GroupBy { return this.groupBy; }
  /** Sockets in the view (the helper's count, after the view's query). */
  get size(): number { return this.totalValue; }
  get visibleCount(): number { return this.totalValue; }
  /** The first counts for the current query have arrived. */
  get loaded(): boolean { return this.loadedValue; }

  /** A new grouping or query: nothing is known until the helper's next reset. */
  startOver(groupBy: GroupBy = this.groupBy): ModelChange {
    this.groupBy = groupBy;
    this.loadedValue = false;
    this.groupList = [];
    this.groupMap.clear();
    this.pages.clear();
    this.rows.clear();
    this.counts = [];
    this.totalValue = 0;
    this.error = undefined;
    return { structure: true, groups: [], counts: true };
  }

  /** A new grouping: the pages go (their groups are gone); the groups stay until the helper sends the new ones. */
  setGrouping(groupBy: GroupBy): ModelChange {
    this.groupBy = groupBy;
    this.pages.clear();
    this.rows.clear();
    return { structure: true, groups: [], counts: false };
  }

  /** Applies one `view/changed` notification. */
  apply(n: ViewChangedNotification): ModelChange {
    let structure = false;
    const dirty = new Set<string>();
    if (n.reset) {
      this.pages.clear();
      this.rows.clear();
      structure = true;
    }
    this.error = n.error;
    if (n.error !== undefined && !n.groups) {
      this.loadedValue = true;
      return { structure: true, groups: [], counts: true };
    }
    const counts = !this.loadedValue || n.total !== this.totalValue || JSON.stringify(n.counts) !== JSON.stringify(this.counts);
    this.loadedValue = true;
    this.totalValue = n.total;
    this.counts = n.counts;
    this.invisibleProcesses = n.invisibleProcesses;
    if (n.groups) {
      const before = this.groupList.map((g) => g.key).join('\u0000');
      const after = n.groups.map((g) => g.key).join('\u0000');
      if (before !== after) structure = true;
      for (const g of n.groups) {
        const old = this.groupMap.get(g.key);
        if (!old || old.count !== g.count || old.label !== g.label) dirty.add(g.key);
      }
      this.groupList = n.groups;
      this.groupMap.clear();
      for (const g of n.groups) this.groupMap.set(g.key, g);
      for (const key of [...this.pages.keys()]) if (!this.groupMap.has(key)) this.pages.delete(key);
    }
    if (n.pages.length) {
      for (const p of n.pages) {
        for (const r of p.rows) this.rows.set(r.id, r);
        const page: PageState = { group: p.group, offset: p.offset, limit: p.limit, total: p.total, ids: p.ids };
        if (p.filter !== undefined) page.filter = p.filter;
        if (p.error !== undefined) page.error = p.error;
        this.pages.set(p.group, page);
        dirty.add(p.group);
      }
      this.dropUnreferencedRows();
    }
    return { structure, groups: [...dirty].filter((k) => this.groupMap.has(k)), counts };
  }

  /** Forgets a collapsed group's page (the helper stops sending it once told). */
  dropPage(group: string): void {
    if (this.pages.delete(group)) this.dropUnreferencedRows();
  }

  private dropUnreferencedRows(): void {
    const keep = new Set<string>();
    for (const p of this.pages.values()) for (const id of p.ids) keep.add(id);
    for (const id of this.rows.keys()) if (!keep.has(id)) this.rows.delete(id);
  }

  /** Groups in display order (pinned first); in flat mode the single group of every socket. */
  groups(): GroupInfo[] {
    return this.groupList;
  }

  group(key: string): GroupInfo | undefined {
    return this.groupMap.get(key);
  }

  /** The page of an expanded group as last received, undefined until it arrives. */
  page(group: string): PageState | undefined {
    return this.pages.get(group);
  }

  /** The rows of a group's page, in order, and how many the group holds. */
  children(group: string): { items: SocketRecord[]; total: number } {
    const p = this.pages.get(group);
    if (!p) return { items: [], total: this.groupMap.get(group)?.count ?? 0 };
    const items: SocketRecord[] = [];
    for (const id of p.ids) { const r = this.rows.get(id); if (r) items.push(r.record); }
    return { items, total: p.total };
  }

  /** A socket shown in a page or remembered, by its key (the cookie). */
  get(id: string): SocketRecord | undefined {
    return this.rows.get(id)?.record ?? this.remembered.get(id);
  }

  /** The rates shown with a row (null figures until the helper has two samples). */
  rates(id: string): ViewRates | undefined {
    return this.rows.get(id)?.rates;
  }

  /** Keeps sockets read once (view/rows) for commands and charts; the oldest go first. */
  remember(records: readonly SocketRecord[]): void {
    for (const r of records) {
      this.remembered.delete(r.cookie);
      this.remembered.set(r.cookie, r);
    }
    while (this.remembered.size > REMEMBERED) this.remembered.delete(this.remembered.keys().next().value as string);
  }

  /** Counts by state, most frequent first. */
  countsByState(): Array<[StateName, number]> {
    return this.counts;
  }

  /** What the model retains (the memory test holds it constant as the helper's set grows). */
  retained(): { groups: number; pages: number; rows: number; remembered: number } {
    return { groups: this.groupList.length, pages: this.pages.size, rows: this.rows.size, remembered: this.remembered.size };
  }
}
