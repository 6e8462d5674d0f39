import { defineConfig } from 'tsup';

// Web Crypto only, like the core, so edge-runtime stores can share it.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
});
