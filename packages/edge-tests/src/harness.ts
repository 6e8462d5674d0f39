/**
 * A tiny test harness that runs unchanged in workerd, Deno, Bun and Node: no vitest, no Node
 * built-ins, only what every runtime has (console, Promise, Error). The runners read the
 * summary line it prints, so its format is part of the runner contract.
 */
import { isConnectAuthError } from '@connect-auth/core';

/** One registered test. */
export interface TestCase {
  readonly name: string;
  readonly fn: () => Promise<void> | void;
}

/** Outcome of {@link Harness.run}. */
export interface HarnessResult {
  readonly passed: number;
  readonly failed: number;
  /** Names and messages of the failed tests, in order. */
  readonly failures: ReadonlyArray<{ readonly name: string; readonly message: string }>;
}

/** Registers tests and runs them one after the other. */
export interface Harness {
  test(name: string, fn: () => Promise<void> | void): void;
  /** Number of registered tests. */
  readonly size: number;
  /** Runs every test, logs one line per failure and the summary line; never throws. */
  run(log?: (line: string) => void): Promise<HarnessResult>;
}

/** The summary line every runner prints last; the Node side parses it with {@link parseSummary}. */
export function summaryLine(result: Pick<HarnessResult, 'passed' | 'failed'>): string {
  return `${result.passed} passed, ${result.failed} failed`;
}

/** Reads the last summary line out of a runtime's output, or null when there is none. */
export function parseSummary(output: string): { passed: number; failed: number } | null {
  const matches = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)];
  const last = matches.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : null;
}

/** Creates an empty harness. */
export function createHarness(): Harness {
  const cases: TestCase[] = [];
  return {
    test(name, fn) {
      cases.push({ name, fn });
    },
    get size() {
      return cases.length;
    },
    async run(log = (line) => console.log(line)) {
      const failures: Array<{ name: string; message: string }> = [];
      for (const { name, fn } of cases) {
        try {
          await fn();
        } catch (error) {
          const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          failures.push({ name, message });
          log(`FAIL ${name}: ${message}`);
        }
      }
      const result = { passed: cases.length - failures.length, failed: failures.length, failures };
      log(summaryLine(result));
      return result;
    },
  };
}

/** Thrown by the assertions below. */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

/** Fails unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Fails unless `actual` and `expected` are equal as JSON (enough for the plain data checked here). */
export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${what}: expected ${e}, got ${a}`);
}

/**
 * Fails unless `promise` rejects with a connect-auth error of `code` (and `status` when given).
 * Returns the code so callers can record which codes the suite reached.
 */
export async function assertRejects(promise: Promise<unknown>, code: string, status?: number): Promise<string> {
  let outcome: { resolved: true } | { resolved: false; error: unknown };
  try {
    await promise;
    outcome = { resolved: true };
  } catch (error) {
    outcome = { resolved: false, error };
  }
  if (outcome.resolved) throw new AssertionError(`expected a rejection with ${code}, but it resolved`);
  const { error } = outcome;
  if (!isConnectAuthError(error)) {
    throw new AssertionError(`expected a rejection with ${code}, got a foreign error: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (error.code !== code) throw new AssertionError(`expected code ${code}, got ${error.code} (${error.message})`);
  if (status !== undefined && error.status !== status) throw new AssertionError(`expected status ${status} for ${code}, got ${error.status}`);
  return error.code;
}
