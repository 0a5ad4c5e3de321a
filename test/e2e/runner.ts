// A tiny test runner shared by the extension-host suite (test/e2e/suite) and the UI tests (test/e2e/ui):
// test files register tests at load time; `run()` runs them one after another with a timeout each and returns a
// report. Kept small on purpose (no mocha here). `C` is what a test receives besides the TestContext.
export interface TestContext {
  /** Marks the running test as skipped (it stops here and counts as neither passed nor failed). */
  skip(reason: string): never;
  /** Logs a line into the report next to the test. */
  log(message: string): void;
}

export interface TestOptions {
  /** Default 20 s. */
  timeoutMs?: number;
}

export interface TestResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  error?: string;
  logs: string[];
}

export interface TestReport {
  passed: number;
  failed: number;
  skipped: number;
  results: TestResult[];
}

interface Registered<C> {
  name: string;
  fn: (t: TestContext & C) => unknown;
  timeoutMs: number;
}

class Skip extends Error {}

function describeError(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}

export class TestRegistry<C extends object> {
  private readonly tests: Registered<C>[] = [];

  /** Registers a test. Names must be unique. */
  readonly test = (name: string, fn: (t: TestContext & C) => unknown, options: TestOptions = {}): void => {
    if (this.tests.some((r) => r.name === name)) throw new Error(`duplicate e2e test name: ${name}`);
    this.tests.push({ name, fn, timeoutMs: options.timeoutMs ?? 20_000 });
  };

  get size(): number { return this.tests.length; }

  /**
   * Runs every test whose name contains `filter` (all when empty), in registration order. `makeContext` is
   * called once per test; `afterEach` runs after each test (also on failure) with its result.
   */
  async run(filter: string, makeContext: (name: string) => C, afterEach?: (result: TestResult, context: C) => Promise<void>): Promise<TestReport> {
    const report: TestReport = { passed: 0, failed: 0, skipped: 0, results: [] };
    for (const r of this.tests.filter((x) => x.name.includes(filter))) {
      const context = makeContext(r.name);
      const result = await runOne(r, context);
      if (afterEach) {
        try { await afterEach(result, context); } catch (e) { result.logs.push(`afterEach failed: ${describeError(e)}`); }
      }
      report.results.push(result);
      report[result.status]++;
    }
    return report;
  }
}

async function runOne<C extends object>(r: Registered<C>, extra: C): Promise<TestResult> {
  const logs: string[] = [];
  const started = Date.now();
  const context: TestContext & C = Object.assign(Object.create(extra) as C, {
    skip(reason: string): never { throw new Skip(reason); },
    log(message: string) { logs.push(message); },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${r.timeoutMs} ms`)), r.timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(() => r.fn(context)), timeout]);
    return { name: r.name, status: 'passed', ms: Date.now() - started, logs };
  } catch (e) {
    if (e instanceof Skip) return { name: r.name, status: 'skipped', ms: Date.now() - started, error: e.message, logs };
    return { name: r.name, status: 'failed', ms: Date.now() - started, error: describeError(e), logs };
  } finally {
    clearTimeout(timer);
  }
}
