// The VS Code setting sockscope.findings.thresholds lists exactly the engine's thresholds, with
// their defaults (THRESHOLDS in src/findings/thresholds.ts is the source).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { THRESHOLDS, THRESHOLD_NAMES } from '../../../src/findings/index';

test('package.json thresholds setting matches THRESHOLDS', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties['sockscope.findings.thresholds'].properties as Record<string, { default: number; description: string }>;
  assert.deepEqual(Object.keys(props), THRESHOLD_NAMES);
  for (const n of THRESHOLD_NAMES) {
    assert.equal(props[n].default, THRESHOLDS[n].value, n);
    assert.equal(props[n].description, THRESHOLDS[n].doc, n);
  }
});
