// Health checks as a user sees them: a query with thresholds in a workspace .ssq file, connections
// this process opens on its port; the status bar turns yellow then red as the thresholds are
// crossed, each crossing raises one notification (not one per refresh), its button opens the
// query's sockets, and the code lens above the query shows the value and state. Screenshots in the
// dark and the light theme.
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { join, resolve } from 'node:path';
import { uiTest } from './registry';

const FILE = 'e2e-health.ssq';
const PATH = join(resolve(__dirname, '..', '..', '..'), 'sample-workspace', FILE);

uiTest('health checks: status bar and one notification per crossing, dark and light themes', async ({ page, workbench, screenshot, log }) => {
  const server = net.createServer((s) => s.on('error', () => undefined));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const clients: net.Socket[] = [];
  const connect = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const c = net.connect(port, '127.0.0.1');
      c.on('error', () => undefined);
      await new Promise<void>((r) => c.once('connect', () => r()));
      clients.push(c);
    }
  };
  const status = page.locator('.part.statusbar .statusbar-item').filter({ hasText: /e2e-peers|checks? ok/ }).first();
  // code-server under automation puts notifications in the center without a toast: read them there.
  const center = page.locator('.notifications-center');
  const items = (level: string) => center.locator('.notification-list-item').filter({ hasText: `[e2e-peers] is in ${level}` });
  const showCenter = async (): Promise<void> => {
    if (!(await center.isVisible().catch(() => false))) await workbench.runCommand('Notifications: Show Notifications');
    await center.waitFor({ timeout: 10_000 });
  };
  const hideCenter = async (): Promise<void> => {
    if (await center.isVisible().catch(() => false)) await workbench.runCommand('Notifications: Hide Notifications').catch(() => undefined);
  };
  try {
    await workbench.setTheme('Dark Modern');
    await workbench.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
    // Server sides of this process's connections on the port: 2 is warn, 4 is error.
    writeFileSync(PATH, `# written by the health-checks UI test\n[e2e-peers]\n@warn count >= 2\n@error count >= 4\n-t state established sport = :${port}\n`);
    await workbench.openFile(FILE);
    await status.filter({ hasText: /1 check ok/ }).waitFor({ timeout: 30_000 });
    await page.locator('.codelens-decoration').filter({ hasText: /ok · 0 sockets/ }).first().waitFor({ timeout: 20_000 });

    await connect(2);
    await status.filter({ hasText: 'e2e-peers: warn' }).waitFor({ timeout: 20_000 });
    await page.locator('.codelens-decoration').filter({ hasText: /warn · 2 sockets · warn count >= 2/ }).first().waitFor({ timeout: 20_000 });
    await showCenter();
    await items('warn').first().waitFor({ timeout: 10_000 });
    await screenshot('warn-dark');
    await hideCenter();

    await connect(2);
    await status.filter({ hasText: 'e2e-peers: error' }).waitFor({ timeout: 20_000 });
    await page.locator('.codelens-decoration').filter({ hasText: /error · 4 sockets/ }).first().waitFor({ timeout: 20_000 });
    // Several refreshes later (refreshInterval 2 s) there is still one notification per crossing.
    await page.waitForTimeout(6000);
    await showCenter();
    await items('error').first().waitFor({ timeout: 10_000 });
    assert.equal(await items('error').count(), 1, 'one error notification');
    assert.equal(await items('warn').count(), 1, 'one warn notification');
    log(`status: ${await status.innerText()}`);
    await screenshot('error-dark');
    await hideCenter();
    await workbench.setTheme('Light Modern');
    await showCenter();
    await screenshot('error-light');

    // The notification's button opens the query's sockets in the Sockets view.
    await items('error').first().locator('.monaco-button').filter({ hasText: 'Show Sockets' }).first().click();
    const pane = page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header[aria-label^="Sockets"]') }).first();
    // Grouped by process: this process's group holds the query's four sockets.
    await pane.locator('.monaco-list-row').filter({ hasText: new RegExp(`\\(${process.pid}\\)\\s*4$|127\\.0\\.0\\.1:${port}`) }).first().waitFor({ timeout: 20_000 });
    await hideCenter();
    await screenshot('sockets-light');
  } finally {
    await workbench.setTheme('Light Modern').catch(() => undefined);
    for (const c of clients) c.destroy();
    server.close();
    rmSync(PATH, { force: true });
    await workbench.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
    await hideCenter().catch(() => undefined);
    await workbench.runCommand('View: Close All Editors').catch(() => undefined);
    // "Show Sockets" applied the query as the view's filter: later tests expect an unfiltered view.
    await workbench.runCommand('Sockscope: Clear Socket Filter').catch(() => page.keyboard.press('Escape'));
  }
}, { timeoutMs: 150_000 });
