// The Findings view as a user sees it: a condition this process makes (five connections whose peers
// closed and this side did not: CLOSE-WAIT) appears with a badge on the Sockscope container,
// expands to its evidence, selecting it shows only its sockets in the Sockets view, and it goes
// once the sockets are closed. Screenshots in the dark and the light theme.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { uiTest } from './registry';
import { widenSidebar } from './sockets-tree.test';

/** Five server-side sockets in CLOSE-WAIT, held by this process. */
async function closeWaitSockets(): Promise<{ port: number; close(): void }> {
  const held: net.Socket[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (s) => { held.push(s); s.on('error', () => undefined); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  for (let i = 0; i < 5; i++) {
    const c = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => c.once('connect', () => r()));
    c.end();
    c.on('error', () => undefined);
  }
  // allowHalfOpen: the server side stays open after the peer's FIN.
  await new Promise((r) => setTimeout(r, 300));
  return { port, close: () => { for (const s of held) s.destroy(); server.close(); } };
}

uiTest('Findings view: a CLOSE-WAIT finding, its badge and evidence, the filtered Sockets view (dark and light)', async ({ page, workbench, screenshot }) => {
  const cw = await closeWaitSockets();
  try {
    await workbench.openViewContainer('Sockscope');
    await widenSidebar(page);
    const findings = workbench.viewPane('Findings');
    await findings.waitFor({ timeout: 20_000 });
    // The window may remember the view collapsed (other tests collapse it to give Sockets the height).
    const header = findings.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const row = findings.locator('.monaco-list-row').filter({ hasText: new RegExp(`pid ${process.pid}\\) holds \\d+ CLOSE-WAIT`) }).first();
    await row.waitFor({ timeout: 30_000 });
    // The badge on the activity bar's Sockscope item counts errors and warnings.
    const badge = page.locator('.activitybar .action-item[aria-label*="Sockscope"] .badge-content, .activitybar .action-item:has(a[aria-label*="Sockscope"]) .badge-content').first();
    await badge.waitFor({ timeout: 10_000 });
    assert.match(await badge.innerText(), /^\d+$/);
    await workbench.setTheme('Dark Modern');
    // Its evidence: the numbers, what to do, the sockets.
    await row.locator('.monaco-tl-twistie').click();
    await findings.locator('.monaco-list-row').filter({ hasText: /CLOSE-WAIT \(warning at 5/ }).first().waitFor({ timeout: 10_000 });
    await findings.locator('.monaco-list-row').filter({ hasText: /^\s*Sockets \(\d+\)/ }).first().waitFor({ timeout: 10_000 });
    await screenshot('close-wait-dark');
    // Selecting it: the Sockets view shows only its sockets.
    await row.locator('.label-name').click();
    const sockets = workbench.viewPane('Sockets');
    await page.locator('.part.sidebar').filter({ hasText: `close-wait/pid:${process.pid}` }).first().waitFor({ timeout: 15_000 });
    const rows = sockets.locator('.monaco-list-row').filter({ hasText: 'CLOSE-WAIT' });
    await rows.first().waitFor({ timeout: 15_000 }).catch(() => undefined);
    await workbench.setTheme('Light Modern');
    await screenshot('close-wait-filtered-light');
    // Resolved: closing the sockets makes it go.
    cw.close();
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    await screenshot('resolved-light');
  } finally {
    cw.close();
    await workbench.setTheme('Light Modern').catch(() => undefined);
    const clear = page.locator('.part.sidebar a.action-label[aria-label^="Clear Socket Filter"]').first();
    if (await clear.isVisible().catch(() => false)) await clear.click().catch(() => undefined);
  }
}, { timeoutMs: 120_000 });
