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
    // The entry, not its link: a badge (the findings count) sits over the link and takes the click for it.
    return this.page.locator('.part.activitybar .action-item').filter({ has: this.page.locator(`a[aria-label^="${title}"]`) }).first();
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
  /** Switches the color theme through Preferences: Color Theme (again after Escape when its list comes up unfilled). */
  async setTheme(theme: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.setThemeOnce(theme);
        return;
      } catch (e) {
        await this.page.keyboard.press('Escape').catch(() => undefined);
        if (attempt >= 3) throw e;
      }
    }
  }

  private async setThemeOnce(theme: string): Promise<void> {
    const page = this.page;
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('>Preferences: Color Theme');
    // Exactly this command (the fuzzy list also offers "Browse Color Themes in Marketplace").
    await page.locator('.quick-input-widget .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click({ timeout: 10_000 });
    await page.waitForFunction(() => /color theme/i.test(document.querySelector<HTMLInputElement>('.quick-input-widget .quick-input-box input')?.placeholder ?? ''), undefined, { timeout: 10_000 });
    await input.fill(theme);
    await page.locator(`.quick-input-widget .monaco-list-row[aria-label*="${theme}"]`).first().click({ timeout: 10_000 });
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.waitForTimeout(800);
  }

  /**
   * Answers VS Code's simple file dialog (code-server has no native one) with a file's path. The dialog
   * lists its start folder asynchronously and then writes that folder into its box, over whatever was
   * typed meanwhile: the path is typed once the listing is there, and again until the box keeps it and
   * the list shows the file; Enter again if the dialog only completed the path.
   */
  async answerFileDialog(path: string): Promise<void> {
    const page = this.page;
    const visibleInput = '.quick-input-widget:not([style*="display: none"]) .quick-input-box input';
    const input = page.locator(visibleInput);
    await input.waitFor({ timeout: 15_000 });
    // The dialog's box holds a folder (not the Command Palette still closing) and its listing is shown.
    await page.waitForFunction((sel) => {
      const i = document.querySelector<HTMLInputElement>(sel);
      return !!i && i.value.startsWith('/') && document.querySelectorAll('.quick-input-widget .monaco-list-row').length > 0;
    }, visibleInput, { timeout: 15_000 });
    const name = path.slice(path.lastIndexOf('/') + 1);
    const fileRow = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: name });
    for (let attempt = 1; ; attempt++) {
      await input.fill(path);
      await page.waitForTimeout(500);
      if (await input.inputValue({ timeout: 1000 }).catch(() => '') === path && await fileRow.first().isVisible().catch(() => false)) break;
      if (attempt >= 10) throw new Error(`the file dialog does not keep ${path}: it shows ${await input.inputValue().catch(() => '?')}`);
    }
    await input.press('Enter');
    for (let i = 0; i < 3; i++) {
      await page.waitForTimeout(1000);
      if (await input.inputValue({ timeout: 1000 }).catch(() => '') !== path) return;
      await input.press('Enter').catch(() => undefined);
    }
  }
}
