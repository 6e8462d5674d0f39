import { type Harness, assertEqual, createHarness } from '../harness.js';

/** One passing and one deliberately failing test: the runners must report "1 passed, 1 failed". */
export function createSelfCheck(): Harness {
  const h = createHarness();
  h.test('passes', () => assertEqual(1 + 1, 2, 'sum'));
  h.test('fails on purpose', () => assertEqual(1 + 1, 3, 'sum'));
  return h;
}
