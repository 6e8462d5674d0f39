// @ts-check
import { createConnectVerifier, createForgeVerifier } from '@connect-auth/hono';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { loadConfig } from '@connect-auth/example-config';

const { port, servedDescriptor, verifierOptions, tenantStore, forgeVerifierOptions } = await loadConfig(new URL('..', import.meta.url));
const app = createApp({
  verifier: createConnectVerifier(verifierOptions),
  servedDescriptor,
  forgeVerifier: forgeVerifierOptions ? createForgeVerifier(forgeVerifierOptions) : undefined,
});

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`connect-auth Hono example on http://127.0.0.1:${port}`));
process.once('SIGTERM', () => {
  server.close(() => void tenantStore.close().then(() => process.exit(0)));
  if ('closeAllConnections' in server) server.closeAllConnections();
});
