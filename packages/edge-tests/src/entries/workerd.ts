/**
 * workerd entry: `workerd test` calls this Worker's `test` handler; a throw fails the run.
 * Compiled without `nodejs_compat`, so no Node built-in exists in the isolate.
 */
import { createPortableSuite } from '../suite.js';

export default {
  async test(): Promise<void> {
    const result = await createPortableSuite().run();
    if (result.failed > 0) throw new Error(`${result.failed} portable test(s) failed`);
  },
};
