// Status bar item: socket counts for the view's current filter and the helper's privilege state;
// clicking focuses the Sockets view.
import { VIEW_IDS, type CommandId } from './commands/command-table';
import * as vscode from 'vscode';
import type { Capabilities } from '../protocol/helper-protocol';
import { formatStateCounts } from './tree/model-format';
import type { ViewCounts } from './tree/sockets-view';

export function privilegeText(caps: Capabilities | undefined): { icon: string; text: string } {
  if (!caps) return { icon: '$(sync~spin)', text: 'helper starting' };
  if (caps.root) return { icon: '$(shield)', text: 'root' };
  if (caps.netAdmin) return { icon: '$(shield)', text: 'CAP_NET_ADMIN' };
  return { icon: '$(lock)', text: caps.invisibleProcesses ? `unprivileged, ${caps.invisibleProcesses} processes hidden` : 'unprivileged' };
}

export class SocketsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sockscope.status', vscode.StatusBarAlignment.Left, 50);
  private counts: ViewCounts = { byState: [], visible: 0, phase: 'closed' };
  /** When the counts shown were last live; undefined before the view has counted anything. */
  private countedAt: Date | undefined;
  private caps: Capabilities | undefined;

  constructor() {
    this.item.name = 'Sockscope sockets';
    this.item.command = { command: `${VIEW_IDS.sockets}.focus`, title: 'Show Sockets' };
    this.render();
    this.item.show();
  }

  onCounts(counts: ViewCounts): void {
    this.counts = counts;
    if (counts.phase === 'live') this.countedAt = new Date();
    else if (counts.phase === 'loading') this.countedAt = undefined;
    this.render();
  }

  onCapabilities(caps: Capabilities | undefined): void {
    this.caps = caps;
    this.render();
  }

  private render(): void {
    const p = privilegeText(this.caps);
    const { phase, byState, visible } = this.counts;
    // Never "no sockets" before the helper has counted them, nor "loading" while nothing counts.
    const counts = phase === 'loading' ? 'loading' : phase === 'closed' && !this.countedAt ? 'Sockets' : formatStateCounts(byState, 3);
    this.item.text = `$(plug) ${counts} ${p.icon}`;
    const tip = new vscode.MarkdownString();
    if (phase === 'loading') tip.appendMarkdown('**Sockscope**: counting sockets…\n\n');
    else if (phase === 'live') tip.appendMarkdown(`**Sockscope**: ${visible} sockets in the Sockets view\n\n`);
    else if (this.countedAt) tip.appendMarkdown(`**Sockscope**: ${visible} sockets at ${this.countedAt.toLocaleTimeString()}, when the Sockets view was last open; it counts while it is open (click to open it)\n\n`);
    else tip.appendMarkdown('**Sockscope**: the Sockets view counts sockets while it is open (click to open it)\n\n');
    if (phase !== 'loading') tip.appendMarkdown(byState.map(([s, n]) => `- ${s}: ${n}`).join('\n') + '\n\n');
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
