// Following the program being debugged, as a user sees it: F5 on the sample workspace's "Follow
// demo" puts a group at the top of the Sockets view, expanded, labelled with the launch
// configuration's name, its rows readable (state and peer in full) at the default sidebar width,
// and its tooltip says what the processes are; an ordinary process group's tooltip does too.
// Screenshots in the dark and the light theme.
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { uiTest } from './registry';
import type { Workbench } from './workbench';

/** VS Code's default sidebar width (an earlier test may have widened it). */
const DEFAULT_SIDEBAR = 300;

async function sidebarToDefault(page: Page): Promise<number> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return 0;
  if (Math.abs(box.width - DEFAULT_SIDEBAR) > 2) {
    const x = box.x + box.width + 1;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(box.x + DEFAULT_SIDEBAR + 1, y, { steps: 8 });
    await page.mouse.up();
  }
  return (await page.locator('.part.sidebar').boundingBox())?.width ?? 0;
}

async function socketsPane(workbench: Workbench): Promise<Locator> {
  await workbench.openViewContainer('Sockscope');
  const pane = workbench.viewPane('Sockets');
  await pane.waitFor({ timeout: 20_000 });
  // Other views of the container (Findings) collapsed: the Sockets view gets the height.
  const others = workbench.page.locator('.part.sidebar .pane-header[aria-expanded="true"]').filter({ hasNotText: /^\s*Sockets/ });
  for (let i = (await others.count()) - 1; i >= 0; i--) await others.nth(i).click().catch(() => undefined);
  const header = pane.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return pane;
}

/** Hovers a row and waits for its tooltip (VS Code's hover widget) with text matching `pattern`. */
async function tooltipOf(page: Page, row: Locator, pattern: RegExp): Promise<string> {
  const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: pattern }).first();
  for (let i = 0; i < 4; i++) {
    await page.mouse.move(5, 5);
    await row.locator('.label-name').first().hover();
    // The hover may go again before it is read (the tree re-renders the row on a refresh).
    const text = await hover.waitFor({ timeout: 5000 }).then(() => hover.innerText({ timeout: 1000 }), () => undefined).catch(() => undefined);
    if (text !== undefined) return text;
  }
  throw new Error(`no tooltip matching ${pattern}`);
}

/** The rows below `group` in the tree, up to the next group (aria-level 1). */
async function childRows(pane: Locator, group: Locator): Promise<Locator[]> {
  const rows = pane.locator('.monaco-list-row');
  const n = await rows.count();
  const out: Locator[] = [];
  let inside = false;
  const groupId = await group.getAttribute('id');
  for (let i = 0; i < n; i++) {
    const r = rows.nth(i);
    const level = await r.getAttribute('aria-level');
    if (level === '1') { if (inside) break; inside = (await r.getAttribute('id')) === groupId; continue; }
    if (inside) out.push(r);
  }
  return out;
}

uiTest('Follow: a debug session\'s group at the top, expanded, readable at the default width, identity tooltip (dark and light)', async ({ page, workbench, screenshot, log }) => {
  const pane = await socketsPane(workbench);
  const width = await sidebarToDefault(page);
  log(`sidebar width ${width}px`);
  await workbench.runCommand('Debug: Select and Start Debugging');
  await page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^Follow demo$/ }) }).first().click({ timeout: 15_000 });
  try {
    // The group comes first, expanded, with the demo's sockets (the server, its worker, the debugger's inspector links).
    const first = pane.locator('.monaco-list-row[aria-level="1"]').first();
    await page.waitForFunction(() => {
      const row = document.querySelector('.part.sidebar .pane .monaco-list-row[aria-level="1"]');
      const text = row?.textContent ?? '';
      return /^\s*Follow demo/.test(text) && Number(/(\d+)\s*$/.exec(text)?.[1] ?? 0) >= 5 && row?.getAttribute('aria-expanded') === 'true';
    }, undefined, { timeout: 60_000 });
    assert.match(await first.innerText(), /^Follow demo/);
    assert.equal(await first.getAttribute('aria-expanded'), 'true');
    const rows = await childRows(pane, first);
    assert.ok(rows.length >= 5, `${rows.length} rows under the group`);
    // Readable: each row's label (state and peer) ends inside the view, not cut by an ellipsis.
    const paneBox = (await pane.boundingBox())!;
    for (const r of rows) {
      const label = r.locator('.label-name').first();
      const text = await label.innerText();
      const box = await label.boundingBox();
      const cut = await label.evaluate((el) => { const c = el.closest('.monaco-icon-label-container') ?? el; return c.scrollWidth > c.clientWidth + 1 && getComputedStyle(el).textOverflow === 'ellipsis'; });
      log(`row: ${text} | ${(await r.locator('.label-description').first().innerText().catch(() => '')).trim()}`);
      assert.ok(box && box.x + box.width <= paneBox.x + paneBox.width + 1, `"${text}" fits the view`);
      assert.ok(!cut, `"${text}" is not cut`);
      // What matters first: the peer and the state of a connection, the state and address of a listener.
      assert.match(text, /^(→ \S+:\d+ [A-Z][A-Z0-9-]+|[A-Z][A-Z0-9-]+ \S+:\d+)$/, 'peer and state');
    }
    await workbench.setTheme('Dark Modern');
    const tip = await tooltipOf(page, first, /pid \d+/);
    assert.match(tip, /^Follow demo · \d+ sockets\n\d+ processes/);
    assert.match(tip, /command: .*follow-demo\/server\.js/);
    assert.match(tip, /cwd: /);
    assert.match(tip, /started: \d{4}-\d\d-\d\d/);
    await screenshot('followed-dark');
    await workbench.setTheme('Light Modern');
    await tooltipOf(page, first, /pid \d+/);
    await screenshot('followed-light');
  } finally {
    await page.mouse.move(700, 400);
    // The debug toolbar's Stop (the palette would rank the recently used "Start Debugging" first).
    const gone = (): Promise<boolean> => page.waitForFunction(() => !/^\s*Follow demo/.test(document.querySelector('.part.sidebar .pane .monaco-list-row[aria-level="1"]')?.textContent ?? ''), undefined, { timeout: 10_000 }).then(() => true, () => false);
    for (let i = 0; i < 3; i++) {
      await page.locator('.debug-toolbar a.action-label[aria-label^="Stop"], .debug-toolbar a.action-label[aria-label^="Disconnect"]').first().click({ timeout: 5000 }).catch(() => undefined);
      if (await gone()) break;
    }
  }
  assert.doesNotMatch(await pane.locator('.monaco-list-row[aria-level="1"]').first().innerText(), /^Follow demo/, 'the group goes when the session stops');
}, { timeoutMs: 150_000 });

uiTest('Sockets view: a process group\'s identity tooltip says what the process is (pid, user, command line, cwd, start time)', async ({ page, workbench, screenshot }) => {
  const pane = await socketsPane(workbench);
  await sidebarToDefault(page);
  const group = pane.locator('.monaco-list-row[aria-level="1"]').filter({ hasText: /\(\d+\)/ }).first();
  await group.waitFor({ timeout: 20_000 });
  const tip = await tooltipOf(page, group, /pid \d+ \(parent \d+\)/);
  assert.match(tip, /user \w+/);
  assert.match(tip, /command: /);
  assert.match(tip, /started: \d{4}-\d\d-\d\d/);
  assert.match(tip, /^.+ · \d+ sockets?\npid \d+/);
  await screenshot('process-group-tooltip');
  await page.mouse.move(700, 400);
}, { timeoutMs: 60_000 });
