import { ERROR_STATUS, type ErrorCode } from '@connect-auth/core';
import { assertRejects } from './harness.js';

/**
 * Records which error codes the suite has seen rejected, so one final test can prove that every
 * code of the core's registry is reachable (and reached) in this runtime.
 */
export interface CodeCoverage {
  /** Asserts a rejection with `code` and the status the registry maps it to, and records it. */
  rejects(promise: Promise<unknown>, code: ErrorCode): Promise<void>;
  /** Registry codes not reached yet. */
  missing(): ErrorCode[];
}

/** Creates an empty coverage record. */
export function createCodeCoverage(): CodeCoverage {
  const reached = new Set<string>();
  return {
    async rejects(promise, code) {
      reached.add(await assertRejects(promise, code, ERROR_STATUS[code]));
    },
    missing() {
      return (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((code) => !reached.has(code));
    },
  };
}
