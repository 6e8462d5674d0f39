import { defineConfig } from 'tsup';

// ESM only: a command line has no CommonJS consumers; `index` is the programmatic entry (`main`).
export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
});
