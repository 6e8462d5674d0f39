import { defineConfig } from 'tsup';

// Neutral platform: the adapter runs wherever Hono runs (Node, Workers, Deno, Bun).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
});
