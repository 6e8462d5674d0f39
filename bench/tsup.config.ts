import { defineConfig } from 'tsup';

// Each entry is a process of its own: the orchestrator, the pinned micro run, and the HTTP server.
export default defineConfig({
  entry: ['src/run-all.ts', 'src/micro.ts', 'src/ab.ts', 'src/http/server.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'es2022',
  sourcemap: true,
  clean: true,
  // Run against the installed packages (the built core included), never bundled copies.
  skipNodeModulesBundle: true,
});
