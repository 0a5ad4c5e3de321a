// Runs first (file-name order): clicks through the workbench: the Sockscope container, its Sockets view, an .ssq sample file.
import * as assert from 'node:assert/strict';
import { uiTest } from './registry';

uiTest('the Sockscope activity-bar container shows the Sockets view', async ({ page, workbench, screenshot }) => {
  // Before the view is open nothing counts sockets: the status bar says so (not "loading", not "no sockets").
  const status = page.locator('.part.statusbar [aria-label^="Sockscope: "]').first();
  await status.waitFor({ timeout: 30_000 });
  assert.match(await status.getAttribute('aria-label') ?? '', /^Sockscope: Sockets, helper /);
  const sidebar = await workbench.openViewContainer('Sockscope');
  const pane = workbench.viewPane('Sockets');
  await pane.waitFor({ timeout: 20_000 });
  assert.ok(await sidebar.isVisible());
  assert.match((await pane.locator('.pane-header').innerText()).toUpperCase(), /SOCKETS/);
  // The tree has loaded: it shows rows (process or socket groups) from the helper.
  await pane.locator('.monaco-list-row').first().waitFor({ timeout: 20_000 });
  // Then it shows the view's counts by state.
  await page.waitForFunction(() => /^Sockscope: [A-Z][A-Z-]* \d+/.test(document.querySelector('.part.statusbar [aria-label^="Sockscope: "]')?.getAttribute('aria-label') ?? ''), undefined, { timeout: 20_000 });
  await screenshot('sockets-view');
});

uiTest('a sample .ssq file opens in an editor', async ({ workbench, screenshot }) => {
  await workbench.openFile('web.ssq');
  const text = await workbench.waitForEditorText(/\[https-peers\]/);
  assert.match(text, /-t4 state established/);
  await screenshot('web-ssq');
});
