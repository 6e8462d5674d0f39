import { defineConfig } from 'vitest/config';

// Each test file starts real runtimes (workerd, Deno, Bun) as child processes; their start-up,
// not the assertions, sets the pace, so the limits are generous.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
