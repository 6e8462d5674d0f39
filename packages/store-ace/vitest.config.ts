import { defineConfig } from 'vitest/config';

// The PostgreSQL and Redis suites share one real server with other packages; files run one at a
// time so their load scenarios do not compete with each other.
export default defineConfig({ test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], fileParallelism: false, testTimeout: 30_000 } });
