/** Proves the workerd run can fail: the same self-check as a `test` handler. */
import { createSelfCheck } from './self-check-suite.js';

export default {
  async test(): Promise<void> {
    const result = await createSelfCheck().run();
    if (result.failed > 0) throw new Error(`${result.failed} self-check test(s) failed`);
  },
};
