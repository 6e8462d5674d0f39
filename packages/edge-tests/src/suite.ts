import { createCodeCoverage } from './coverage.js';
import { type Harness, assertEqual, createHarness } from './harness.js';
import { registerForge } from './suites/forge.js';
import { registerHonoAdapter } from './suites/hono-adapter.js';
import { registerLifecycle } from './suites/lifecycle.js';
import { registerOutbound } from './suites/outbound.js';
import { registerQshVectors } from './suites/qsh-vectors.js';
import { registerRejections } from './suites/rejections.js';
import { registerTokenVectors } from './suites/token-vectors.js';

/**
 * The portable suite: every verification path of `@connect-auth/core` through its public API,
 * then `@connect-auth/hono` on the same vectors, ending with a check that every error code of
 * the core's registry was reached.
 */
export function createPortableSuite(): Harness {
  const h = createHarness();
  const coverage = createCodeCoverage();
  registerQshVectors(h);
  registerTokenVectors(h, coverage);
  registerLifecycle(h, coverage);
  registerRejections(h, coverage);
  registerOutbound(h, coverage);
  registerForge(h, coverage);
  registerHonoAdapter(h);
  h.test('every error code of the core registry was reached', () => {
    assertEqual(coverage.missing(), [], 'codes never reached');
  });
  return h;
}
