import { defineConfig } from 'tsup';

// The crypto twins are separate entries so the package's `imports` conditions pick one at run time.
export default defineConfig({
  entry: ['src/index.ts', 'src/crypto.node.ts', 'src/crypto.web.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['#crypto', 'jose', 'node:crypto'],
});
