import { defineConfig } from 'vitest/config';

// Each test starts the example as a real process; give start-up and restarts room on a busy CI machine.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } });
