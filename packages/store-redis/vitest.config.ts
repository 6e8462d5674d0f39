import { defineConfig } from 'vitest/config';

// The suites share one real server and the outage test stops it, so files run one at a time.
export default defineConfig({ test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], fileParallelism: false, testTimeout: 20_000 } });
