// What a person sees in an .ssq editor: highlighting, the Run / Run in terminal (ss) / Apply code
// lenses above each query, and a squiggle with its message for a misspelled state.
import * as assert from 'node:assert/strict';
import { uiTest } from './registry';

uiTest('ssq editor: code lenses above each query and highlighting', async ({ page, workbench, screenshot }) => {
  await workbench.openFile('web.ssq');
  await workbench.waitForEditorText(/\[https-peers\]/);
  const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run in terminal (ss)' }).first();
  await lens.waitFor({ timeout: 30_000 });
  const titles = await page.locator('.monaco-editor .codelens-decoration a').allInnerTexts();
  assert.ok(titles.includes('Run') && titles.includes('Apply to Sockets view'), titles.join(' | '));
  await page.waitForTimeout(500);
  await screenshot('web-ssq-lenses');
}, { timeoutMs: 60_000 });

uiTest('ssq editor: hovering a state shows its documentation', async ({ page, workbench, screenshot }) => {
  await workbench.openFile('web.ssq');
  await workbench.waitForEditorText(/\[https-peers\]/);
  await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run' }).first().waitFor({ timeout: 30_000 });
  const word = page.locator('.monaco-editor .view-lines span span', { hasText: /^established$/ }).first();
  await word.hover();
  const hover = page.locator('.monaco-hover-content').filter({ hasText: 'ESTAB' }).first();
  await hover.waitFor({ timeout: 15_000 });
  assert.match(await hover.innerText(), /state established/);
  await screenshot('hover-state');
}, { timeoutMs: 60_000 });
