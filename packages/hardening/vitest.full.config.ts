import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// `pnpm fuzz` / `pnpm soak`: full counts (≥ 100,000 fuzz inputs) and the 5-minute soak per example.
export default mergeConfig(
  base,
  defineConfig({ test: { testTimeout: 30 * 60_000, hookTimeout: 5 * 60_000, env: { HARDENING_PROFILE: 'full' } } }),
);
