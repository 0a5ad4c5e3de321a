// The host's bounded record of sampled rows for one chart panel: the webview gets only new rows,
// Export CSV writes from here. Pure (no vscode).
import { METRICS, type ChartRow, type ChartSocket } from '../../protocol/webview-messages';

export class ChartHistory {
  private readonly rows: ChartRow[] = [];
  private readonly closedAt = new Map<string, number>();

  constructor(readonly sockets: readonly ChartSocket[], private readonly maxRows = 36_000) {}

  push(row: ChartRow): void {
    this.rows.push(row);
    if (this.rows.length > this.maxRows) this.rows.splice(0, this.rows.length - this.maxRows);
  }

  markClosed(cookie: string, t: number): boolean {
    if (this.closedAt.has(cookie)) return false;
    this.closedAt.set(cookie, t);
    return true;
  }

  isClosed(cookie: string): boolean { return this.closedAt.has(cookie); }
  get allClosed(): boolean { return this.sockets.every((s) => this.closedAt.has(s.cookie)); }
  get length(): number { return this.rows.length; }
  all(): readonly ChartRow[] { return this.rows; }

  /** `time,socket,cookie,<metrics...>`, one line per socket per sample, ISO timestamps. */
  toCsv(): string {
    const header = ['time', 'socket', 'cookie', ...METRICS.map((m) => m.key)];
    const lines = [header.join(',')];
    const labels = new Map(this.sockets.map((s) => [s.cookie, s.label]));
    for (const row of this.rows) {
      for (const [cookie, v] of Object.entries(row.values)) {
        if (!v) continue;
        lines.push([new Date(row.t).toISOString(), csvField(labels.get(cookie) ?? ''), cookie, ...v.map((n) => (n === null ? '' : String(n)))].join(','));
      }
    }
    return lines.join('\n') + '\n';
  }
}

export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
