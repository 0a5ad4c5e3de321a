// The connection log and the timeline as a user sees them, over a recording this test writes through the
// real writer (test/lib/history-fixture.ts): the table sorted by a header click and filtered in the ss
// language (with an error shown inline), the timeline with a brush selection, and the log of that range.
// Screenshots in the dark and the light theme.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { buildLogRecording } from '../../lib/history-fixture';
import { uiTest } from './registry';

const ROWS = 3000;

/** The webview page (inside VS Code's two nested iframes) that holds `selector`, visible. */
async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const f of page.frames()) {
      const el = await f.$(selector).catch(() => null);
      if (el && await el.isVisible().catch(() => false)) return f;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no visible webview with ${selector}`);
}

async function statusText(f: Frame): Promise<string> {
  return (await f.locator('#status').textContent()) ?? '';
}

/** The first `n` rows' texts in one column, in row order (pool elements are reused out of order). */
async function cellTexts(f: Frame, column: string, n: number): Promise<string[]> {
  const rows = await f.locator('.rows .row:not([hidden]):not(.loading)').evaluateAll((els, col) => els
    .map((e) => [Number((e as HTMLElement).dataset.index), e.querySelector(`[data-column="${col}"]`)?.textContent ?? ''] as [number, string]), column);
  return rows.sort((a, b) => a[0] - b[0]).slice(0, n).map((r) => r[1]);
}

/** `4.76 MiB` -> bytes (as shown: three significant digits). */
function bytes(text: string): number {
  const m = /^([\d.]+) (B|KiB|MiB|GiB)$/.exec(text.trim());
  return m ? Number(m[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB'].indexOf(m[2]) : NaN;
}

uiTest('history: connection log sorted and filtered, timeline with a brush, dark and light themes', async ({ page, workbench, screenshot, log }) => {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-e2e-history-'));
  try {
    const db = join(dir, 'e2e-history.db');
    const built = buildLogRecording(db, { rows: ROWS, spanMs: 40 * 60_000 });
    log(`recording ${db}: ${built.rows} connections`);
    await workbench.setTheme('Dark Modern');

    // ---- the connection log ----
    // Open Recording… (time travel's command) offers the log among what to show of the file.
    await workbench.runCommand('Sockscope: Open Recording…');
    await workbench.answerFileDialog(db);
    try {
      await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Show Connection Log' }).first().click({ timeout: 20_000 });
    } catch (e) {
      await workbench.runCommand('Notifications: Show Notifications').catch(() => undefined);
      log(`notifications: ${await page.locator('.notifications-center').innerText().catch(() => '?')}`);
      throw e;
    }
    await page.locator('.tabs-container .tab').filter({ hasText: 'Connection Log' }).first().waitFor({ timeout: 20_000 });
    const logFrame = await webviewFrame(page, '#scroller');
    await logFrame.locator('#status').filter({ hasText: `of ${ROWS.toLocaleString('en-US')}` }).waitFor({ timeout: 30_000 });
    await logFrame.locator('.rows .row:not(.loading)').first().waitFor({ timeout: 15_000 });
    assert.ok(await logFrame.locator('.rows .row').count() < 120, 'only the visible rows (and a margin) are in the DOM');

    // Sort by bytes sent, descending (two clicks): the helper's order.
    const sentHeader = logFrame.locator('.header [data-column="sent"]');
    await sentHeader.click();
    await logFrame.locator('.header [data-column="sent"][aria-sort="ascending"]').waitFor({ timeout: 10_000 });
    await sentHeader.click();
    await logFrame.locator('.header [data-column="sent"][aria-sort="descending"]').waitFor({ timeout: 10_000 });
    // Clicking the header scrolled the table sideways to it; the screenshots show it from its first column.
    await logFrame.locator('#scroller').evaluate((e) => { e.scrollLeft = 0; });
    await page.waitForTimeout(800);
    const sent = (await cellTexts(logFrame, 'sent', 10)).map(bytes);
    assert.ok(sent.length >= 5, `rows shown (${sent.length})`);
    for (let i = 1; i < sent.length; i++) assert.ok(sent[i - 1] >= sent[i], `sorted descending: ${sent.join(' ')}`);

    // Filter in the ss language: peers on port 443 only (a fifth of the fixture).
    const filter = logFrame.locator('#filter');
    await filter.fill('dport = :443');
    await filter.press('Enter');
    await logFrame.locator('#status').filter({ hasText: `of ${(ROWS / 5).toLocaleString('en-US')}` }).waitFor({ timeout: 20_000 });
    await page.waitForTimeout(800);
    const peers = await cellTexts(logFrame, 'peer', 10);
    assert.ok(peers.length > 0 && peers.every((p) => p.endsWith(':443')), `filtered peers: ${peers.join(' ')}`);
    // Keyboard: arrows move the selection, Enter opens the row's actions.
    await logFrame.locator('#scroller').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await logFrame.locator('.rows .row.selected').waitFor({ timeout: 5000 });
    await page.keyboard.press('Enter');
    await logFrame.locator('.menu:not([hidden])').waitFor({ timeout: 5000 });
    await screenshot('log-dark');
    await page.keyboard.press('Escape');
    log(`log: ${await statusText(logFrame)}`);

    // A filter the language refuses: the error says where and why, inline.
    await filter.fill('dport = :443 or sport >');
    await filter.press('Enter');
    await logFrame.locator('#filter-error:not([hidden])').filter({ hasText: /column \d+/ }).waitFor({ timeout: 10_000 });
    log(`filter error: ${await logFrame.locator('#filter-error').innerText()}`);
    await screenshot('log-filter-error-dark');
    await filter.fill('dport = :443');
    await filter.press('Enter');
    await logFrame.locator('#filter-error').waitFor({ state: 'hidden', timeout: 10_000 });

    await workbench.setTheme('Light Modern');
    await page.waitForTimeout(800);
    await screenshot('log-light');
    await workbench.setTheme('Dark High Contrast');
    await page.waitForTimeout(800);
    await screenshot('log-high-contrast');
    await workbench.setTheme('Light Modern');

    // ---- the timeline ----
    await workbench.runCommand('Sockscope: Show Timeline');
    await page.locator('.tabs-container .tab').filter({ hasText: 'Timeline' }).first().waitFor({ timeout: 20_000 });
    const tl = await webviewFrame(page, '#chart');
    await tl.locator('#chart .uplot').waitFor({ timeout: 30_000 });
    await tl.locator('#status').filter({ hasText: /points/ }).waitFor({ timeout: 30_000 });
    // The picker lists every process the recording tied sockets to, though all their connections had
    // closed before its end.
    const processes = await tl.locator('#scope optgroup[label="Processes"] option').allTextContents();
    assert.deepEqual(processes, ['curl (1000)', 'java (1007)', 'nginx (1001)', 'node (1003)', 'postgres (1002)', 'python3 (1004)', 'redis-server (1006)', 'sshd (1005)']);
    const over = tl.locator('#chart .u-over');
    const box = await over.boundingBox();
    assert.ok(box, 'the chart has a plot area');
    // Drag a range (in the frame's coordinates the page's mouse reaches through the iframes).
    await over.hover({ position: { x: box.width * 0.3, y: box.height / 2 } });
    await page.mouse.down();
    await over.hover({ position: { x: box.width * 0.55, y: box.height / 2 } });
    await page.mouse.up();
    await tl.locator('#choice').filter({ hasText: /^Range:/ }).waitFor({ timeout: 10_000 });
    assert.equal(await tl.locator('#show-log').isDisabled(), false);
    await page.waitForTimeout(500);
    await screenshot('timeline-light');
    await workbench.setTheme('Dark Modern');
    await page.waitForTimeout(1000);
    await tl.locator('#choice').filter({ hasText: /^Range:/ }).waitFor({ timeout: 10_000 });
    // The chart drawn again for the new theme still shows the chosen range where it was dragged.
    const brushed = await tl.locator('#chart .u-select').boundingBox();
    assert.ok(brushed && Math.abs(brushed.width - box.width * 0.25) < 6 && Math.abs(brushed.x - (box.x + box.width * 0.3)) < 6,
      `the brush is drawn over the dragged range after a theme change (it is ${JSON.stringify(brushed)}, the plot ${JSON.stringify(box)})`);
    // Away from the tab (its hover card would cover the presets), then over the range.
    await page.mouse.move(150, 600);
    await page.waitForTimeout(300);
    await over.hover({ position: { x: box.width * 0.45, y: box.height / 2 } });
    await screenshot('timeline-dark');

    // "Show Connection Log for this range": the table shows that range.
    await tl.locator('#show-log').click();
    const again = await webviewFrame(page, '#scroller');
    await again.locator('#status').filter({ hasText: / – / }).waitFor({ timeout: 20_000 });
    log(`log of the range: ${await statusText(again)}`);
    await screenshot('log-range-dark');

    // A click is a moment.
    await workbench.runCommand('Sockscope: Show Timeline');
    const tl2 = await webviewFrame(page, '#chart');
    await tl2.locator('#chart .u-over').click({ position: { x: box.width * 0.7, y: box.height / 2 } });
    await tl2.locator('#choice').filter({ hasText: /^Moment:/ }).waitFor({ timeout: 10_000 });
    await screenshot('timeline-moment-dark');
    // Show Sockets at This Moment: time travel's Sockets view, as recorded then.
    await tl2.locator('#show-moment').click();
    await workbench.openViewContainer('Sockscope');
    await page.waitForTimeout(2000);
    await screenshot('moment-sockets-view-dark');
    await workbench.runCommand('Sockscope: Return to Live').catch(() => undefined);
  } finally {
    await page.keyboard.press('Escape').catch(() => undefined);
    await workbench.runCommand('View: Close All Editors').catch(() => undefined);
    await workbench.setTheme('Light Modern').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}, { timeoutMs: 150_000 });
