// Time travel as a user does it: a recording made by `sockscope record` in the test (a listener and a
// connection of this process, closed afterwards) opened with Sockscope: Open Recording… (the file
// dialog), Show Sockets at a Moment (the end of the recording): the Sockets view shows those sockets,
// marked "History · HH:MM:SS" and read only (no kill or chart on its rows); Return to Live from the
// view's title. Screenshots in the dark and the light theme.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uiTest } from './registry';
import { widenSidebar } from './sockets-tree.test';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

uiTest('Time travel: Open Recording…, the Sockets view at a recorded moment marked as history, Return to Live (dark and light)', async ({ page, workbench, screenshot }) => {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-ui-history-'));
  const db = join(dir, 'recorded.db');
  const server = net.createServer((s) => s.on('error', () => undefined));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => undefined);
  try {
    await new Promise<void>((r) => client.once('connect', () => r()));
    const rec = spawnSync(process.execPath, [CLI, 'record', '--db', db, '--interval', '300ms', '--duration', '2s', '-t', `( sport = :${port} or dport = :${port} )`], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(rec.status, 0, rec.stderr);
    client.destroy();
    server.close();

    await workbench.openViewContainer('Sockscope');
    await widenSidebar(page);
    await workbench.setTheme('Dark Modern');
    // A moment is shown through the view's filter: start from none, whatever an earlier test left.
    await workbench.runCommand('Sockscope: Clear Socket Filter').catch(() => page.keyboard.press('Escape'));
    await workbench.runCommand('Sockscope: Open Recording…');
    await workbench.answerFileDialog(db);
    // Then: what to show of it, and when.
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Show Sockets at a Moment' }).first().click({ timeout: 15_000 });
    await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'End of the recording' }).first().click({ timeout: 15_000 });

    const sidebar = page.locator('.part.sidebar');
    await sidebar.filter({ hasText: /History · \d\d:\d\d:\d\d/ }).first().waitFor({ timeout: 20_000 });
    const sockets = workbench.viewPane('Sockets');
    await sockets.locator('.monaco-list-row').first().waitFor({ timeout: 15_000 });
    const status = page.locator('.statusbar-item').filter({ hasText: /History · / }).first();
    await status.waitFor({ timeout: 10_000 });
    // Expand the process group: the recorded sockets on the port. The view may expand it itself
    // meanwhile (a click then folds it again), so look again until the rows show.
    const portRow = sockets.locator('.monaco-list-row').filter({ hasText: `:${port}` }).first();
    for (let attempt = 0; attempt < 10 && !(await portRow.isVisible().catch(() => false)); attempt++) {
      const group = sockets.locator('.monaco-list-row[aria-expanded="false"]').first();
      if (await group.isVisible().catch(() => false)) await group.locator('.monaco-tl-twistie').click().catch(() => undefined);
      await portRow.waitFor({ timeout: 1500 }).catch(() => undefined);
    }
    await portRow.waitFor({ timeout: 15_000 });
    await screenshot('moment-dark');
    // Read only: a socket row has no kill or chart action.
    const row = sockets.locator('.monaco-list-row').filter({ hasText: `:${port}` }).first();
    await row.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu, .monaco-menu-container').first();
    await menu.waitFor({ timeout: 10_000 });
    const items = await menu.innerText();
    await page.keyboard.press('Escape');
    assert.doesNotMatch(items, /Kill Socket|Chart tcp_info/);
    await workbench.setTheme('Light Modern');
    await screenshot('moment-light');

    await sidebar.locator('a.action-label[aria-label^="Return to Live"]').first().click({ timeout: 10_000 });
    await sidebar.filter({ hasText: /History · / }).first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
    assert.equal(await sidebar.filter({ hasText: /History · \d/ }).count(), 0, 'the view is live again');
    await screenshot('live-again-light');
  } finally {
    client.destroy();
    server.close();
    await workbench.setTheme('Light Modern').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}, { timeoutMs: 150_000 });
