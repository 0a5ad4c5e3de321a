// Entry point VS Code loads through `extensionTestsPath` (bundled by scripts/e2e-bundle.mjs together with every
// test/e2e/suite/*.test.ts). VS Code calls run(); a rejection makes the extension host exit with code 1, which
// reaches the harness through window.codeAutomationExit. The detailed report goes to $SOCKSCOPE_E2E_REPORT.
import { writeFileSync } from 'node:fs';
import { suite } from './registry';

export async function run(): Promise<void> {
  const report = await suite.run(process.env.SOCKSCOPE_E2E_FILTER ?? '', () => ({}));
  const target = process.env.SOCKSCOPE_E2E_REPORT;
  if (target) writeFileSync(target, JSON.stringify(report, null, 2));
  for (const r of report.results) console.log(`[e2e] ${r.status} ${r.name} (${r.ms} ms)${r.error ? `\n${r.error}` : ''}`);
  if (report.failed > 0) throw new Error(`${report.failed} extension-host test(s) failed`);
}
