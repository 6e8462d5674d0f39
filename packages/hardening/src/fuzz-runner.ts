import { ERROR_STATUS, type ErrorCode, isConnectAuthError } from '@connect-auth/core';
import fc from 'fast-check';
import { report, seedFor } from './profile.js';

/**
 * Checks that a rejection is classified: a connect-auth error whose code is in the registry and
 * whose status is that code's status, between 400 and 599. Anything else (a TypeError, a
 * RangeError from a huge number, a plain Error) is a crash and fails the fuzzer.
 */
export function classifyRejection(error: unknown): ErrorCode {
  if (!isConnectAuthError(error)) {
    throw new Error(`Unclassified rejection (not a ConnectAuthError): ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, {
      cause: error,
    });
  }
  const code = error.code as string;
  if (!Object.hasOwn(ERROR_STATUS, code)) throw new Error(`Rejection with a code outside the registry: ${code}`);
  const status = ERROR_STATUS[code as ErrorCode];
  if (error.status !== status || status < 400 || status > 599) {
    throw new Error(`Rejection ${code} with status ${error.status}; the registry says ${status}`);
  }
  return code as ErrorCode;
}

/** Outcome of one generated input. */
export type FuzzOutcome = { accepted: true } | { accepted: false; code: ErrorCode };

/** Runs `attempt`, turning a classified rejection into an outcome; a crash propagates. */
export async function outcomeOf(attempt: () => Promise<unknown>): Promise<FuzzOutcome> {
  try {
    await attempt();
    return { accepted: true };
  } catch (error) {
    return { accepted: false, code: classifyRejection(error) };
  }
}

/** The figures of one fuzzer run. */
export interface FuzzStats {
  readonly name: string;
  readonly runs: number;
  readonly seed: number;
  readonly accepted: number;
  readonly rejected: Readonly<Partial<Record<ErrorCode, number>>>;
  readonly durationMs: number;
}

/**
 * Runs one seeded fast-check property of `runs` inputs. `check` judges one input and returns
 * its outcome (throwing on a violated property); the outcomes are tallied into the figures.
 * A failure reports the seed and shrink path: rerun with `HARDENING_SEED=<seed>`.
 */
export async function runFuzzer<T>(
  name: string,
  runs: number,
  arbitrary: fc.Arbitrary<T>,
  check: (input: T) => Promise<FuzzOutcome>,
): Promise<FuzzStats> {
  const seed = seedFor(name);
  let accepted = 0;
  const rejected: Partial<Record<ErrorCode, number>> = {};
  let seen = 0;
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const outcome = await check(input);
      // After a failure fast-check replays shrunk inputs; the figures count the first `runs` only.
      if (seen++ >= runs) return;
      if (outcome.accepted) accepted++;
      else rejected[outcome.code] = (rejected[outcome.code] ?? 0) + 1;
    }),
    { numRuns: runs, seed },
  );
  const stats: FuzzStats = { name, runs, seed, accepted, rejected, durationMs: Math.round(performance.now() - started) };
  report(`fuzz:${name}`, { ...stats });
  return stats;
}
