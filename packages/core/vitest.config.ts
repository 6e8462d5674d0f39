import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

// One suite, run twice: on node:crypto under Node, and on Web Crypto in the edge-runtime
// environment (no Node globals), so both crypto twins and the runtime-neutral core are proven.
const aliasFor = (crypto: string) => ({ '#crypto': src(crypto), '@connect-auth/core': src('index.ts') });

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        resolve: { alias: aliasFor('crypto.node.ts') },
        test: {
          name: 'core:node-crypto',
          environment: 'node',
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.node.json' },
        },
      },
      {
        extends: true,
        resolve: { alias: aliasFor('crypto.web.ts') },
        test: { name: 'core:web-crypto', environment: 'edge-runtime' },
      },
    ],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
