// Debian's Chromium driven by playwright-core, with a fresh profile and no background traffic.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.SOCKSCOPE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A persistent context on `profileDir` (playwright passes it as --user-data-dir). Close it to end Chromium. */
export function launchChromium(profileDir, { headless = true } = {}) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    timeout: 60_000,
  });
}
