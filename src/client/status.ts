// Status bar item: socket counts for the view's current filter and the helper's privilege state;
// clicking focuses the Sockets view.
import { VIEW_IDS, type CommandId } from './commands/command-table';
import * as vscode from 'vscode';
import type { Capabilities } from '../protocol/helper-protocol';
import type { StateName } from '../protocol/socket-record';
import { formatStateCounts } from './tree/model-format';

export function privilegeText(caps: Capabilities | undefined): { icon: string; text: string } {
  if (!caps) return { icon: '$(sync~spin)', text: 'helper starting' };
  if (caps.root) return { icon: '$(shield)', text: 'root' };
  if (caps.netAdmin) return { icon: '$(shield)', text: 'CAP_NET_ADMIN' };
  return { icon: '$(lock)', text: caps.invisibleProcesses ? `unprivileged, ${caps.invisibleProcesses} processes hidden` : 'unprivileged' };
}

export class SocketsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sockscope.status', vscode.StatusBarAlignment.Left, 50);
  private counts: Array<[StateName, number]> = [];
  private visible = 0;
  private loading = true;
  private caps: Capabilities | undefined;

  constructor() {
    this.item.name = 'Sockscope sockets';
    this.item.command = { command: `${VIEW_IDS.sockets}.focus`, title: 'Show Sockets' };
    this.render();
    this.item.show();
  }

  onCounts(counts: Array<[StateName, number]>, visible: number, loading = false): void {
    this.counts = counts;
    this.visible = visible;
    this.loading = loading;
    this.render();
  }

  onCapabilities(caps: Capabilities | undefined): void {
    this.caps = caps;
    this.render();
  }

  private render(): void {
    const p = privilegeText(this.caps);
    // Never "no sockets" before the helper has counted them.
    const counts = this.loading ? 'loading' : formatStateCounts(this.counts, 3);
    this.item.text = `$(plug) ${counts} ${p.icon}`;
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(this.loading ? '**Sockscope**: counting sockets…\n\n' : `**Sockscope**: ${this.visible} sockets in the Sockets view\n\n`);
    tip.appendMarkdown(this.counts.map(([s, n]) => `- ${s}: ${n}`).join('\n') + '\n\n');
    tip.appendMarkdown(`Helper: ${p.text}${this.caps ? ` (uid ${this.caps.uid}${this.caps.netAdmin ? ', CAP_NET_ADMIN' : ''}${this.caps.sysPtrace ? ', CAP_SYS_PTRACE' : ''})` : ''}`);
    if (this.caps && !this.caps.root) {
      const show: CommandId = 'sockscope.showAllProcesses';
      tip.isTrusted = { enabledCommands: [show] };
      tip.appendMarkdown(`\n\n[Show all processes (root)](command:${show})`);
    }
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: `Sockscope: ${counts}, helper ${p.text}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}
