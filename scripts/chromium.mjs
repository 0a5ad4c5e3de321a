// Debian's Chromium driven by playwright-core, with a fresh profile and no background traffic.
import { join } from 'node:path';
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

/**
 * A persistent context on `profileDir` (playwright passes it as --user-data-dir). Close it to end Chromium.
 * `home` becomes Chromium's HOME, so its crash database and dconf cache do not land in the real home.
 */
export function launchChromium(profileDir, { headless = true, home } = {}) {
  const env = home ? { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') } : undefined;
  return chromium.launchPersistentContext(profileDir, {
    ...(env ? { env } : {}),
    executablePath: CHROMIUM,
    headless,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    timeout: 60_000,
    // The caller cleans up on signals (Chromium and code-server); playwright's own handlers would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
