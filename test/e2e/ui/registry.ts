// The UI test registry: `import { uiTest } from './registry'` in test/e2e/ui/*.test.ts. UI tests drive the
// workbench in Chromium through playwright-core; every test receives a UiContext besides skip()/log().
import type { Page } from 'playwright-core';
import { TestRegistry } from '../runner';
import type { Workbench } from './workbench';

export interface UiContext {
  /** The workbench page: sample-workspace/ open, Sockscope loaded from this repository (development mode). */
  readonly page: Page;
  /** Helpers for common workbench gestures (activity bar, views, quick open, commands). */
  readonly workbench: Workbench;
  /** Saves a PNG of the page as test-results/e2e/<test>-<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
}

export const ui = new TestRegistry<UiContext>();
export const uiTest = ui.test;
