import { defineConfig } from 'vitest/config';

// CI-sized run: small fuzz counts, ~20 s soak. Suites that start servers or child processes run one
// file at a time so their timing figures are not distorted by each other on a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { HARDENING_PROFILE: process.env.HARDENING_PROFILE ?? 'ci' },
  },
});
