// The Sockets view and the tcp_info chart as a user sees them, with screenshots: the tree grouped
// by process, the filter input showing an error, and a chart of a live connection that transfers
// data (dark theme, then light theme). This process opens the test connection itself.
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { uiTest } from './registry';
import type { Workbench } from './workbench';

interface Transfer { port: number; stop(): void }

let transfer: Transfer | undefined;

/** A local connection that keeps sending data (the chart's curves move). */
async function startTransfer(): Promise<Transfer> {
  const server = net.createServer((s) => { s.on('data', () => undefined); s.on('error', () => undefined); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const client = net.connect(port, '127.0.0.1');
  client.on('error', () => undefined);
  await new Promise<void>((r) => client.once('connect', () => r()));
  const chunk = Buffer.alloc(256 * 1024, 7);
  const timer = setInterval(() => { if (client.writableLength < 4 << 20) client.write(chunk); }, 10);
  return { port, stop: () => { clearInterval(timer); client.destroy(); server.close(); } };
}

function titleAction(page: Page, label: string): Locator {
  return page.locator(`.part.sidebar a.action-label[aria-label^="${label}"]`).first();
}

/** Clicks a Sockets view title action (shown while the pointer is on the view's header when the container has several views). */
async function clickTitleAction(page: Page, label: string): Promise<void> {
  await page.locator('.part.sidebar .pane-header[aria-label^="Sockets"]').first().hover().catch(() => undefined);
  await titleAction(page, label).click();
}

async function openSockets(workbench: Workbench): Promise<Locator> {
  await workbench.openViewContainer('Sockscope');
  const pane = workbench.viewPane('Sockets');
  await pane.waitFor({ timeout: 20_000 });
  await widenSidebar(workbench.page);
  // The container holds other views too (Findings): collapse them so the Sockets view has the height,
  // and keep the pointer on its header, where VS Code shows a view's title actions when it is not alone.
  const others = workbench.page.locator('.part.sidebar .pane-header[aria-expanded="true"]').filter({ hasNotText: /^\s*Sockets/ });
  for (let i = (await others.count()) - 1; i >= 0; i--) await others.nth(i).click().catch(() => undefined);
  await pane.locator('.pane-header').hover().catch(() => undefined);
  return pane;
}

/** Drags the sidebar's sash so socket rows show in full. */
export async function widenSidebar(page: Page): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width > 500) return;
  const x = box.x + box.width + 1;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 320, y, { steps: 8 });
  await page.mouse.up();
}

async function setFilter(page: Page, text: string): Promise<void> {
  await clickTitleAction(page, 'Filter Sockets');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(text);
  await input.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  // The last rows stay until the filter's result replaces them: wait for its count line, as a user would.
  await page.locator('.part.sidebar').getByText(`Filter ${text}:`, { exact: false }).first().waitFor({ timeout: 20_000 });
}

/** Clicks a row's inline action, hovering again if the live tree re-rendered the row meanwhile. */
async function clickInlineAction(row: Locator, label: string): Promise<void> {
  const action = row.locator(`a.action-label[aria-label^="${label}"]`);
  for (let i = 0; i < 4; i++) {
    await row.hover();
    if (await action.click({ timeout: 3000 }).then(() => true, () => false)) return;
  }
  await row.hover();
  await action.click({ timeout: 5000 });
}

/** Expands a tree row until `child` shows (the live tree re-renders rows while a click lands). */
async function expandUntil(group: Locator, child: Locator): Promise<void> {
  for (let i = 0; i < 5; i++) {
    if (await child.isVisible().catch(() => false)) return;
    if ((await group.getAttribute('aria-expanded')) !== 'true') await group.locator('.monaco-tl-twistie').click().catch(() => undefined);
    await child.waitFor({ timeout: 2000 }).catch(() => undefined);
  }
  await child.waitFor({ timeout: 2000 });
}

async function clearFilter(page: Page): Promise<void> {
  await page.locator('.part.sidebar .pane-header[aria-label^="Sockets"]').first().hover().catch(() => undefined);
  const clear = titleAction(page, 'Clear Socket Filter');
  if (await clear.isVisible().catch(() => false)) await clear.click();
}

uiTest('Sockets view: tree grouped by process, our process expanded', async ({ page, workbench, screenshot }) => {
  transfer ??= await startTransfer();
  const pane = await openSockets(workbench);
  await pane.locator('.monaco-list-row').filter({ hasText: /\(\d+\)/ }).first().waitFor({ timeout: 20_000 });
  await screenshot('grouped-by-process-all');
  try {
    await setFilter(page, `sport = :${transfer.port} or dport = :${transfer.port}`);
    // The row of this process exists before the filter applies (with every socket of ours): wait until the
    // filtered snapshot has arrived and the group counts just the transfer's three sockets.
    const group = pane.locator('.monaco-list-row').filter({ hasText: new RegExp(`\\(${process.pid}\\)\\s*3$`) }).first();
    await group.waitFor({ timeout: 20_000 });
    assert.match(await group.innerText(), /\(\d+\)\s*3/);
    const row = pane.locator('.monaco-list-row').filter({ hasText: `→ 127.0.0.1:${transfer.port}` }).first();
    await expandUntil(group, row);
    assert.match(await row.innerText(), /ESTAB/);
    await row.hover();
    await page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'rtt' }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    await screenshot('grouped-by-process');
  } finally {
    await page.mouse.move(700, 400);
    await clearFilter(page).catch(() => undefined);
  }
}, { timeoutMs: 60_000 });

