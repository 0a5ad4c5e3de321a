// Gestures on the VS Code workbench, by what a user sees (aria labels, titles), not by internal ids where avoidable.
import type { Locator, Page } from 'playwright-core';

export class Workbench {
  constructor(readonly page: Page) {}

  /** Waits until the workbench has rendered its activity bar and the explorer shows the opened folder. */
  async ready(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    await this.page.locator('.part.activitybar').waitFor({ timeout: timeoutMs });
  }

  /** The activity-bar entry of a view container, by its title (e.g. "Sockscope"). */
  activityItem(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).first();
  }

  /** Whether the sidebar is open on the view container titled `title`. */
  async sidebarShows(title: string): Promise<boolean> {
    const sidebar = this.page.locator('.part.sidebar');
    if (!(await sidebar.isVisible())) return false;
    const heading = await sidebar.locator('.composite.title').first().innerText().catch(() => '');
    return heading.toLowerCase().includes(title.toLowerCase());
  }

  /** Shows a view container from the activity bar (clicking only if needed: a second click would hide it). */
  async openViewContainer(title: string): Promise<Locator> {
    const item = this.activityItem(title);
    await item.waitFor({ timeout: 20_000 });
    for (let attempt = 0; attempt < 3 && !(await this.sidebarShows(title)); attempt++) {
      await item.click();
      const until = Date.now() + 5000;
      while (Date.now() < until && !(await this.sidebarShows(title))) await this.page.waitForTimeout(100);
    }
    if (!(await this.sidebarShows(title))) throw new Error(`the sidebar does not show ${title}`);
    return this.page.locator('.part.sidebar');
  }

  /** A view's pane (header + body) in the sidebar, by the view's name (e.g. "Sockets"). */
  viewPane(name: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator(`.pane-header[aria-label^="${name}"]`) }).first();
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab. */
  async openFile(name: string): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget input');
    // Quick Open's file list can come up empty while the workspace's file index catches up with a
    // file a test just wrote: close it and ask again.
    for (let attempt = 1; ; attempt++) {
      await this.page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
      await this.page.keyboard.press('Control+P');
      try {
        await input.waitFor({ timeout: 10_000 });
        await input.fill(name);
        await this.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: name }).first().waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        await this.page.keyboard.press('Escape').catch(() => undefined);
        if (attempt >= 3) throw e;
      }
    }
    await input.press('Enter');
    const tab = this.page.locator('.tabs-container .tab').filter({ hasText: name }).first();
    await tab.waitFor({ timeout: 10_000 });
    return tab;
  }

  /** Runs a command from the Command Palette by its visible label (e.g. "Sockscope: Refresh"). */
  async runCommand(label: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${label}`);
    await this.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: label }).first().waitFor({ timeout: 10_000 });
    await input.press('Enter');
  }

  /** The text of the visible lines of the active editor (Monaco renders only what is on screen). */
  async editorText(): Promise<string> {
    const lines = this.page.locator('.editor-group-container.active .editor-instance .view-lines').first();
    await lines.locator('.view-line').first().waitFor({ timeout: 10_000 });
    return (await lines.innerText()).replace(/\u00a0/g, ' ');
  }

  /** Waits until the active editor shows text matching `pattern`; returns that text. */
  async waitForEditorText(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await this.editorText().catch(() => '');
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`editor text did not match ${pattern} within ${timeoutMs} ms; it shows:\n${text}`);
      await this.page.waitForTimeout(100);
    }
  }
}
