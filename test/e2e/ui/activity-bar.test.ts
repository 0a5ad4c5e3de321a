// Runs first (file-name order): clicks through the workbench: the Sockscope container, its Sockets view, an .ssq sample file.
import * as assert from 'node:assert/strict';
import { uiTest } from './registry';

uiTest('the Sockscope activity-bar container shows the Sockets view', async ({ workbench, screenshot }) => {
  const sidebar = await workbench.openViewContainer('Sockscope');
  const pane = workbench.viewPane('Sockets');
  await pane.waitFor({ timeout: 20_000 });
  assert.ok(await sidebar.isVisible());
  assert.match((await pane.locator('.pane-header').innerText()).toUpperCase(), /SOCKETS/);
  // The tree has loaded: it shows rows (process or socket groups) from the helper.
  await pane.locator('.monaco-list-row').first().waitFor({ timeout: 20_000 });
  await screenshot('sockets-view');
});

uiTest('a sample .ssq file opens in an editor', async ({ workbench, screenshot }) => {
  await workbench.openFile('web.ssq');
  const text = await workbench.waitForEditorText(/\[https-peers\]/);
  assert.match(text, /-t4 state established/);
  await screenshot('web-ssq');
});