uiTest('Sockets view: the filter input shows a parse error and its column before Enter', async ({ page, workbench, screenshot }) => {
  await openSockets(workbench);
  await clickTitleAction(page, 'Filter Sockets');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill('state established dport >');
  const message = page.locator('.quick-input-widget .quick-input-message');
  await page.waitForFunction(() => /column 26/.test(document.querySelector('.quick-input-widget .quick-input-message')?.textContent ?? ''), undefined, { timeout: 10_000 });
  assert.match(await message.innerText(), /column 26: .*port/);
  await screenshot('filter-error');
  await input.press('Escape');
}, { timeoutMs: 30_000 });

uiTest('tcp_info chart of a live transferring connection, dark and light themes', async ({ page, workbench, screenshot }) => {
  transfer ??= await startTransfer();
  const pane = await openSockets(workbench);
  try {
    await setFilter(page, `state established dport = :${transfer.port}`);
    const group = pane.locator('.monaco-list-row').filter({ hasText: `(${process.pid})` }).first();
    await group.waitFor({ timeout: 20_000 });
    const row = pane.locator('.monaco-list-row').filter({ hasText: `→ 127.0.0.1:${transfer.port}` }).first();
    await expandUntil(group, row);
    await clickInlineAction(row, 'Chart tcp_info');
    const tab = page.locator('.tabs-container .tab').filter({ hasText: 'tcp_info' }).first();
    await tab.waitFor({ timeout: 15_000 });
    // The chart lives in nested webview iframes; wait until it drew some samples.
    const frame = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await frame.locator('#status').filter({ hasText: /Live · ([5-9]|\d\d+) samples/ }).waitFor({ timeout: 30_000 });
    assert.ok(await frame.locator('.uplot').count() >= 6, 'six charts');
    await workbench.setTheme('Dark Modern');
    await frame.locator('#chart-rtt .u-over').hover({ position: { x: 200, y: 60 } });
    await page.waitForTimeout(500);
    await screenshot('chart-dark');
    await frame.locator('#pause').click();
    await frame.locator('#status').filter({ hasText: /^Paused/ }).waitFor({ timeout: 10_000 });
    await frame.locator('#pause').filter({ hasText: 'Resume' }).click();
    await frame.locator('#status').filter({ hasText: /^Live/ }).waitFor({ timeout: 10_000 });
    await frame.locator('#window').selectOption('1m');
    await workbench.setTheme('Light Modern');
    await frame.locator('#chart-rtt .u-over').hover({ position: { x: 300, y: 60 } });
    await frame.locator('#status').filter({ hasText: /samples/ }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(1500);
    await screenshot('chart-light');
    await workbench.setTheme('Dark High Contrast');
    await page.waitForTimeout(1000);
    await screenshot('chart-high-contrast');
    transfer.stop();
    await frame.locator('#status').filter({ hasText: /socket closed/ }).waitFor({ timeout: 15_000 });
    await screenshot('chart-socket-closed');
  } finally {
    await workbench.setTheme('Light Modern').catch(() => undefined);
    await workbench.runCommand('View: Close All Editors').catch(() => undefined);
    await clearFilter(page).catch(() => undefined);
    transfer?.stop();
    transfer = undefined;
  }
}, { timeoutMs: 90_000 });

uiTest('Sockets view: a large group pages ("Show N more", 500 at a time)', async ({ page, workbench, screenshot }) => {
  const sockets: dgram.Socket[] = [];
  const pane = await openSockets(workbench);
  try {
    for (let i = 0; i < 520; i++) {
      const u = dgram.createSocket('udp4');
      await new Promise<void>((r) => u.bind(0, '127.0.0.3', () => r()));
      sockets.push(u);
    }
    await setFilter(page, '-u src 127.0.0.3');
    // The row shows the old count until the filtered snapshot arrives.
    const group = pane.locator('.monaco-list-row').filter({ hasText: new RegExp(`\\(${process.pid}\\)\\s*520`) }).first();
    await group.waitFor({ timeout: 20_000 });
    const more = pane.locator('.monaco-list-row').filter({ hasText: /Show \d+ more/ }).first();
    const first = pane.locator('.monaco-list-row').filter({ hasText: 'UNCONN 127.0.0.3:' }).first();
    await expandUntil(group, first);
    // Scroll to the end of the group: End key in the tree (clicking the group would collapse it).
    await first.click();
    await page.keyboard.press('End');
    await more.waitFor({ timeout: 10_000 });
    assert.match(await more.innerText(), /Show 20 more\s*500 of 520 shown/);
    await screenshot('show-more');
    await more.click();
    await more.waitFor({ state: 'detached', timeout: 10_000 });
  } finally {
    await clearFilter(page).catch(() => undefined);
    for (const u of sockets) u.close();
  }
}, { timeoutMs: 60_000 });
