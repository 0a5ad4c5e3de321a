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
