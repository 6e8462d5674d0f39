/**
 * Proves the Deno and Bun runs can fail: one passing and one failing test must print
 * "1 passed, 1 failed" and end the run non-zero.
 */
import { createSelfCheck } from './self-check-suite.js';
import { exitWith } from './exit.js';

const result = await createSelfCheck().run();
exitWith(result.failed > 0 ? 1 : 0);
