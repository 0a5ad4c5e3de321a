// The extension-host test registry: `import { test } from './registry'` in test/e2e/suite/*.test.ts.
import { TestRegistry } from '../runner';

export const suite = new TestRegistry<object>();
export const test = suite.test;
